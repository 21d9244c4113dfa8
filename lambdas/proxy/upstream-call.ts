// Sends the request to one target with retries, each attempt guarded by the target's breaker and counted in its window.
import type { Permit } from '../shared/breaker/circuit-breaker';
import type { SharedCircuitBreaker } from '../shared/breaker/shared-circuit-breaker';
import {
  callUpstream,
  UpstreamError,
  type CallOptions,
  type UpstreamErrorCode,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../shared/http-client';
import type { RetryBudget } from '../shared/retry-budget';
import { callWithRetries } from '../shared/retry-call';
import type { AttemptOutcome, RetryPolicy, StopReason } from '../shared/retry-policy';

/**
 * Codes that say the target is unhealthy. A body over the size cap is an answer, not an outage: its
 * permit is handed back without counting.
 */
const BREAKER_FAILURES: ReadonlySet<UpstreamErrorCode> = new Set([
  'upstream_timeout',
  'upstream_connect_failed',
  'upstream_reset',
  'upstream_bad_response',
]);

export interface TargetCallOptions extends CallOptions {
  readonly retry: RetryPolicy;
  readonly deadlineAt: number;
}

export interface TargetCallDeps {
  readonly budget: RetryBudget;
  /** Undefined when the config has no circuit breaker. */
  readonly breaker: SharedCircuitBreaker | undefined;
  /** The permit target selection already took: the first attempt uses it. */
  readonly permit: Permit;
  readonly failureStatuses: ReadonlySet<number>;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<unknown>;
  readonly now: () => number;
  /** Sends one attempt: a Lambda target's invoke (see lambda-call.ts). @default callUpstream */
  readonly send?: (request: UpstreamRequest, options: CallOptions) => Promise<UpstreamResponse>;
}

export interface TargetCallResult {
  readonly outcome: AttemptOutcome;
  readonly attempts: number;
  /** `circuit-open`: the breaker opened between attempts and refused the retry. */
  readonly stoppedBy: StopReason | 'circuit-open';
}

/** Thrown inside an attempt to end the retries; never leaves this module. */
class RetryRefused extends Error {}

export async function callTarget(request: UpstreamRequest, options: TargetCallOptions, deps: TargetCallDeps): Promise<TargetCallResult> {
  const { breaker, failureStatuses, send = callUpstream } = deps;
  let attempts = 0;
  let last: AttemptOutcome | undefined;

  const guardedCall = async (attemptRequest: UpstreamRequest, callOptions: CallOptions): Promise<UpstreamResponse> => {
    const permit = attempts === 0 ? deps.permit : breaker?.tryAcquire();
    if (breaker !== undefined && permit === undefined) throw new RetryRefused();
    attempts += 1;
    try {
      const response = await send(attemptRequest, callOptions);
      last = { kind: 'response', response };
      if (breaker !== undefined && permit !== undefined) {
        if (failureStatuses.has(response.status)) breaker.onFailure(permit);
        else breaker.onSuccess(permit);
      }
      return response;
    } catch (error) {
      if (error instanceof UpstreamError) last = { kind: 'error', error };
      if (breaker !== undefined && permit !== undefined) {
        if (error instanceof UpstreamError && BREAKER_FAILURES.has(error.code)) breaker.onFailure(permit);
        else breaker.release(permit);
      }
      throw error;
    }
  };

  try {
    const result = await callWithRetries(request, options, {
      budget: deps.budget,
      call: guardedCall,
      random: deps.random,
      sleep: deps.sleep,
      now: deps.now,
    });
    // The deadline had passed before the first attempt: the permit was never used.
    if (attempts === 0 && breaker !== undefined) breaker.release(deps.permit);
    return { outcome: result.outcome, attempts, stoppedBy: result.stoppedBy };
  } catch (error) {
    // Only a retry can be refused (the first attempt holds its permit), so `last` is set: the client gets what that attempt got.
    if (error instanceof RetryRefused && last !== undefined) return { outcome: last, attempts, stoppedBy: 'circuit-open' };
    throw error;
  }
}
