// Metric names shared by handlers and the dashboards that chart them; no side effects, so constructs can import it at synth.

/** CloudWatch namespace of every Gatehouse metric. */
export const METRICS_NAMESPACE = 'Gatehouse';

/** Powertools adds the function's service name as this dimension to every metric. */
export const SERVICE_DIMENSION = 'service';

/** Count of circuits an instance opened, with dimension `breaker` (`service#target`): one alarm per upstream target. */
export const BREAKER_OPENED_METRIC = 'CircuitBreakerOpened';

/** The dimension of `BREAKER_OPENED_METRIC` naming the breaker (`breakerKey(service, target)`). */
export const BREAKER_DIMENSION = 'breaker';

/** Count of transitions decided by an instance, with dimension `to` (next to Powertools' `service`). */
export const TRANSITION_METRIC = 'CircuitBreakerTransition';
/** Count of "store unavailable" log lines, one per `STORE_UNAVAILABLE_LOG_INTERVAL_MS` (lambdas/shared/breaker/observability.ts) at most. */
export const STORE_UNAVAILABLE_METRIC = 'CircuitBreakerStoreUnavailable';
