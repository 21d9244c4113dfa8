// Decides whether a failed upstream attempt may be sent again, and after how long: pure, no I/O, no clock of its own.
// The settings it reads (RetryPolicy, defaults, their check) are the planner's contract: lambdas/contract/retry-policy.ts.
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_METHODS, type RetryPolicy } from '../contract/retry-policy';
import type { HeaderInput, UpstreamError, UpstreamErrorCode, UpstreamResponse } from './http-client';

export { DEFAULT_RETRY_POLICY, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_METHODS, resolveRetryPolicy } from '../contract/retry-policy';
export type { RetryPolicy, RetryPolicyInput } from '../contract/retry-policy';

/**
 * Failures after which the request certainly did not complete and may be sent again, provided no
 * response byte arrived. A reset before any byte is the usual end of a kept-alive socket the
 * upstream closed while idle. Too large and bad responses are answers that a retry would repeat.
 */
const RETRYABLE_CODES: ReadonlySet<UpstreamErrorCode> = new Set(['upstream_connect_failed', 'upstream_timeout', 'upstream_reset']);

/** True when sending the request twice is harmless: an idempotent method, or a non-empty `Idempotency-Key`. */
export function isRetrySafe(method: string, headers: HeaderInput = {}): boolean {
  if (IDEMPOTENT_METHODS.has(method.toUpperCase())) return true;
  return Object.entries(headers).some(
    ([name, value]) =>
      name.toLowerCase() === IDEMPOTENCY_KEY_HEADER && (typeof value === 'string' ? value : (value ?? []).join('')).trim() !== '',
  );
}

/** How one attempt ended: a complete response (any status), or the error that ended it. */
export type AttemptOutcome =
  { readonly kind: 'response'; readonly response: UpstreamResponse } | { readonly kind: 'error'; readonly error: UpstreamError };

/**
 * Why no further attempt is made. Stable: logs and metrics use them.
 * - `answered`: a response whose status is not in `retryOnStatuses` (success or a final error).
 * - `not-retryable`: an error a retry would repeat (`upstream_too_large`, `upstream_bad_response`).
 * - `partial-response`: the upstream began answering; a retry could apply the request twice.
 * - `unsafe-method`: a non-idempotent method without an `Idempotency-Key`.
 * - `retries-exhausted`: `retries` retries were made.
 * - `deadline`: another attempt, after its backoff and with its full timeout, would end after the deadline.
 * - `budget-exhausted`: the retry budget has no token (see `RetryBudget`).
 */
export type StopReason =
  'answered' | 'not-retryable' | 'partial-response' | 'unsafe-method' | 'retries-exhausted' | 'deadline' | 'budget-exhausted';

export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false; readonly reason: StopReason };

export interface RetryQuestion {
  readonly policy: RetryPolicy;
  /** `isRetrySafe` of the request. */
  readonly safe: boolean;
  readonly outcome: AttemptOutcome;
  /** Retries already made (0 after the first attempt). */
  readonly retriesMade: number;
  /** Current time, on the same clock as `deadlineAt`. */
  readonly nowMs: number;
  /** Latest time an attempt may end; none means only `retries` bounds the attempts. */
  readonly deadlineAt?: number;
  /** The timeout the next attempt would get, in ms. */
  readonly attemptTimeoutMs: number;
  /** Uniform in [0, 1), e.g. `Math.random`. */
  readonly random: () => number;
}

/** Whether to send the request again and after what delay; the budget is the caller's last check. */
export function decideRetry(question: RetryQuestion): RetryDecision {
  const { policy, outcome } = question;
  if (outcome.kind === 'response') {
    if (!policy.retryOnStatuses.includes(outcome.response.status)) return { retry: false, reason: 'answered' };
  } else {
    if (outcome.error.partial) return { retry: false, reason: 'partial-response' };
    if (!RETRYABLE_CODES.has(outcome.error.code)) return { retry: false, reason: 'not-retryable' };
  }
  if (!question.safe) return { retry: false, reason: 'unsafe-method' };
  if (question.retriesMade >= policy.retries) return { retry: false, reason: 'retries-exhausted' };
  const delayMs = backoffDelayMs(question.retriesMade + 1, policy, question.random);
  if (question.deadlineAt !== undefined && question.nowMs + delayMs + question.attemptTimeoutMs > question.deadlineAt) {
    return { retry: false, reason: 'deadline' };
  }
  return { retry: true, delayMs };
}

/**
 * Backoff before retry number `retry` (1 for the first): "full jitter", uniform in
 * [0, min(maxDelayMs, baseDelayMs × 2^(retry−1))], so clients that failed together do not retry together.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.floor(draw * cap);
}
