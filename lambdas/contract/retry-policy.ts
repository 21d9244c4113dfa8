// Retry settings as the planner bakes them and the handlers read them: the shape, the defaults and their check.

/** Methods whose repetition has the same effect as one request (RFC 9110 §9.2.2), so a retry is safe. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** A request carrying this header (any non-empty value) may be retried whatever its method: the upstream deduplicates. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

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
  return Object.freeze({ ...policy, retryOnStatuses: Object.freeze([...(statuses as readonly number[])]) });
}

/** A bad value as the message shows it: NaN stays NaN (JSON would print null). */
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

function definedFields(input: RetryPolicyInput): RetryPolicyInput {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}
