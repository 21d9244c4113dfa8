// A service's retries and circuit breaker as the runtimes take them: one mapping for the proxy and the aggregator's parts.
import type { ProxyBreakerConfig } from '../../lambdas/contract/proxy-config';
import type { RetryPolicy } from '../../lambdas/contract/retry-policy';
import type { ServiceSpec } from '../config/schema';

/** The 5xx statuses a breaker counts when the config lists none. */
const ALL_5XX = Array.from({ length: 100 }, (_, i) => 500 + i);

/** Most extra load retries may add, in percent, when the service sets no budget. */
const DEFAULT_RETRY_BUDGET_PERCENT = 10;

/** The service's `retries` as the shared retry policy; undefined (a single attempt) without them. */
export function retryPolicyOf(service: ServiceSpec): RetryPolicy | undefined {
  const r = service.retries;
  return r && { retries: r.attempts, baseDelayMs: r.baseDelayMs, maxDelayMs: r.maxDelayMs, retryOnStatuses: r.onStatuses };
}

/** The service's `circuitBreaker`, with every 5xx a failure by default and `shared` state kept in DynamoDB. */
export function breakerConfigOf(service: ServiceSpec): ProxyBreakerConfig | undefined {
  const cb = service.circuitBreaker;
  return (
    cb && {
      failureRate: cb.failureRate,
      minimumRequests: cb.minimumRequests,
      windowSeconds: cb.windowSeconds,
      openSeconds: cb.openSeconds,
      halfOpenProbes: cb.halfOpenProbes,
      failureStatuses: cb.failureStatuses ?? ALL_5XX,
      store: cb.state === 'shared' ? 'dynamodb' : 'memory',
    }
  );
}

/** `retries.budgetPercent` as a ratio (0.1 = 10 %). */
export function retryBudgetRatioOf(service: ServiceSpec): number {
  return (service.retries?.budgetPercent ?? DEFAULT_RETRY_BUDGET_PERCENT) / 100;
}
