// callWithRetries against a real fault-injecting upstream: what is retried, what never is, backoff, deadline and budget.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpstreamRequest } from '../../../lambdas/shared/http-client';
import { RetryBudget } from '../../../lambdas/shared/retry-budget';
import { callWithRetries, type RetryCallDeps } from '../../../lambdas/shared/retry-call';
import { resolveRetryPolicy } from '../../../lambdas/shared/retry-policy';
import { freePort, startUpstream, type UpstreamBehaviour, type UpstreamServer } from './support/upstream-server';
import { scaled } from '../../support/time-factor';

/** Never reached by an upstream that answers: only the hang and drip faults run into it. */
const LONG_TIMEOUT_MS = 5_000;
/** Hang and drip faults in the properties cost this much each; the properties only count requests, so lateness is harmless. */
const SHORT_TIMEOUT_MS = 100;
/** Runs per property: each run is a few loopback calls. */
const RUNS = 40;

let upstream: UpstreamServer;
beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(async () => {
  await upstream.close();
});

let pathCounter = 0;
/** A path no other test or run has used, so per-path counts belong to one call. */
function freshPath(name: string): string {
  pathCounter += 1;
  return `/${name}-${pathCounter}`;
}

/** A budget that never gets in the way, for tests about the policy. */
const ampleBudget = () => new RetryBudget({ ratio: 1, minPerSecond: 1000, maxTokens: 1_000_000 });

/** No real sleeping: records the delays instead. */
function instantDeps(overrides: Partial<RetryCallDeps> = {}): RetryCallDeps & { slept: number[] } {
  const slept: number[] = [];
  return { budget: ampleBudget(), random: () => 0.5, sleep: async (ms) => void slept.push(ms), slept, ...overrides };
}

/** Faults whose effect does not depend on timing, each with what the policy should make of it. */
const DETERMINISTIC_FAULTS: readonly { readonly behaviour: UpstreamBehaviour; readonly effect: 'answered' | 'retryable' | 'partial' }[] = [
  { behaviour: { kind: 'respond', status: 200, body: '{"ok":true}' }, effect: 'answered' },
  { behaviour: { kind: 'respond', status: 404 }, effect: 'answered' },
  { behaviour: { kind: 'respond', status: 500 }, effect: 'answered' },
  { behaviour: { kind: 'respond', status: 502 }, effect: 'retryable' },
  { behaviour: { kind: 'respond', status: 503, body: 'busy' }, effect: 'retryable' },
  { behaviour: { kind: 'respond', status: 504 }, effect: 'retryable' },
  { behaviour: { kind: 'reset-before-headers' }, effect: 'retryable' },
  { behaviour: { kind: 'reset-after-headers', declaredBytes: 2_000, sentBytes: 100 }, effect: 'partial' },
  { behaviour: { kind: 'raw', data: 'HTTP/1.1 20' }, effect: 'partial' },
  { behaviour: { kind: 'raw', data: 'not http at all\r\n\r\n' }, effect: 'partial' },
];

/** Every fault, the timing-dependent ones too (they end in the short timeout). */
const ALL_FAULTS: readonly UpstreamBehaviour[] = [
  ...DETERMINISTIC_FAULTS.map((fault) => fault.behaviour),
  { kind: 'hang' },
  { kind: 'respond', status: 200, delayMs: 1_000 },
  { kind: 'drip', chunks: 50, intervalMs: 50 },
];

