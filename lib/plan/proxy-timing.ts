// Proxy timing: the proxy must answer (504 or fallback) before API Gateway's 29 s integration timeout answers for it.
import { REST_INTEGRATION_TIMEOUT_MAX_MS } from '../spec/limits';

/**
 * Time kept between the proxy's own deadline and API Gateway's integration timeout: the Lambda
 * invocation overhead, building the fallback and returning it. One second is far above what the
 * handler needs (bench:proxy measures well under a millisecond) and below anything a user notices.
 */
export const PROXY_ANSWER_MARGIN_MS = 1_000;

/** The latest the proxy may still be waiting on an upstream. */
export const PROXY_DEADLINE_MAX_MS = REST_INTEGRATION_TIMEOUT_MAX_MS - PROXY_ANSWER_MARGIN_MS;

/** The most each retry's backoff can last (full jitter draws from 0 up to this cap). */
export function backoffCapsMs(retry: { readonly retries: number; readonly baseDelayMs: number; readonly maxDelayMs: number }): number[] {
  return Array.from({ length: retry.retries }, (_, i) => Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** i));
}

/** Everything the attempts could take, capped at what API Gateway leaves the proxy. */
export function proxyDeadlineMs(attemptTimeoutMs: number, backoffCaps: readonly number[]): number {
  const worstCase = attemptTimeoutMs * (backoffCaps.length + 1) + backoffCaps.reduce((a, b) => a + b, 0);
  return Math.min(PROXY_DEADLINE_MAX_MS, worstCase);
}

/** Whether the attempts the retry policy allows can all run before the deadline; if not, the last ones are cut. */
export function retriesFitDeadline(attemptTimeoutMs: number, backoffCaps: readonly number[]): boolean {
  return attemptTimeoutMs * (backoffCaps.length + 1) + backoffCaps.reduce((a, b) => a + b, 0) <= PROXY_DEADLINE_MAX_MS;
}
