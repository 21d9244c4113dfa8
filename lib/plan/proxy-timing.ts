// Proxy timing: the proxy must answer (504 or fallback) before API Gateway's 29 s integration timeout answers for it.
import { SHARED_STATE_BUDGET_MS } from '../../lambdas/contract/state-budget';
import { PROXY_ANSWER_MARGIN_MS, PROXY_DEADLINE_MAX_MS } from '../config/limits';

// The deadline cap is a limit the config checks too (aggregate deadlines), so it lives with the config's limits.
export { PROXY_ANSWER_MARGIN_MS, PROXY_DEADLINE_MAX_MS } from '../config/limits';

export { SHARED_STATE_BUDGET_MS };

/** Which shared-state tables a function's requests wait on. */
export interface SharedStateUses {
  readonly breaker: boolean;
  readonly rateLimit: boolean;
}

/**
 * The most a request can wait on shared state, outside the upstream's deadline: one budget before the
 * upstream call (the breakers' first read and the rate-limit check run side by side) and, with a shared
 * breaker, one after it (the breaker writes it started). Each wait is cut at `SHARED_STATE_BUDGET_MS`.
 */
export function sharedStateWaitMs(uses: SharedStateUses): number {
  return (uses.breaker || uses.rateLimit ? SHARED_STATE_BUDGET_MS : 0) + (uses.breaker ? SHARED_STATE_BUDGET_MS : 0);
}

/** API Gateway's integration timeout for a function: its deadline, its shared-state waits and the answer margin. */
export function integrationTimeoutMs(deadlineMs: number, uses: SharedStateUses): number {
  return deadlineMs + sharedStateWaitMs(uses) + PROXY_ANSWER_MARGIN_MS;
}

/** The most each retry's backoff can last (full jitter draws from 0 up to this cap). */
export function backoffCapsMs(retry: { readonly retries: number; readonly baseDelayMs: number; readonly maxDelayMs: number }): number[] {
  return Array.from({ length: retry.retries }, (_, i) => Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** i));
}

/** Everything the attempts could take, capped at what API Gateway leaves the proxy once its shared-state waits are set aside. */
export function proxyDeadlineMs(attemptTimeoutMs: number, backoffCaps: readonly number[], stateWaitMs = 0): number {
  const worstCase = attemptTimeoutMs * (backoffCaps.length + 1) + backoffCaps.reduce((a, b) => a + b, 0);
  return Math.min(PROXY_DEADLINE_MAX_MS - stateWaitMs, worstCase);
}

/** Whether the attempts the retry policy allows can all run before the deadline; if not, the last ones are cut. */
export function retriesFitDeadline(attemptTimeoutMs: number, backoffCaps: readonly number[]): boolean {
  return attemptTimeoutMs * (backoffCaps.length + 1) + backoffCaps.reduce((a, b) => a + b, 0) <= PROXY_DEADLINE_MAX_MS;
}

/** The shared-state part of a function's timing line in `explain`. */
export function stateWaitText(stateWaitMs: number): string {
  return stateWaitMs === 0
    ? 'no shared state'
    : `shared state at most ${stateWaitMs} ms (${SHARED_STATE_BUDGET_MS} ms budget per wait, then local state)`;
}
