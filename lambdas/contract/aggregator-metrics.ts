// What the aggregator publishes, named once for the handler and for the gateway's dashboard.

/**
 * Metric names (counts). The `part*` metrics carry a `part` dimension; the code of each failure is in the log line.
 * - `partRetries`: retries sent to one part (attempts beyond the first), whether the part then answered or failed.
 * - `partRetryBudgetExhausted`: calls of one part whose retry the upstream's retry budget refused.
 */
export const METRIC = {
  /** Answered 200 with every part. */
  complete: 'AggregateComplete',
  /** Answered 200 with at least one optional part degraded to its fallback. */
  degraded: 'AggregateDegraded',
  /** A required part failed: answered 400, 502 or 504. */
  failed: 'AggregateFailed',
  /** A bug or an unexpected throw, answered 502 `aggregator_error`. */
  error: 'AggregatorErrors',
  partFailed: 'AggregatePartFailed',
  partRetries: 'AggregatePartRetries',
  partRetryBudgetExhausted: 'AggregatePartRetryBudgetExhausted',
} as const;

/** The dimension of the `part*` metrics naming the part. */
export const PART_DIMENSION = 'part';

/** POWERTOOLS_SERVICE_NAME of one aggregate route's function: the `service` dimension of its metrics. */
export function aggregatorServiceName(gatewayName: string, route: string): string {
  const slug = route.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `gatehouse-aggregator-${gatewayName}-${slug}`;
}
