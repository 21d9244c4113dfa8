// Breaker hooks that log transitions and store outages with the shared Powertools Logger, and count them as metrics.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { BreakerHooks } from './events';
import { BREAKER_DIMENSION, BREAKER_OPENED_METRIC, STORE_UNAVAILABLE_METRIC, TRANSITION_METRIC } from '../../contract/metric-names';
import { countMetric, countMetricBy, logger as sharedLogger, metrics as sharedMetrics } from '../observability';
import { outageLog } from '../outage-log';

export { STORE_UNAVAILABLE_METRIC, TRANSITION_METRIC } from '../../contract/metric-names';

/** One line about an unavailable store per container per this period; the rest are counted into the next line. */
export const STORE_UNAVAILABLE_LOG_INTERVAL_MS = 60_000;

export interface BreakerObservabilityOptions {
  /** @default the shared logger of `observability.ts` */
  readonly logger?: Logger;
  /** @default the shared metrics of `observability.ts`; its service name is the metrics' `service` dimension */
  readonly metrics?: Metrics;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default STORE_UNAVAILABLE_LOG_INTERVAL_MS */
  readonly unavailableLogIntervalMs?: number;
}

/**
 * Hooks for `SharedCircuitBreaker`. Create them once per container and hand the same object to every
 * breaker, so a store outage produces one line per period for the whole container, not one per target.
 *
 * - every transition: a log line (`warn` when the circuit opens, `info` otherwise); transitions this
 *   instance decided also count `TRANSITION_METRIC` with dimension `to`, and opens `BREAKER_OPENED_METRIC`
 *   with dimension `breaker` (what the per-target alarm watches). Adopted ones are logged but
 *   not counted, so a fleet counts each transition once (twice at most when two instances race).
 * - store unavailable: a `warn` line saying the breaker uses local state, at most once per period;
 *   store back: one `info` line.
 */
export function breakerObservability(options: BreakerObservabilityOptions = {}): BreakerHooks {
  const logger = options.logger ?? sharedLogger;
  const metrics = options.metrics ?? sharedMetrics;
  const now = options.now ?? Date.now;
  const intervalMs = options.unavailableLogIntervalMs ?? STORE_UNAVAILABLE_LOG_INTERVAL_MS;
  const outage = outageLog(logger, now, intervalMs);

  return {
    onTransition: (event) => {
      const details = {
        breaker: event.key,
        from: event.from,
        to: event.to,
        reason: event.reason,
        origin: event.origin,
        shared: event.shared,
        epoch: event.epoch,
        ...(event.to === 'open' ? { openUntil: new Date(event.openUntilMs).toISOString() } : {}),
        ...(event.reason === 'failure-rate' ? { requests: event.requests, failures: event.failures } : {}),
      };
      if (event.to === 'open') logger.warn('circuit breaker opened', details);
      else logger.info(`circuit breaker ${event.to}`, details);
      if (event.origin === 'local') countMetricBy(TRANSITION_METRIC, 'to', event.to, metrics);
      if (event.origin === 'local' && event.to === 'open') countMetricBy(BREAKER_OPENED_METRIC, BREAKER_DIMENSION, event.key, metrics);
    },
    onStoreUnavailable: (event) => {
      const logged = outage.unavailable(
        'circuit breaker state store unavailable: using local state',
        { breaker: event.key, operation: event.operation },
        event.error,
      );
      if (logged) countMetric(STORE_UNAVAILABLE_METRIC, metrics);
    },
    onStoreAvailable: (event) => {
      outage.available('circuit breaker state store reachable again: sharing state', { breaker: event.key, operation: event.operation });
    },
  };
}
