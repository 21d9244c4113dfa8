// The README's metrics table, built from the metric-name modules the handlers and alarms import, so the docs cannot drift from the code.
import { METRIC as AGGREGATOR, PART_DIMENSION } from '../../lambdas/contract/aggregator-metrics';
import { DENY_REASON_DIMENSION, METRIC as AUTHORIZER } from '../../lambdas/contract/authorizer-metrics';
import { METRIC as KEY_EXPIRY } from '../../lambdas/contract/key-expiry';
import { METRIC as ORIGIN_VERIFY } from '../../lambdas/contract/origin-verify-metrics';
import { DEGRADED_REASON_DIMENSION, ERROR_CODE_DIMENSION, METRIC as PROXY } from '../../lambdas/contract/proxy-metrics';
import {
  BREAKER_DIMENSION,
  BREAKER_OPENED_METRIC,
  METRICS_NAMESPACE,
  SERVICE_DIMENSION,
  STORE_UNAVAILABLE_METRIC,
  TRANSITION_METRIC,
} from '../../lambdas/contract/metric-names';
import {
  RATE_LIMIT_ALLOWED_METRIC,
  RATE_LIMIT_DENIED_METRIC,
  RATE_LIMIT_SCOPE_DIMENSION,
  RATE_LIMIT_STORE_UNAVAILABLE_METRIC,
} from '../../lambdas/contract/rate-limit-metrics';
import { THROTTLED_METRIC } from '../constructs/gateway-observability';

export interface MetricRow {
  readonly namespace: string;
  readonly metric: string;
  /** Every dimension it is published with, in order. */
  readonly dimensions: readonly string[];
  readonly publishedBy: string;
  readonly meaning: string;
  /** The `observability.alarms` setting of the alarm on it, if any. */
  readonly alarm?: string;
}

const service = SERVICE_DIMENSION;