describe('GIVEN a request that is not safe to repeat (POST or PATCH without Idempotency-Key)', () => {
  it('WHEN the upstream fails in any sequence of ways THEN the request reaches it at most once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'PATCH'),
        fc.array(fc.constantFrom(...ALL_FAULTS), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 5 }),
        async (method, faults, retries) => {
          const path = freshPath('unsafe');
          upstream.script(path, ...faults);
          const result = await callWithRetries(
            { method, url: upstream.url(path), headers: { 'content-type': 'application/json' }, body: Buffer.from('{"charge":1}') },
            { timeoutMs: SHORT_TIMEOUT_MS, retry: resolveRetryPolicy({ retries }) },
            instantDeps(),
          );
          expect(result.attempts).toBe(1);
          expect(upstream.hits(path)).toBeLessThanOrEqual(1);
          expect(result.delaysMs).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('WHEN the upstream answers 503 THEN no retry, and the reason says why', async () => {
    const path = freshPath('post-503');
    upstream.script(path, { kind: 'respond', status: 503 }, { kind: 'respond', status: 201 });
    const result = await callWithRetries(
      { method: 'POST', url: upstream.url(path), body: Buffer.from('x') },
      { timeoutMs: LONG_TIMEOUT_MS },
      instantDeps(),
    );
    expect(result).toMatchObject({ attempts: 1, stoppedBy: 'unsafe-method' });
    expect(result.outcome.kind === 'response' && result.outcome.response.status).toBe(503);
    expect(upstream.hits(path)).toBe(1);
  });
});

describe('GIVEN a request that is safe to repeat (GET, or POST with Idempotency-Key)', () => {
  it('WHEN the upstream fails in any sequence of ways THEN attempts follow the policy: retried until answered, partial or out of retries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(fc.constantFrom(...DETERMINISTIC_FAULTS), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 3 }),
        async (keyed, faults, retries) => {
          const path = freshPath('safe');
          upstream.script(path, ...faults.map((fault) => fault.behaviour));
          const request: UpstreamRequest = keyed
            ? { method: 'POST', url: upstream.url(path), headers: { 'Idempotency-Key': `key-${path}` }, body: Buffer.from('{}') }
            : { method: 'GET', url: upstream.url(path) };
          const result = await callWithRetries(
            request,
            { timeoutMs: LONG_TIMEOUT_MS, retry: resolveRetryPolicy({ retries }) },
            instantDeps(),
          );

          let expected = { attempts: 0, stoppedBy: '' };
          for (let attempt = 1; attempt <= retries + 1 && expected.stoppedBy === ''; attempt += 1) {
            const effect = (faults[Math.min(attempt, faults.length) - 1] ?? faults[0])?.effect;
            if (effect === 'answered') expected = { attempts: attempt, stoppedBy: 'answered' };
            else if (effect === 'partial') expected = { attempts: attempt, stoppedBy: 'partial-response' };
            else if (attempt === retries + 1) expected = { attempts: attempt, stoppedBy: 'retries-exhausted' };
          }
          expect({ attempts: result.attempts, stoppedBy: result.stoppedBy }).toEqual(expected);
          expect(upstream.hits(path)).toBe(expected.attempts);
          expect(result.delaysMs).toHaveLength(expected.attempts - 1);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('WHEN a POST with an Idempotency-Key meets a 503 THEN it is sent again, same key and body, and the retry’s answer is returned', async () => {
    const path = freshPath('keyed');
    upstream.script(path, { kind: 'respond', status: 503 }, { kind: 'respond', status: 201, body: '{"id":7}' });
    const body = Buffer.from('{"item":"book"}');
    const result = await callWithRetries(
      { method: 'POST', url: upstream.url(path), headers: { 'Idempotency-Key': 'order-7' }, body },
      { timeoutMs: LONG_TIMEOUT_MS },
      instantDeps(),
    );
    expect(result).toMatchObject({ attempts: 2, stoppedBy: 'answered' });
    expect(result.outcome.kind === 'response' && result.outcome.response.body.toString()).toBe('{"id":7}');
    const received = upstream.received(path);
    expect(received.map((request) => request.headers['idempotency-key'])).toEqual([['order-7'], ['order-7']]);
    expect(received.every((request) => request.body?.equals(body))).toBe(true);
  });

  it('WHEN a GET meets 503 twice THEN the third attempt’s 200 is returned', async () => {
    const path = freshPath('get-503');
    upstream.script(path, { kind: 'respond', status: 503 }, { kind: 'respond', status: 503 }, { kind: 'respond', status: 200, body: 'ok' });
    const result = await callWithRetries({ method: 'GET', url: upstream.url(path) }, { timeoutMs: LONG_TIMEOUT_MS }, instantDeps());
    expect(result).toMatchObject({ attempts: 3, stoppedBy: 'answered' });
    expect(result.outcome.kind === 'response' && result.outcome.response.status).toBe(200);
  });

  it('WHEN a GET finds nothing listening and the upstream comes up during the backoff THEN the retry succeeds', async () => {
    const port = await freePort();
    let late: UpstreamServer | undefined;
    try {
      const result = await callWithRetries(
        { method: 'GET', url: `http://127.0.0.1:${port}/late` },
        { timeoutMs: LONG_TIMEOUT_MS },
        instantDeps({
          sleep: async () => {
            late ??= await startUpstream({ port });
          },
        }),
      );
      expect(result).toMatchObject({ attempts: 2, stoppedBy: 'answered' });
      expect(late?.hits('/late')).toBe(1);
    } finally {
      await late?.close();
    }
  });

  it('WHEN a GET never finds the upstream THEN every retry is spent and the connect failure is reported', async () => {
    const port = await freePort();
    const result = await callWithRetries(
      { method: 'GET', url: `http://127.0.0.1:${port}/` },
      { timeoutMs: LONG_TIMEOUT_MS },
      instantDeps(),
    );
    expect(result).toMatchObject({ attempts: 3, stoppedBy: 'retries-exhausted' });
    expect(result.outcome.kind === 'error' && result.outcome.error.code).toBe('upstream_connect_failed');
  });

  it('WHEN a GET times out before any byte THEN it is retried', async () => {
    const path = freshPath('get-hang');
    upstream.script(path, { kind: 'hang' }, { kind: 'respond', status: 200, body: 'ok' });
    // Spare retries: on a stalled machine the 200 itself may miss a deadline; what matters is the retry after the hang.
    const result = await callWithRetries(
      { method: 'GET', url: upstream.url(path) },
      { timeoutMs: 500, retry: resolveRetryPolicy({ retries: 4 }) },
      instantDeps(),
    );
    expect(result.stoppedBy).toBe('answered');
    expect(result.attempts).toBeGreaterThanOrEqual(2);
    expect(upstream.hits(path)).toBeGreaterThanOrEqual(2);
  });

  it('WHEN a GET’s body is cut off midway THEN it is not retried: part of the response was read', async () => {
    const path = freshPath('get-partial');
    upstream.script(path, { kind: 'reset-after-headers', declaredBytes: 5_000, sentBytes: 500 }, { kind: 'respond', status: 200 });
    const result = await callWithRetries({ method: 'GET', url: upstream.url(path) }, { timeoutMs: LONG_TIMEOUT_MS }, instantDeps());
    expect(result).toMatchObject({ attempts: 1, stoppedBy: 'partial-response' });
    expect(result.outcome.kind === 'error' && result.outcome.error).toMatchObject({ code: 'upstream_reset', partial: true });
    expect(upstream.hits(path)).toBe(1);
  });

  it('WHEN a GET’s body drips past the timeout THEN it is not retried either', async () => {
    const path = freshPath('get-drip');
    upstream.script(path, { kind: 'drip', chunks: 100, intervalMs: 100 }, { kind: 'respond', status: 200 });
    const result = await callWithRetries({ method: 'GET', url: upstream.url(path) }, { timeoutMs: 500 }, instantDeps());
    expect(result).toMatchObject({ attempts: 1, stoppedBy: 'partial-response' });
    expect(upstream.hits(path)).toBe(1);
  });
});

describe('GIVEN the backoff between attempts', () => {
  it('WHEN random draws its extremes THEN each delay is 0 or just under its cap, and the delays slept are those reported', async () => {
    const retry = resolveRetryPolicy({ retries: 4, baseDelayMs: 100, maxDelayMs: 300 });
    for (const [draw, expected] of [
      [0, [0, 0, 0, 0]],
      [1 - Number.EPSILON, [99, 199, 299, 299]],
    ] as const) {
      const path = freshPath('backoff');
      upstream.script(path, { kind: 'respond', status: 503 });
      const deps = instantDeps({ random: () => draw });
      const result = await callWithRetries({ method: 'GET', url: upstream.url(path) }, { timeoutMs: LONG_TIMEOUT_MS, retry }, deps);
      expect(result.delaysMs).toEqual(expected);
      expect(deps.slept).toEqual(expected.filter((ms) => ms > 0));
    }
  });

  it('WHEN the real sleep is used THEN the call takes at least the delays drawn', async () => {
    const path = freshPath('real-sleep');
    upstream.script(path, { kind: 'respond', status: 503 }, { kind: 'respond', status: 200 });
    const started = Date.now();
    const result = await callWithRetries(
      { method: 'GET', url: upstream.url(path) },
      { timeoutMs: LONG_TIMEOUT_MS, retry: resolveRetryPolicy({ baseDelayMs: 200, maxDelayMs: 200 }) },
      { budget: ampleBudget(), random: () => 0.5 },
    );
    expect(result.delaysMs).toEqual([100]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });
});

describe('GIVEN an overall deadline', () => {
  it('WHEN the upstream keeps answering 503 THEN retries stop once backoff plus a full attempt would end after the deadline', async () => {
    const clock = { t: 1_000_000 };
    const path = freshPath('deadline');
    upstream.script(path, { kind: 'respond', status: 503 });
    const result = await callWithRetries(
      { method: 'GET', url: upstream.url(path) },
      { timeoutMs: 200, deadlineAt: clock.t + 700, retry: resolveRetryPolicy({ retries: 10, baseDelayMs: 100, maxDelayMs: 1_000 }) },
      instantDeps({ now: () => clock.t, sleep: async (ms) => void (clock.t += ms) }),
    );
    // Retry n waits half its cap (random 0.5): 50, 100, 200 fit (t + delay + 200 ≤ 700); the fourth (400) would not.
    expect(result).toMatchObject({ attempts: 4, stoppedBy: 'deadline', delaysMs: [50, 100, 200] });
    expect(upstream.hits(path)).toBe(4);
  });

  it('WHEN the deadline is nearer than the attempt timeout THEN the attempt is cut at the deadline and not retried', async () => {
    const path = freshPath('deadline-hang');
    upstream.script(path, { kind: 'hang' });
    const started = Date.now();
    const result = await callWithRetries(
      { method: 'GET', url: upstream.url(path) },
      { timeoutMs: 30_000, deadlineAt: started + 300 },
      { budget: ampleBudget() },
    );
    expect(result).toMatchObject({ attempts: 1, stoppedBy: 'deadline' });
    expect(result.outcome.kind === 'error' && result.outcome.error.code).toBe('upstream_timeout');
    expect(Date.now() - started).toBeLessThan(300 + scaled(2_000));
  });

  it('WHEN the deadline has already passed THEN nothing is sent', async () => {
    const path = freshPath('expired');
    const result = await callWithRetries(
      { method: 'GET', url: upstream.url(path) },
      { timeoutMs: 1_000, deadlineAt: Date.now() - 1 },
      { budget: ampleBudget() },
    );
    expect(result).toMatchObject({ attempts: 0, stoppedBy: 'deadline' });
    expect(result.outcome.kind === 'error' && result.outcome.error).toMatchObject({ code: 'upstream_timeout', partial: false });
    expect(upstream.hits(path)).toBe(0);
  });
});

describe('GIVEN a sustained outage and a retry budget (10 %, 1 per second)', () => {
  /** Sends `count` GETs to an always-503 path, stopping early only if the time limit runs out. */
  async function outage(count: number, deps: RetryCallDeps, advance: () => void) {
    const path = freshPath('outage');
    upstream.script(path, { kind: 'respond', status: 503 });
    const stopAt = Date.now() + 10_000;
    const stops: string[] = [];
    for (let i = 0; i < count && Date.now() < stopAt; i += 1) {
      const result = await callWithRetries({ method: 'GET', url: upstream.url(path) }, { timeoutMs: LONG_TIMEOUT_MS }, deps);
      stops.push(result.stoppedBy);
      advance();
    }
    expect(stops).toHaveLength(count);
    return { extra: upstream.hits(path) - count, stops };
  }

  it('WHEN 100 requests fail at one instant THEN extra attempts stay within the budget (1 + 10 % of 100), not 2 per request', async () => {
    const now = 1_000_000;
    const budget = new RetryBudget({ ratio: 0.1, minPerSecond: 1 }, { now: () => now });
    const { extra, stops } = await outage(100, instantDeps({ budget, now: () => now }), () => undefined);
    expect(extra).toBeGreaterThan(0);
    expect(extra).toBeLessThanOrEqual(1 + 10);
    expect(stops.filter((stop) => stop === 'budget-exhausted').length).toBeGreaterThanOrEqual(85);
  });

  it('WHEN 100 requests fail over 10 s THEN extra attempts stay within 1 + 10 % of 100 + 1 per second', async () => {
    const clock = { t: 1_000_000 };
    const budget = new RetryBudget({ ratio: 0.1, minPerSecond: 1 }, { now: () => clock.t });
    const { extra } = await outage(100, instantDeps({ budget, now: () => clock.t }), () => void (clock.t += 100));
    expect(extra).toBeGreaterThan(10);
    expect(extra).toBeLessThanOrEqual(1 + 10 + 10);
  });
});

describe('GIVEN a wrapped attempt (deps.call) that throws its own error', () => {
  it('THEN that error ends the call unchanged: only UpstreamError outcomes are judged', async () => {
    const refusal = new Error('circuit open');
    const deps = instantDeps({
      call: async () => {
        throw refusal;
      },
    });
    await expect(callWithRetries({ method: 'GET', url: upstream.url('/never') }, { timeoutMs: 1_000 }, deps)).rejects.toBe(refusal);
  });
});
