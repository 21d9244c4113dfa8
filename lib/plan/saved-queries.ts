// A gateway's saved CloudWatch Logs Insights queries: the common questions, asked of the log groups that hold the answer.
import type { ObservabilitySpec } from '../config/observability-schema';
import type { FunctionRef, SavedQueryPlan } from './observability-types';

/** What the queries depend on: the spec's switch, the API's name (their folder) and whether access logs exist. */
export interface SavedQueriesInput {
  readonly apiName: string;
  readonly spec: Pick<ObservabilitySpec, 'savedQueries'>;
  readonly accessLogs: boolean;
}

/** Placeholder the saved correlation-id query filters on: replace it with the id before running the query. */
export const CORRELATION_ID_PLACEHOLDER = 'REPLACE-WITH-REQUEST-ID';

/**
 * The common questions, asked of the log groups that hold the answer. Every Gatehouse line names the gateway's
 * request id `requestId` (the access log's too); the proxy also logs the caller's `correlationId`.
 */
export function savedQueries(input: SavedQueriesInput, functions: readonly FunctionRef[]): SavedQueryPlan[] {
  if (!input.spec.savedQueries) return [];
  const folder = `gatehouse/${input.apiName}`;
  const access = input.accessLogs ? (['access'] as const) : [];
  const handlers = functions.filter((fn) => fn.kind !== 'origin-verify');
  // The proxy logs each target's time (`target`, `upstreamMs`); the aggregator nests its parts' under `parts`, which a query cannot list generically.
  const upstreams = handlers.filter((fn) => fn.kind === 'proxy');
  const queries: SavedQueryPlan[] = [];
  if (access.length + handlers.length > 0) {
    queries.push({
      id: 'RequestByCorrelationIdQuery',
      name: `${folder}/request-by-correlation-id`,
      logGroups: [...access, ...handlers],
      query: [
        'fields @timestamp, @log, requestId, correlationId, status, message, code, target, upstreamStatus, durationMs',
        `| filter requestId = "${CORRELATION_ID_PLACEHOLDER}" or correlationId = "${CORRELATION_ID_PLACEHOLDER}"`,
        '| sort @timestamp asc',
      ].join('\n'),
    });
  }
  if (input.accessLogs) {
    queries.push({
      id: 'TopErrorRoutesQuery',
      name: `${folder}/top-4xx-5xx-routes`,
      logGroups: ['access'],
      query: [
        'fields httpMethod, route, status',
        '| filter status like /^[45]/',
        '| stats count(*) as responses by httpMethod, route, status',
        '| sort responses desc',
        '| limit 25',
      ].join('\n'),
    });
  }
  if (access.length + upstreams.length > 0) {
    // Direct routes' upstream time is the access log's integration latency; the proxy logs each target's own.
    queries.push({
      id: 'SlowestUpstreamsQuery',
      name: `${folder}/slowest-upstreams`,
      logGroups: [...access, ...upstreams],
      query: [
        'fields coalesce(target, route) as upstream, coalesce(upstreamMs, integrationLatencyMs) as ms',
        '| filter ispresent(ms) and ms > 0',
        '| stats count(*) as requests, pct(ms, 50) as p50Ms, pct(ms, 99) as p99Ms, max(ms) as maxMs by @log, upstream',
        '| sort p99Ms desc',
        '| limit 25',
      ].join('\n'),
    });
  }
  return queries;
}
