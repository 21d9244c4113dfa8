// What the resilient proxy publishes, named once for the handler and for the gateway's dashboard.

/**
 * Count metrics; Powertools adds the `service` dimension (the function's POWERTOOLS_SERVICE_NAME).
 * - `forwarded`: requests the upstream answered (any status), one per request.
 * - `upstreamError`: requests that ended in an upstream failure, dimension `code` (an UpstreamErrorCode).
 * - `upstream5xx`: requests whose final upstream answer was a 5xx.
 * - `retries`: retries sent (attempts beyond the first).
 * - `retryBudgetExhausted`: requests whose retry the upstream's retry budget refused.
 * - `circuitOpenRejected`: requests refused because every eligible target's breaker was open.
 * - `degraded`: degraded answers, dimension `reason` (`fallback` or `last-good`).
 * - `payloadTooLarge`: requests refused with 413.
 * - `internalError`: requests answered `proxy_error` (a bug or a planner mistake): alarm on any.
 */
export const METRIC = {
  forwarded: 'ProxyForwarded',
  upstreamError: 'ProxyUpstreamError',
  upstream5xx: 'ProxyUpstream5xx',
  retries: 'ProxyRetries',
  retryBudgetExhausted: 'ProxyRetryBudgetExhausted',
  circuitOpenRejected: 'ProxyCircuitOpenRejected',
  degraded: 'ProxyDegraded',
  payloadTooLarge: 'ProxyPayloadTooLarge',
  internalError: 'ProxyInternalError',
} as const;

/** Dimension of `METRIC.upstreamError`. */
export const ERROR_CODE_DIMENSION = 'code';
/** Dimension of `METRIC.degraded`. */
export const DEGRADED_REASON_DIMENSION = 'reason';

/** POWERTOOLS_SERVICE_NAME of one service's proxy function: the `service` dimension of its metrics. */
export function proxyServiceName(gateway: string, service: string): string {
  return `gatehouse-proxy-${gateway}-${service}`;
}
