// Calls an upstream and retries where the retry policy and the budget allow: the composition the proxy and the aggregator use.
import { setTimeout as sleepFor } from 'node:timers/promises';
import { callUpstream, UpstreamError, type CallOptions, type UpstreamRequest, type UpstreamResponse } from './http-client';
import type { RetryBudget } from './retry-budget';
import { DEFAULT_RETRY_POLICY, decideRetry, isRetrySafe, type AttemptOutcome, type RetryPolicy, type StopReason } from './retry-policy';

export interface RetryCallOptions extends CallOptions {
  /** From `resolveRetryPolicy`, once at init. @default DEFAULT_RETRY_POLICY */
  readonly retry?: RetryPolicy;
  /**
   * Latest time (on `deps.now`'s clock) any attempt may end, e.g. the aggregator's overall deadline.
   * Each attempt's timeout is cut to what is left, and no retry starts unless its backoff plus its
   * full `timeoutMs` fit before it. @default - only `retry.retries` bounds the attempts
   */
  readonly deadlineAt?: number;
}

export interface RetryCallDeps {
  /** The upstream's budget, shared by all calls to it from this container. */
  readonly budget: RetryBudget;
  /** Sends one attempt; a wrapper (e.g. a circuit breaker) may throw its own errors, which end the call. @default callUpstream */
  readonly call?: (request: UpstreamRequest, options: CallOptions) => Promise<UpstreamResponse>;
  /** Uniform in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** @default timers/promises setTimeout */
  readonly sleep?: (ms: number) => Promise<unknown>;
  /** Clock in ms. @default Date.now */
  readonly now?: () => number;
}

export interface RetryCallResult {
  /** The last attempt's outcome: a complete response (any status, a 503 included) or the error that ended it. */
  readonly outcome: AttemptOutcome;
  /** Attempts sent (0 only when the deadline had passed before the first). */
  readonly attempts: number;
  /** Backoff slept before each retry, in ms. */
  readonly delaysMs: readonly number[];
  /** Why no further attempt was made. */
  readonly stoppedBy: StopReason;
}

/**
 * Sends `request`, then again while `decideRetry` allows it and the budget has a token. Never throws
 * `UpstreamError`: failures are in `outcome`. Rethrows anything else `deps.call` throws.
 */
export async function callWithRetries(request: UpstreamRequest, options: RetryCallOptions, deps: RetryCallDeps): Promise<RetryCallResult> {
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const { budget, call = callUpstream, random = Math.random, sleep = sleepFor, now = Date.now } = deps;
  const safe = isRetrySafe(request.method, request.headers);
  const delaysMs: number[] = [];
  budget.recordRequest();

  let attempts = 0;
  let last: AttemptOutcome | undefined;
  // Bounded by count (1 + policy.retries, enforced by decideRetry) and by time (deadlineAt).
  for (;;) {
    const left = options.deadlineAt === undefined ? Infinity : options.deadlineAt - now();
    if (left <= 0) return { outcome: last ?? expiredBeforeStart(), attempts, delaysMs, stoppedBy: 'deadline' };
    attempts += 1;
    last = await attempt(call, request, { ...options, timeoutMs: Math.min(options.timeoutMs, left) });
    let decision = decideRetry({
      policy,
      safe,
      outcome: last,
      retriesMade: attempts - 1,
      nowMs: now(),
      deadlineAt: options.deadlineAt,
      attemptTimeoutMs: options.timeoutMs,
      random,
    });
    if (decision.retry && !budget.tryWithdraw()) decision = { retry: false, reason: 'budget-exhausted' };
    if (!decision.retry) return { outcome: last, attempts, delaysMs, stoppedBy: decision.reason };
    delaysMs.push(decision.delayMs);
    if (decision.delayMs > 0) await sleep(decision.delayMs);
  }
}

async function attempt(call: NonNullable<RetryCallDeps['call']>, request: UpstreamRequest, options: CallOptions): Promise<AttemptOutcome> {
  try {
    return { kind: 'response', response: await call(request, options) };
  } catch (error) {
    if (error instanceof UpstreamError) return { kind: 'error', error };
    throw error;
  }
}

/** The outcome of a call whose deadline passed before its first attempt: a timeout that sent nothing. */
function expiredBeforeStart(): AttemptOutcome {
  return { kind: 'error', error: new UpstreamError('upstream_timeout', { phase: 'connect', partial: false, elapsedMs: 0 }) };
}
