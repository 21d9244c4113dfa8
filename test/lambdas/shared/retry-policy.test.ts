// The pure retry decision: which requests are safe to repeat, which outcomes are worth it, backoff with full jitter, the deadline.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UpstreamError, type UpstreamErrorCode, type UpstreamResponse } from '../../../lambdas/shared/http-client';
import {
  backoffDelayMs,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  isRetrySafe,
  resolveRetryPolicy,
  type AttemptOutcome,
  type RetryQuestion,
} from '../../../lambdas/shared/retry-policy';

const RUNS = 200;

function answer(status: number): AttemptOutcome {
  const response: UpstreamResponse = {
    status,
    headers: {},
    body: Buffer.alloc(0),
    timings: { headersMs: 1, totalMs: 1 },
    reusedConnection: false,
  };
  return { kind: 'response', response };
}

function failed(code: UpstreamErrorCode, partial = false): AttemptOutcome {
  return { kind: 'error', error: new UpstreamError(code, { phase: partial ? 'body' : 'headers', partial, elapsedMs: 1 }) };
}

function ask(outcome: AttemptOutcome, overrides: Partial<RetryQuestion> = {}) {
  return decideRetry({
    policy: DEFAULT_RETRY_POLICY,
    safe: true,
    outcome,
    retriesMade: 0,
    nowMs: 0,
    attemptTimeoutMs: 1_000,
    random: () => 0.5,
    ...overrides,
  });
}

describe('GIVEN a request (isRetrySafe)', () => {
  it.each(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'get'])('WHEN its method is %s THEN it may be repeated', (method) => {
    expect(isRetrySafe(method)).toBe(true);
  });

  it.each(['POST', 'PATCH', 'CONNECT'])('WHEN its method is %s without an Idempotency-Key THEN it may not', (method) => {
    expect(isRetrySafe(method, { 'content-type': 'application/json' })).toBe(false);
  });

  it('WHEN a POST carries an Idempotency-Key, in any case, as a string or a list THEN it may be repeated', () => {
    expect(isRetrySafe('POST', { 'Idempotency-Key': 'order-42' })).toBe(true);
    expect(isRetrySafe('POST', { 'idempotency-key': ['order-42'] })).toBe(true);
    expect(isRetrySafe('PATCH', { 'IDEMPOTENCY-KEY': 'k' })).toBe(true);
  });

  it('WHEN the Idempotency-Key is empty, blank or absent THEN the POST may not be repeated', () => {
    expect(isRetrySafe('POST', { 'Idempotency-Key': '' })).toBe(false);
    expect(isRetrySafe('POST', { 'Idempotency-Key': '   ' })).toBe(false);
    expect(isRetrySafe('POST', { 'Idempotency-Key': [] })).toBe(false);
    expect(isRetrySafe('POST', { 'Idempotency-Key': undefined })).toBe(false);
  });
});

describe('GIVEN an attempt that ended (decideRetry)', () => {
  it.each([200, 201, 204, 400, 404, 429, 500, 501])('WHEN it answered %i THEN no retry: answered', (status) => {
    expect(ask(answer(status))).toEqual({ retry: false, reason: 'answered' });
  });

  it.each([502, 503, 504])('WHEN it answered %i THEN a retry, after a jittered delay', (status) => {
    expect(ask(answer(status))).toEqual({ retry: true, delayMs: 25 });
  });

  it('WHEN the policy lists other statuses THEN those and only those are retried', () => {
    const policy = resolveRetryPolicy({ retryOnStatuses: [429] });
    expect(ask(answer(429), { policy }).retry).toBe(true);
    expect(ask(answer(503), { policy })).toEqual({ retry: false, reason: 'answered' });
  });

  it.each<UpstreamErrorCode>(['upstream_connect_failed', 'upstream_timeout', 'upstream_reset'])(
    'WHEN it failed with %s before any response byte THEN a retry',
    (code) => {
      expect(ask(failed(code)).retry).toBe(true);
    },
  );

  it.each<UpstreamErrorCode>(['upstream_timeout', 'upstream_reset', 'upstream_too_large', 'upstream_bad_response'])(
    'WHEN it failed with %s after part of the response THEN never a retry, even for a GET',
    (code) => {
      expect(ask(failed(code, true))).toEqual({ retry: false, reason: 'partial-response' });
    },
  );

  it.each<UpstreamErrorCode>(['upstream_too_large', 'upstream_bad_response'])(
    'WHEN it failed with %s THEN no retry: a retry would repeat it',
    (code) => {
      expect(ask(failed(code))).toEqual({ retry: false, reason: 'not-retryable' });
    },
  );

  it('WHEN the request is not safe to repeat THEN no retry on any retryable outcome', () => {
    for (const outcome of [answer(503), failed('upstream_connect_failed'), failed('upstream_timeout'), failed('upstream_reset')]) {
      expect(ask(outcome, { safe: false })).toEqual({ retry: false, reason: 'unsafe-method' });
    }
  });

  it('WHEN the policy’s retries are used up THEN no retry', () => {
    expect(ask(answer(503), { retriesMade: 1 }).retry).toBe(true);
    expect(ask(answer(503), { retriesMade: 2 })).toEqual({ retry: false, reason: 'retries-exhausted' });
    expect(ask(answer(503), { policy: resolveRetryPolicy({ retries: 0 }) })).toEqual({ retry: false, reason: 'retries-exhausted' });
  });

  it('WHEN the backoff plus a full attempt would end after the deadline THEN no retry; when it ends exactly at it THEN a retry', () => {
    // random 0.5, first retry: delay 25 ms; attempt timeout 1000 ms.
    expect(ask(answer(503), { nowMs: 10_000, deadlineAt: 11_025 })).toEqual({ retry: true, delayMs: 25 });
    expect(ask(answer(503), { nowMs: 10_000, deadlineAt: 11_024 })).toEqual({ retry: false, reason: 'deadline' });
  });
});

