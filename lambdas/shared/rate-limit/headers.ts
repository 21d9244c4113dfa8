// The response parts of a decision: the IETF draft RateLimit headers, Retry-After and the 429 body.
import type { RateLimitDecision } from './rate-limiter';

/** The stable code of a 429 body; clients branch on it, not on the message. */
export const RATE_LIMITED_CODE = 'rate_limited';

/**
 * `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (delta seconds) of the reported
 * window, as in draft-ietf-httpapi-ratelimit-headers; `Retry-After` (seconds) when refused.
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
  };
  if (!decision.allowed && decision.retryAfterSeconds !== undefined) headers['Retry-After'] = String(decision.retryAfterSeconds);
  return headers;
}

export interface TooManyRequestsBody {
  readonly message: string;
  readonly code: typeof RATE_LIMITED_CODE;
  readonly retryAfterSeconds: number;
}

/** The JSON body of a 429. */
export function tooManyRequestsBody(decision: RateLimitDecision): TooManyRequestsBody {
  const retryAfterSeconds = decision.retryAfterSeconds ?? decision.resetSeconds;
  return { message: `Too many requests: retry in ${retryAfterSeconds} s`, code: RATE_LIMITED_CODE, retryAfterSeconds };
}
