// The RateLimit headers, Retry-After and the 429 body computed from a decision.
import { describe, expect, it } from 'vitest';
import { rateLimitHeaders, tooManyRequestsBody, RATE_LIMITED_CODE } from '../../../../lambdas/shared/rate-limit/headers';

describe('GIVEN an admitted request', () => {
  it('WHEN headers are computed THEN they report limit, remaining and reset, without Retry-After', () => {
    expect(rateLimitHeaders({ allowed: true, limit: 100, remaining: 42, resetSeconds: 17, window: 60 })).toEqual({
      'RateLimit-Limit': '100',
      'RateLimit-Remaining': '42',
      'RateLimit-Reset': '17',
    });
  });
});

describe('GIVEN a refused request', () => {
  const refused = { allowed: false, limit: 100, remaining: 0, resetSeconds: 30, retryAfterSeconds: 31, window: 60 };

  it('WHEN headers are computed THEN Retry-After carries the wait in seconds', () => {
    expect(rateLimitHeaders(refused)).toEqual({
      'RateLimit-Limit': '100',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '30',
      'Retry-After': '31',
    });
  });

  it('WHEN the 429 body is built THEN it has the stable code and the wait', () => {
    expect(tooManyRequestsBody(refused)).toEqual({
      message: 'Too many requests: retry in 31 s',
      code: RATE_LIMITED_CODE,
      retryAfterSeconds: 31,
    });
    expect(RATE_LIMITED_CODE).toBe('rate_limited');
  });

  it('WHEN the decision has no wait THEN the body falls back to the window reset', () => {
    expect(tooManyRequestsBody({ ...refused, retryAfterSeconds: undefined }).retryAfterSeconds).toBe(30);
  });
});
