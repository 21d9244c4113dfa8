// The retry budget of one upstream: a token bucket that keeps retries to a share of recent requests, so retries cannot multiply an outage.

export interface RetryBudgetOptions {
  /** Tokens each request deposits; a retry costs one. 0.1 = at most 10 % extra load. @default 0.1 */
  readonly ratio?: number;
  /** Tokens added per second whatever the traffic, so a quiet function can still retry now and then. @default 1 */
  readonly minPerSecond?: number;
  /** Most tokens the bucket holds, so a long calm spell cannot pay for a burst of retries later. @default 10 */
  readonly maxTokens?: number;
}

export interface RetryBudgetDeps {
  /** Clock in ms. @default Date.now */
  readonly now?: () => number;
}

// Tokens are kept in thousandths and deposits rounded to whole thousandths: ten deposits of 0.1 make exactly one token.
const SCALE = 1000;

/**
 * One per upstream per container, at module scope. Over a sustained outage of R requests per second,
 * at most `ratio × R + minPerSecond` retries per second go out (per Lambda instance), plus what the
 * bucket held when the outage began (at most `maxTokens`; a new bucket starts with one second's floor).
 */
export class RetryBudget {
  private readonly deposit: number;
  private readonly refillPerMs: number;
  private readonly capacity: number;
  private readonly now: () => number;
  private balance: number;
  private refilledAt: number;

  constructor(options: RetryBudgetOptions = {}, deps: RetryBudgetDeps = {}) {
    const ratio = checked('ratio', options.ratio ?? 0.1, 0, 1);
    const minPerSecond = checked('minPerSecond', options.minPerSecond ?? 1, 0, 1000);
    const maxTokens = checked('maxTokens', options.maxTokens ?? 10, 1, 1_000_000);
    this.deposit = Math.round(ratio * SCALE);
    this.refillPerMs = minPerSecond; // thousandths of a token per ms = tokens per second
    this.capacity = Math.round(maxTokens * SCALE);
    this.now = deps.now ?? Date.now;
    this.balance = Math.min(this.capacity, Math.round(minPerSecond * SCALE));
    this.refilledAt = this.now();
  }

  /** Whole and fractional tokens available now. */
  get tokens(): number {
    this.refill();
    return this.balance / SCALE;
  }

  /** Counts one request (its first attempt, not its retries). */
  recordRequest(): void {
    this.refill();
    this.balance = Math.min(this.capacity, this.balance + this.deposit);
  }

  /** Takes a token for one retry; false when the budget is spent (the retry must not be made). */
  tryWithdraw(): boolean {
    this.refill();
    if (this.balance < SCALE) return false;
    this.balance -= SCALE;
    return true;
  }

  private refill(): void {
    const at = this.now();
    // A clock that steps back adds nothing rather than removing tokens.
    const elapsed = Math.max(0, at - this.refilledAt);
    this.refilledAt = Math.max(at, this.refilledAt);
    this.balance = Math.min(this.capacity, this.balance + elapsed * this.refillPerMs);
  }
}

function checked(field: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new TypeError(`retryBudget.${field} must be a number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}