/** Every metric Gatehouse publishes, and the AWS metrics its alarms watch. */
export const METRIC_ROWS: readonly MetricRow[] = [
  {
    namespace: METRICS_NAMESPACE,
    metric: PROXY.forwarded,
    dimensions: [service],
    publishedBy: 'proxy',
    meaning: 'requests the upstream answered (any status)',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: PROXY.upstreamError,
    dimensions: [service, ERROR_CODE_DIMENSION],
    publishedBy: 'proxy',
    meaning: 'requests that ended in an upstream failure, by code',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: PROXY.upstream5xx,
    dimensions: [service],
    publishedBy: 'proxy',
    meaning: 'requests whose final upstream answer was a 5xx',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: PROXY.retries,
    dimensions: [service],
    publishedBy: 'proxy',
    meaning: 'retries sent (attempts beyond the first)',
    alarm: 'retriesPerMinute',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: PROXY.retryBudgetExhausted,
    dimensions: [service],
    publishedBy: 'proxy',
    meaning: 'retries the retry budget refused',
    alarm: 'retryBudgetExhaustedPerMinute',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: PROXY.circuitOpenRejected,
    dimensions: [service],
    publishedBy: 'proxy',
    meaning: "requests refused because every eligible target's circuit was open",
    alarm: 'circuitOpenRejectedPerMinute',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: PROXY.degraded,
    dimensions: [service, DEGRADED_REASON_DIMENSION],
    publishedBy: 'proxy',
    meaning: 'degraded answers, reason `fallback` or `last-good`',
    alarm: 'degradedPerMinute',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: PROXY.payloadTooLarge,
    dimensions: [service],
    publishedBy: 'proxy',
    meaning: 'requests refused with 413',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: PROXY.internalError,
    dimensions: [service],
    publishedBy: 'proxy',
    meaning: 'requests answered `proxy_error` (a bug or a planner mistake)',
    alarm: 'any (always on)',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: AGGREGATOR.complete,
    dimensions: [service],
    publishedBy: 'aggregator',
    meaning: 'answered 200 with every part',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: AGGREGATOR.degraded,
    dimensions: [service],
    publishedBy: 'aggregator',
    meaning: 'answered 200 with an optional part degraded to its fallback',
    alarm: 'degradedPerMinute',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: AGGREGATOR.failed,
    dimensions: [service],
    publishedBy: 'aggregator',
    meaning: 'a required part failed (400, 502 or 504)',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: AGGREGATOR.error,
    dimensions: [service],
    publishedBy: 'aggregator',
    meaning: 'answered `aggregator_error` (a bug or an unexpected throw)',
    alarm: 'any (always on)',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: AGGREGATOR.partFailed,
    dimensions: [service, PART_DIMENSION],
    publishedBy: 'aggregator',
    meaning: 'failures of one part',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: AGGREGATOR.partRetries,
    dimensions: [service, PART_DIMENSION],
    publishedBy: 'aggregator',
    meaning: 'retries sent to one part (attempts beyond the first)',
    alarm: 'retriesPerMinute',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: AGGREGATOR.partRetryBudgetExhausted,
    dimensions: [service, PART_DIMENSION],
    publishedBy: 'aggregator',
    meaning: 'retries to one part the retry budget refused',
    alarm: 'retryBudgetExhaustedPerMinute',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: BREAKER_OPENED_METRIC,
    dimensions: [service, BREAKER_DIMENSION],
    publishedBy: 'proxy, aggregator',
    meaning: 'circuits this instance opened, per `service#target`',
    alarm: 'breakerOpens',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: TRANSITION_METRIC,
    dimensions: [service, 'to'],
    publishedBy: 'proxy, aggregator',
    meaning: 'breaker transitions this instance decided, by new state',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: STORE_UNAVAILABLE_METRIC,
    dimensions: [service],
    publishedBy: 'proxy, aggregator',
    meaning: 'breaker state table unreachable (one per minute at most)',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: RATE_LIMIT_ALLOWED_METRIC,
    dimensions: [service, RATE_LIMIT_SCOPE_DIMENSION],
    publishedBy: 'proxy',
    meaning: 'requests a route limit let through',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: RATE_LIMIT_DENIED_METRIC,
    dimensions: [service, RATE_LIMIT_SCOPE_DIMENSION],
    publishedBy: 'proxy',
    meaning: 'requests a route limit refused',
    alarm: 'rateLimitDeniedPerMinute',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: RATE_LIMIT_STORE_UNAVAILABLE_METRIC,
    dimensions: [service, RATE_LIMIT_SCOPE_DIMENSION],
    publishedBy: 'proxy',
    meaning: 'decisions taken without the counter table',
    alarm: 'rateLimitStoreUnavailablePerMinute',
  },
  { namespace: METRICS_NAMESPACE, metric: AUTHORIZER.allowed, dimensions: [service], publishedBy: 'authorizer', meaning: 'tokens allowed' },
  {
    namespace: METRICS_NAMESPACE,
    metric: AUTHORIZER.denied,
    dimensions: [service, DENY_REASON_DIMENSION],
    publishedBy: 'authorizer',
    meaning: 'requests denied, by reason (`jwks_unavailable`: keys could not be fetched)',
    alarm: 'jwksFailuresPerMinute (reason jwks_unavailable)',
  },
  { namespace: METRICS_NAMESPACE, metric: AUTHORIZER.jwksFetch, dimensions: [service], publishedBy: 'authorizer', meaning: 'JWKS fetches' },
  {
    namespace: METRICS_NAMESPACE,
    metric: AUTHORIZER.discoveryFetch,
    dimensions: [service],
    publishedBy: 'authorizer',
    meaning: 'OpenID discovery fetches',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: AUTHORIZER.tokenCacheHit,
    dimensions: [service],
    publishedBy: 'authorizer',
    meaning: 'tokens answered from the verified-token cache',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: ORIGIN_VERIFY.refused,
    dimensions: [service],
    publishedBy: 'origin-verify authorizer',
    meaning: "requests without CloudFront's origin-verify value",
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: KEY_EXPIRY.disabled,
    dimensions: [service],
    publishedBy: 'key expiry',
    meaning: 'API keys disabled per run',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: KEY_EXPIRY.expiringSoon,
    dimensions: [service],
    publishedBy: 'key expiry',
    meaning: 'API keys expiring within the warning days',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: KEY_EXPIRY.disableFailed,
    dimensions: [service],
    publishedBy: 'key expiry',
    meaning: 'keys the run failed to disable',
  },
  {
    namespace: METRICS_NAMESPACE,
    metric: THROTTLED_METRIC,
    dimensions: ['apiId', 'stage'],
    publishedBy: 'access-log metric filter',
    meaning: '429 responses',
    alarm: 'throttledPerMinute',
  },
  {
    namespace: 'AWS/ApiGateway',
    metric: '5XXError, Count, Latency (REST)',
    dimensions: ['ApiName', 'Stage'],
    publishedBy: 'API Gateway',
    meaning: 'the REST API (ApiName is `<stack>-<gateway>`)',
    alarm: 'serverErrorRatePercent, p99LatencyMs, requestRateBand',
  },
  {
    namespace: 'AWS/ApiGateway',
    metric: '5xx, Count, Latency (HTTP)',
    dimensions: ['ApiId', 'Stage'],
    publishedBy: 'API Gateway',
    meaning: 'the HTTP API',
    alarm: 'serverErrorRatePercent, p99LatencyMs, requestRateBand',
  },
  {
    namespace: 'AWS/Lambda',
    metric: 'Throttles, ConcurrentExecutions',
    dimensions: ['FunctionName'],
    publishedBy: 'Lambda',
    meaning: 'each Gatehouse function of the gateway',
    alarm: 'lambdaThrottlesPerMinute, concurrencyPercent',
  },
  {
    namespace: 'AWS/WAFV2',
    metric: 'BlockedRequests',
    dimensions: ['WebACL', 'Rule', 'Region (regional ACLs)'],
    publishedBy: 'WAF',
    meaning: 'requests one rule blocked (CloudFront ACLs publish in us-east-1)',
    alarm: 'wafBlockedPerMinute',
  },
  {
    namespace: 'AWS/CloudFront',
    metric: '5xxErrorRate',
    dimensions: ['DistributionId', 'Region (Global)'],
    publishedBy: 'CloudFront',
    meaning: 'share of viewer requests answered 5xx (us-east-1 only)',
    alarm: 'cloudFront5xxRatePercent (stack in us-east-1)',
  },
];

export const METRIC_TABLE_START = '<!-- metrics:start (generated by npm run docs:metrics from lib/plan/metric-table.ts) -->';
export const METRIC_TABLE_END = '<!-- metrics:end -->';

export function renderMetricTable(): string {
  const rows = METRIC_ROWS.map(
    (r) =>
      `| \`${r.namespace}\` | \`${r.metric}\` | ${r.dimensions.map((d) => `\`${d}\``).join(', ')} | ${r.publishedBy} | ${r.meaning} | ${r.alarm ? `\`${r.alarm}\`` : ''} |`,
  );
  return [
    METRIC_TABLE_START,
    '| namespace | metric | dimensions | published by | counts | alarm (`observability.alarms`) |',
    '|---|---|---|---|---|---|',
    ...rows,
    METRIC_TABLE_END,
  ].join('\n');
}

/** Replaces the table between the markers of a README text; throws when the markers are missing. */
export function withMetricTable(readme: string): string {
  const start = readme.indexOf(METRIC_TABLE_START);
  const end = readme.indexOf(METRIC_TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has no metrics table markers');
  return readme.slice(0, start) + renderMetricTable() + readme.slice(end + METRIC_TABLE_END.length);
}
