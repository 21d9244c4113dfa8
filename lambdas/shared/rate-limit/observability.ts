// Rate-limit hooks that count decisions per scope as metrics and log table outages with the shared Powertools Logger.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { countMetricBy, logger as sharedLogger, metrics as sharedMetrics } from '../observability';
import { outageLog } from '../outage-log';
import {
  RATE_LIMIT_ALLOWED_METRIC,
  RATE_LIMIT_DENIED_METRIC,
  RATE_LIMIT_SCOPE_DIMENSION,
  RATE_LIMIT_STORE_UNAVAILABLE_METRIC,
} from '../../contract/rate-limit-metrics';
import type { RateLimitHooks } from './events';

/** One line about an unreachable counter table per container per this period; the rest are counted into the next line. */
export const RATE_LIMIT_UNAVAILABLE_LOG_INTERVAL_MS = 60_000;

export interface RateLimitObservabilityOptions {
  /** @default the shared logger of `observability.ts` */
  readonly logger?: Logger;
  /** @default the shared metrics of `observability.ts` */
  readonly metrics?: Metrics;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default RATE_LIMIT_UNAVAILABLE_LOG_INTERVAL_MS */
  readonly unavailableLogIntervalMs?: number;
}

/**
 * Hooks for `createRateLimiter`. Create them once per container and hand the same object to every
 * limiter, so an outage produces one line per period for the whole container, not one per route.
 *
 * - every decision: `RateLimitAllowed` or `RateLimitDenied`, and `RateLimitStoreUnavailable` when
 *   taken without the table, each with dimension `scope` only: a dimension per consumer or IP would
 *   be a metric per client, unbounded in number and cost;
 * - table unreachable: a `warn` line saying how the limiter decides meanwhile, at most once per
 *   period; table back: one `info` line.
 */
export function rateLimitObservability(options: RateLimitObservabilityOptions = {}): RateLimitHooks {
  const logger = options.logger ?? sharedLogger;
  const metrics = options.metrics ?? sharedMetrics;
  const now = options.now ?? Date.now;
  const intervalMs = options.unavailableLogIntervalMs ?? RATE_LIMIT_UNAVAILABLE_LOG_INTERVAL_MS;
  const outage = outageLog(logger, now, intervalMs);

  return {
    onDecision: (event) => {
      countMetricBy(event.allowed ? RATE_LIMIT_ALLOWED_METRIC : RATE_LIMIT_DENIED_METRIC, RATE_LIMIT_SCOPE_DIMENSION, event.scope, metrics);
      if (event.source === 'degraded') countMetricBy(RATE_LIMIT_STORE_UNAVAILABLE_METRIC, RATE_LIMIT_SCOPE_DIMENSION, event.scope, metrics);
    },
    onStoreUnavailable: (event) => {
      outage.unavailable(
        'rate-limit counter table unavailable: deciding without it (failOpen admits, otherwise 503)',
        { scope: event.scope },
        event.error,
      );
    },
    onStoreAvailable: (event) => {
      outage.available('rate-limit counter table reachable again', { scope: event.scope });
    },
  };
}
