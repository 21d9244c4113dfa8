// Lambda proxy handler (REST API, payload 1.0) of a BFF fan-out route: the request in, one merged JSON answer out, never a 500.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { fromPayloadV2, servingBothPayloads, type BothPayloadsHandler, type HttpApiEvent } from '../shared/apigw/payload-v2';
import { isSendableHeaderValue } from '../shared/header-values';
import { countMetric, countMetricBy, logger as sharedLogger, metrics as sharedMetrics, publishMetrics } from '../shared/observability';
import { withCors } from '../shared/apigw/cors';
import { exceedsLambdaPayload, toProxyResult } from '../shared/apigw/proxy-result';
import type { HeaderMap, ProxyResponseMessage } from '../shared/apigw/messages';
import { headersOf } from '../shared/apigw/request-headers';
import { createAggregator, type AggregateRequest, type AggregatorDeps } from './aggregate';
import { encodeBody } from './compression';
import type { AggregatorConfig } from '../contract/aggregator-config';
import type { PartError } from './errors';
import type { MergeResult, PartOutcome } from './merge';
import { METRIC, PART_DIMENSION } from '../contract/aggregator-metrics';

/** Injected by esbuild `define` when the construct bundles this handler at synth (see bundle.ts). */
declare const __GATEHOUSE_AGGREGATOR_CONFIG__: AggregatorConfig | undefined;

export { METRIC } from '../contract/aggregator-metrics';

/** Lists the degraded parts of a 200, e.g. `X-Gatehouse-Partial: orders, recs`. */
export const PARTIAL_HEADER = 'X-Gatehouse-Partial';

/** REST APIs send payload 1.0 and get a 1.0 result; HTTP APIs send 2.0 and get a 2.0 one. */
export type AggregatorHandler = BothPayloadsHandler;

export interface AggregatorHandlerDeps extends AggregatorDeps {
  /** @default the shared Powertools logger */
  readonly logger?: Logger;
  /** @default the shared Powertools metrics */
  readonly metrics?: Metrics;
}

/** Builds the handler once per container; a config the planner got wrong throws TypeError here, at init. */
export function createHandler(config: AggregatorConfig, deps: AggregatorHandlerDeps = {}): AggregatorHandler {
  const log = deps.logger ?? sharedLogger;
  const metrics = deps.metrics ?? sharedMetrics;
  const aggregator = createAggregator(config, { stateLogger: log, ...deps });
  // Browsers may read the partial marker and the correlation id only if they are exposed.
  const cors = config.cors && {
    ...config.cors,
    exposeHeaders: [...new Set([...config.cors.exposeHeaders, PARTIAL_HEADER, config.correlationHeader])],
  };

  const forwardedNames = [...new Set(Object.values(config.parts).flatMap((part) => part.forwardHeaders.map((name) => name.toLowerCase())))];

  const handle = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    let requestHeaders: HeaderMap = {};
    let correlation: HeaderMap = {};
    let who: Record<string, string> = { route: config.route };
    // CORS and the correlation id go on every answer, errors included: a browser cannot read a 502 without them.
    const respond = (message: ProxyResponseMessage) =>
      toProxyResult(withCors({ ...message, headers: { ...message.headers, ...correlation } }, requestHeaders, cors));
    try {
      requestHeaders = headersOf(event);
      const headers = Object.fromEntries(Object.entries(requestHeaders).map(([name, values]) => [name, values.join(', ')]));
      const gatewayRequestId = event.requestContext?.requestId ?? '';
      const clientCorrelation = headers[config.correlationHeader.toLowerCase()];
      const correlationId =
        (clientCorrelation !== undefined && isSendableHeaderValue(clientCorrelation) ? clientCorrelation : '') || gatewayRequestId;
      if (correlationId) correlation = { [config.correlationHeader.toLowerCase()]: [correlationId] };
      who = { requestId: gatewayRequestId, correlationId, route: config.route };
      const request: AggregateRequest = {
        claims: event.requestContext?.authorizer ?? {},
        path: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
        headers,
        correlationId,
        gatewayRequestId,
      };
      const unsendable = forwardedNames.filter((name) => headers[name] !== undefined && !isSendableHeaderValue(headers[name]));
      if (unsendable.length > 0)
        log.warn('request header values outside what HTTP carries (Latin-1, no control characters) were not forwarded', {
          ...who,
          headers: unsendable,
        });
      const { result, outcomes } = await aggregator.aggregate(request);
      observe(result, outcomes, who, log, metrics);
      if (result.kind === 'failed') return respond(jsonMessage(result.statusCode, result.body));
      const text = JSON.stringify(result.partial.length > 0 ? { ...result.data, partial: result.partial } : result.data);
      const encoded = encodeBody(text, headers['accept-encoding'], config.compressMinBytes);
      const answer = respond({
        status: 200,
        headers: {
          'content-type': ['application/json'],
          vary: ['Accept-Encoding'],
          ...(encoded.coding === 'identity' ? {} : { 'content-encoding': [encoded.coding] }),
          ...(result.partial.length > 0 ? { [PARTIAL_HEADER.toLowerCase()]: [result.partial.join(', ')] } : {}),
        },
        body: encoded.body,
      });
      if (!exceedsLambdaPayload(answer)) return answer;
      log.error('merged answer exceeds what Lambda can return', { ...who, bytes: encoded.body.length });
      return respond(jsonMessage(502, { message: 'the merged answer is too large to return', code: 'response_too_large' }));
    } catch (error) {
      countMetric(METRIC.error, metrics);
      log.error('aggregate failed unexpectedly', { ...who, error: error as Error });
      return respond(jsonMessage(502, AGGREGATOR_ERROR));
    } finally {
      publishMetrics(metrics);
      // A breaker write still in flight when Lambda freezes the container could fail on thaw and be taken for an outage.
      await aggregator.settled();
    }
  };
  return servingBothPayloads(handle, fromHttpApi);
}