describe('GIVEN the backoff (full jitter)', () => {
  it('THEN the cap doubles from baseDelayMs up to maxDelayMs, and random 0 gives no wait', () => {
    const policy = resolveRetryPolicy({ baseDelayMs: 50, maxDelayMs: 1_000, retries: 10 });
    const nearlyOne = () => 1 - Number.EPSILON;
    expect([1, 2, 3, 4, 5, 6, 7].map((retry) => backoffDelayMs(retry, policy, nearlyOne))).toEqual([49, 99, 199, 399, 799, 999, 999]);
    expect([1, 2, 3, 4].map((retry) => backoffDelayMs(retry, policy, () => 0))).toEqual([0, 0, 0, 0]);
  });

  it('THEN for any policy, retry number and random draw the delay is a whole number of ms within [0, cap]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (a, b, retry, draw) => {
          const policy = resolveRetryPolicy({ baseDelayMs: Math.min(a, b), maxDelayMs: Math.max(a, b) });
          const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
          const delay = backoffDelayMs(retry, policy, () => draw);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(cap);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('THEN a random source out of range cannot push the delay outside [0, cap]', () => {
    const policy = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 100 });
    expect(backoffDelayMs(1, policy, () => 7)).toBe(100);
    expect(backoffDelayMs(1, policy, () => -3)).toBe(0);
  });
});

describe('GIVEN retry settings (resolveRetryPolicy)', () => {
  it('WHEN none are given THEN the defaults: 2 retries, 50 ms doubling to 1 s, on 502/503/504', () => {
    expect(resolveRetryPolicy()).toEqual({ retries: 2, baseDelayMs: 50, maxDelayMs: 1_000, retryOnStatuses: [502, 503, 504] });
  });

  it('WHEN some are given THEN the rest keep their defaults', () => {
    expect(resolveRetryPolicy({ retries: 4, retryOnStatuses: [503] })).toMatchObject({
      retries: 4,
      baseDelayMs: 50,
      retryOnStatuses: [503],
    });
  });

  it.each([
    [{ retries: -1 }, /retries\.retries must be a whole number from 0 to 10, got -1/],
    [{ retries: 1.5 }, /retries\.retries/],
    [{ baseDelayMs: Number.NaN }, /retries\.baseDelayMs .*got NaN/],
    [{ baseDelayMs: 500, maxDelayMs: 100 }, /retries\.maxDelayMs \(100\) must not be below retries\.baseDelayMs \(500\)/],
    [{ retryOnStatuses: [200] }, /retries\.retryOnStatuses must list statuses from 400 to 599, got \[200\]/],
    [{ attempts: 2 } as never, /retries\.attempts is not a retry setting/],
  ])('WHEN given %j THEN a TypeError naming the field', (input, message) => {
    expect(() => resolveRetryPolicy(input)).toThrow(TypeError);
    expect(() => resolveRetryPolicy(input)).toThrow(message);
  });
});
