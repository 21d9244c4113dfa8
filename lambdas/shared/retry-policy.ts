// Decides whether a failed upstream attempt may be sent again, and after how long: pure, no I/O, no clock of its own.
import type { HeaderInput, UpstreamError, UpstreamErrorCode, UpstreamResponse } from './http-client';

/** Methods whose repetition has the same effect as one request (RFC 9110 §9.2.2), so a retry is safe. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** A request carrying this header (any non-empty value) may be retried whatever its method: the upstream deduplicates. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/**
 * Failures after which the request certainly did not complete and may be sent again, provided no
 * response byte arrived. A reset before any byte is the usual end of a kept-alive socket the
 * upstream closed while idle. Too large and bad responses are answers that a retry would repeat.
 */
const RETRYABLE_CODES: ReadonlySet<UpstreamErrorCode> = new Set(['upstream_connect_failed', 'upstream_timeout', 'upstream_reset']);

/** Settings of the retries to one upstream, as the planner bakes them and the handlers read them. */
export interface RetryPolicy {
  /** Retries after the first attempt (2 means at most 3 attempts). */
  readonly retries: number;
  /** Cap of the first backoff; each retry doubles it, up to `maxDelayMs`. In ms. */
  readonly baseDelayMs: number;
  /** Largest backoff cap, in ms. */
  readonly maxDelayMs: number;
  /** Response statuses worth another attempt. */
  readonly retryOnStatuses: readonly number[];
}

/** What a caller may pass: any field left out takes its value from `DEFAULT_RETRY_POLICY`. */
export type RetryPolicyInput = Partial<RetryPolicy>;

/** Two retries (the issue's `attempts: 2`), 50 ms doubling to at most 1 s, on the statuses a gateway or overloaded upstream answers. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  retries: 2,
  baseDelayMs: 50,
  maxDelayMs: 1_000,
  retryOnStatuses: Object.freeze([502, 503, 504]),
});

/** Limits of the numeric fields; beyond them a value is a typo, not a setting. */
const LIMITS = { retries: { min: 0, max: 10 }, baseDelayMs: { min: 0, max: 60_000 }, maxDelayMs: { min: 0, max: 60_000 } };

/**
 * Applies defaults and checks every field. Misuse throws a `TypeError` naming the field
 * (`retries.baseDelayMs`) and showing the bad value.
 */
export function resolveRetryPolicy(input: RetryPolicyInput = {}): RetryPolicy {
  const fields = Object.keys(DEFAULT_RETRY_POLICY);
  for (const key of Object.keys(input)) {
    if (!fields.includes(key)) throw new TypeError(`retries.${key} is not a retry setting (expected one of ${fields.join(', ')})`);
  }
  const policy = { ...DEFAULT_RETRY_POLICY, ...definedFields(input) };
  for (const [field, { min, max }] of Object.entries(LIMITS)) {
    const value = policy[field as keyof typeof LIMITS];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new TypeError(`retries.${field} must be a whole number from ${min} to ${max}, got ${shown(value)}`);
    }
  }
  if (policy.maxDelayMs < policy.baseDelayMs) {
    throw new TypeError(`retries.maxDelayMs (${policy.maxDelayMs}) must not be below retries.baseDelayMs (${policy.baseDelayMs})`);
  }
  const statuses = policy.retryOnStatuses;
  if (!Array.isArray(statuses) || !statuses.every((status) => Number.isInteger(status) && status >= 400 && status <= 599)) {
    throw new TypeError(`retries.retryOnStatuses must list statuses from 400 to 599, got ${JSON.stringify(statuses)}`);
  }
  return Object.freeze({ ...policy, retryOnStatuses: Object.freeze([...statuses]) });
}

/** A bad value as the message shows it: NaN stays NaN (JSON would print null). */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

function definedFields(input: RetryPolicyInput): RetryPolicyInput {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

/** True when sending the request twice is harmless: an idempotent method, or a non-empty `Idempotency-Key`. */
export function isRetrySafe(method: string, headers: HeaderInput = {}): boolean {
  if (IDEMPOTENT_METHODS.has(method.toUpperCase())) return true;
  return Object.entries(headers).some(
    ([name, value]) =>
      name.toLowerCase() === IDEMPOTENCY_KEY_HEADER &&
      (typeof value === 'string' ? value : (value ?? []).join('')).trim() !== '',
  );
}

/** How one attempt ended: a complete response (any status), or the error that ended it. */
export type AttemptOutcome =
  | { readonly kind: 'response'; readonly response: UpstreamResponse }
  | { readonly kind: 'error'; readonly error: UpstreamError };

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
  | 'answered'
  | 'not-retryable'
  | 'partial-response'
  | 'unsafe-method'
  | 'retries-exhausted'
  | 'deadline'
  | 'budget-exhausted';

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