/** A 2.0 event in the REST shape; templates see the token's own claims (native JWT) or the Lambda authorizer's context. */
function fromHttpApi(event: HttpApiEvent): APIGatewayProxyEvent {
  const rest = fromPayloadV2(event);
  const authorizer = event.requestContext.authorizer;
  const claims = authorizer?.jwt?.claims ?? authorizer?.lambda;
  return { ...rest, requestContext: { ...rest.requestContext, authorizer: claims ?? null } };
}

const AGGREGATOR_ERROR = { message: 'the aggregate could not be assembled', code: 'aggregator_error' } as const;

function jsonMessage(status: number, body: object): ProxyResponseMessage {
  return { status, headers: { 'content-type': ['application/json'] }, body: Buffer.from(JSON.stringify(body)) };
}

/** One line per request with each part's time and outcome, and the counts the dashboard charts. */
function observe(result: MergeResult, outcomes: ReadonlyMap<string, PartOutcome>, who: object, log: Logger, metrics: Metrics): void {
  const parts = Object.fromEntries(
    [...outcomes].map(([name, o]) => [name, o.kind === 'answered' ? { ms: o.ms, attempts: o.attempts } : failureFields(o.error, o.ms)]),
  );
  for (const [name, outcome] of outcomes) {
    if (outcome.kind === 'failed') countMetricBy(METRIC.partFailed, PART_DIMENSION, name, metrics);
    const { retries, budgetExhausted } = outcome.kind === 'answered' ? outcome.retries : outcome.error.retries;
    if (retries > 0) countMetricBy(METRIC.partRetries, PART_DIMENSION, name, metrics, retries);
    if (budgetExhausted) countMetricBy(METRIC.partRetryBudgetExhausted, PART_DIMENSION, name, metrics);
  }
  if (result.kind === 'failed') {
    countMetric(METRIC.failed, metrics);
    log.warn('aggregate failed: a required part failed', {
      ...who,
      status: result.statusCode,
      part: result.body.part,
      code: result.body.code,
      parts,
    });
  } else if (result.partial.length > 0) {
    countMetric(METRIC.degraded, metrics);
    log.warn('aggregate degraded: optional parts answered by their fallback', { ...who, partial: result.partial, parts });
  } else {
    countMetric(METRIC.complete, metrics);
    log.info('aggregate answered', { ...who, parts });
  }
}

/** What the log says about a failed part: the code, and the placeholder or upstream status when there is one (never the value). */
function failureFields(error: PartError, ms: number): Record<string, unknown> {
  return {
    ms,
    code: error.code,
    ...(error.placeholder ? { placeholder: error.placeholder } : {}),
    ...(error.upstreamStatus ? { upstreamStatus: error.upstreamStatus } : {}),
  };
}

/** The Lambda entry point: the config baked into the bundle, read once at init. */
export const handler: AggregatorHandler =
  typeof __GATEHOUSE_AGGREGATOR_CONFIG__ === 'undefined'
    ? () => {
        sharedLogger.error('aggregator bundle has no baked config');
        return Promise.resolve(toProxyResult(jsonMessage(502, AGGREGATOR_ERROR)));
      }
    : createHandler(__GATEHOUSE_AGGREGATOR_CONFIG__);
