// The limiter over an in-process store: windows, the fast path, failOpen / fail closed, hooks and metrics.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureOutput, metricCount, type CapturedOutput } from '../../authorizer/support/fixtures';
import { clientKeyOf } from '../../../../lambdas/shared/rate-limit/client-key';
import { RATE_LIMIT_TABLE_ENV, resolveRateLimitConfig, type RateLimitInput } from '../../../../lambdas/contract/rate-limit-config';
import { DEFAULT_LOCAL_COUNTERS, LocalLimiter, PREVIOUS_WINDOW_SETTLE_MS } from '../../../../lambdas/shared/rate-limit/local-limiter';
import {
  RATE_LIMIT_ALLOWED_METRIC,
  RATE_LIMIT_DENIED_METRIC,
  RATE_LIMIT_SCOPE_DIMENSION,
  RATE_LIMIT_STORE_UNAVAILABLE_METRIC,
} from '../../../../lambdas/contract/rate-limit-metrics';
import { RATE_LIMIT_UNAVAILABLE_LOG_INTERVAL_MS, rateLimitObservability } from '../../../../lambdas/shared/rate-limit/observability';
import {
  createRateLimiter,
  STORE_RETRY_MS,
  type RateLimitDecisionEvent,
  type RateLimitHooks,
} from '../../../../lambdas/shared/rate-limit/rate-limiter';
import { proxyEvent } from './support/events';
import { MemoryCounterStore } from './support/memory-counter-store';

/** 2026-11-28T12:00:00Z: a minute, hour and day boundary. */
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const SCOPE = 'orders-api#GET /orders';

function limiterOf(input: RateLimitInput, options: { store?: MemoryCounterStore; hooks?: RateLimitHooks; local?: LocalLimiter } = {}) {
  const clock = { t: T0 };
  const store = options.store ?? new MemoryCounterStore();
  const events: RateLimitDecisionEvent[] = [];
  const limiter = createRateLimiter(resolveRateLimitConfig(input, SCOPE), {
    store,
    now: () => clock.t,
    hooks: options.hooks ?? { onDecision: (event) => events.push(event) },
    local: options.local,
  });
  return { limiter, store, clock, events };
}

async function admittedOf(check: () => Promise<{ allowed: boolean }>, requests: number): Promise<number> {
  let admitted = 0;
  for (let i = 0; i < requests; i += 1) if ((await check()).allowed) admitted += 1;
  return admitted;
}

describe('GIVEN a limit of 5 a minute', () => {
  it('WHEN one client sends 8 THEN 5 pass, counted down, and the rest are refused with a wait', async () => {
    const { limiter } = limiterOf({ minute: 5 });
    const decisions = [];
    for (let i = 0; i < 8; i += 1) decisions.push(await limiter.check('tenant-a'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0, 0]);
    expect(decisions[5]).toMatchObject({ limit: 5, window: 60, resetSeconds: 60, retryAfterSeconds: 72 });
  });

  it('WHEN a client is over THEN the fast path refuses without a table call, so its hammering is counted once', async () => {
    const { limiter, store, events } = limiterOf({ minute: 5 });
    await admittedOf(() => limiter.check('tenant-a'), 100);
    // The 5th came back with count 5, the limit: from then on this instance refuses on its own.
    expect(store.increments).toBe(5);
    expect(events.filter((e) => e.source === 'local')).toHaveLength(95);
  });

  it('WHEN another client sends THEN its counter is its own', async () => {
    const { limiter } = limiterOf({ minute: 5 });
    await admittedOf(() => limiter.check('tenant-a'), 10);
    expect((await limiter.check('tenant-b')).allowed).toBe(true);
  });

  it('WHEN the window rolls over THEN the previous count fades in as the sliding estimate says', async () => {
    const { limiter, clock } = limiterOf({ minute: 5 });
    await admittedOf(() => limiter.check('tenant-a'), 5);
    clock.t = T0 + 60_000;
    expect((await limiter.check('tenant-a')).allowed).toBe(false); // 5 * 1 + 1 > 5
    clock.t = T0 + 60_000 + 12_000; // 5 * 0.8 + 1 = 5
    expect((await limiter.check('tenant-a')).allowed).toBe(true);
    clock.t = T0 + 180_000; // two windows later: nothing counts
    expect(await admittedOf(() => limiter.check('tenant-a'), 6)).toBe(5);
  });

  it('WHEN a cold instance starts right after a full window THEN it reads that window first and refuses', async () => {
    const { limiter, store, clock } = limiterOf({ minute: 5 });
    await admittedOf(() => limiter.check('tenant-a'), 5);
    clock.t = T0 + 61_000;
    const cold = limiterOf({ minute: 5 }, { store });
    cold.clock.t = clock.t;
    const decision = await cold.limiter.check('tenant-a');
    expect(decision).toMatchObject({ allowed: false, remaining: 0 });
    expect(store.counts.get(`${SCOPE}#tenant-a#60#${T0 / 1000 + 60}`)).toBeUndefined();
  });

  it('WHEN requests of one client arrive together THEN they share one read of the previous window', async () => {
    const { limiter, store } = limiterOf({ minute: 50 });
    const decisions = await Promise.all(Array.from({ length: 20 }, () => limiter.check('tenant-a')));
    expect(decisions.every((d) => d.allowed)).toBe(true);
    expect(store.reads).toBe(1);
    expect(store.increments).toBe(20);
  });

  it('WHEN the limiter is given a proxy event THEN it counts by the configured kind', async () => {
    const { limiter, store } = limiterOf({ minute: 5, by: 'ip' });
    await limiter.check(proxyEvent({ sourceIp: '198.51.100.7' }));
    const ipKey = clientKeyOf(proxyEvent({ sourceIp: '198.51.100.7' }), { kind: 'ip' });
    expect([...store.counts.keys()]).toEqual([`${SCOPE}#${ipKey}#60#${T0 / 1000}`]);
  });

  it('WHEN a ready-made client key contains the separator THEN check rejects it with a TypeError', async () => {
    const { limiter } = limiterOf({ minute: 5 });
    await expect(limiter.check('a#b')).rejects.toThrow(TypeError);
  });
});

describe('GIVEN a minute and an hour limit', () => {
  it('WHEN both admit THEN the headers report the window with fewer requests left', async () => {
    const { limiter, clock } = limiterOf({ minute: 10, hour: 12 });
    expect(await limiter.check('t')).toMatchObject({ allowed: true, window: 60, limit: 10, remaining: 9 });
    await admittedOf(() => limiter.check('t'), 9);
    clock.t = T0 + 120_000; // a fresh minute (the one before was empty), the same hour
    expect(await limiter.check('t')).toMatchObject({ allowed: true, window: 3600, limit: 12, remaining: 1 });
  });

  it('WHEN the hour is spent THEN requests are refused even in a fresh minute, reporting the hour', async () => {
    const { limiter, clock } = limiterOf({ minute: 10, hour: 12 });
    expect(await admittedOf(() => limiter.check('t'), 10)).toBe(10);
    clock.t = T0 + 60_000 * 2;
    expect(await admittedOf(() => limiter.check('t'), 10)).toBe(2);
    const refused = await limiter.check('t');
    expect(refused).toMatchObject({ allowed: false, window: 3600, limit: 12, remaining: 0 });
    expect(refused.retryAfterSeconds).toBeGreaterThan(3000);
  });

  it('WHEN it reads previous windows THEN each is read once, and once more after it settled', async () => {
    const { limiter, store, clock } = limiterOf({ minute: 1000, hour: 100_000 });
    await admittedOf(() => limiter.check('t'), 10);
    expect(store.reads).toBe(2); // previous minute and previous hour, at the first request
    clock.t = T0 + PREVIOUS_WINDOW_SETTLE_MS;
    await admittedOf(() => limiter.check('t'), 10);
    expect(store.reads).toBe(4);
    clock.t = T0 + 30_000;
    await admittedOf(() => limiter.check('t'), 10);
    expect(store.reads).toBe(4);
  });
});

describe('GIVEN the counter table is unreachable', () => {
  const outage = (): MemoryCounterStore => {
    const store = new MemoryCounterStore();
    store.failWith = new Error('connect ECONNREFUSED 127.0.0.1:9');
    return store;
  };

  it('WHEN failOpen THEN requests pass marked degraded, each instance limiting alone on its own counts', async () => {
    const { limiter, events } = limiterOf({ minute: 5 }, { store: outage() });
    const first = await limiter.check('t');
    expect(first).toMatchObject({ allowed: true, degraded: 'store_unavailable', remaining: 4 });
    expect(await admittedOf(() => limiter.check('t'), 10)).toBe(4);
    expect(events[0]).toMatchObject({ source: 'degraded', allowed: true });
  });

  it('WHEN not failOpen THEN requests are refused marked degraded, for the handler to answer 503', async () => {
    const { limiter } = limiterOf({ minute: 5, failOpen: false }, { store: outage() });
    expect(await limiter.check('t')).toMatchObject({ allowed: false, degraded: 'store_unavailable', remaining: 0, retryAfterSeconds: 1 });
  });

  it('WHEN it failed THEN the table is skipped for STORE_RETRY_MS and tried again after, reporting its return', async () => {
    const store = outage();
    const unavailable: number[] = [];
    const available: number[] = [];
    const { limiter, clock } = limiterOf(
      { minute: 50 },
      { store, hooks: { onStoreUnavailable: (e) => unavailable.push(e.atMs), onStoreAvailable: (e) => available.push(e.atMs) } },
    );
    await admittedOf(() => limiter.check('t'), 5);
    expect(unavailable).toEqual([T0]);
    store.failWith = undefined;
    clock.t = T0 + STORE_RETRY_MS - 1;
    expect((await limiter.check('t')).degraded).toBe('store_unavailable');
    clock.t = T0 + STORE_RETRY_MS;
    expect((await limiter.check('t')).degraded).toBeUndefined();
    expect(available).toEqual([T0 + STORE_RETRY_MS]);
  });
});

describe('GIVEN the fast path memory', () => {
  it('WHEN more clients come than it holds THEN the least recently used are forgotten', async () => {
    const local = new LocalLimiter(3);
    const { limiter } = limiterOf({ minute: 5 }, { local });
    for (const key of ['a', 'b', 'c', 'd']) await limiter.check(key);
    expect(local.size).toBe(3);
    expect(DEFAULT_LOCAL_COUNTERS).toBe(10_000);
  });

  it('WHEN a size is not a positive integer THEN it is a TypeError', () => {
    expect(() => new LocalLimiter(0)).toThrow(/maxCounters must be a positive integer, got 0/);
  });
});

describe('GIVEN no store and no table name', () => {
  it('WHEN a limiter is created THEN a TypeError names the env var', () => {
    vi.stubEnv(RATE_LIMIT_TABLE_ENV, '');
    expect(() => createRateLimiter(resolveRateLimitConfig({ minute: 1 }, SCOPE), { hooks: {} })).toThrow(/set GATEHOUSE_RATE_LIMIT_TABLE/);
    vi.unstubAllEnvs();
  });
});

describe('GIVEN the default observability hooks', () => {
  let output: CapturedOutput | undefined;
  afterEach(() => {
    output?.restore();
    output = undefined;
  });

  function captured() {
    output = captureOutput();
    const logger = new Logger({ serviceName: 'proxy-test', logLevel: 'INFO' });
    const metrics = new Metrics({ namespace: 'GatehouseTest', serviceName: 'proxy-test', logger });
    return { output, logger, metrics };
  }

  it('WHEN requests are decided THEN allowed and denied are counted per scope, never per client', async () => {
    const { output, logger, metrics } = captured();
    const { limiter } = limiterOf({ minute: 1 }, { hooks: rateLimitObservability({ logger, metrics }) });
    await limiter.check('tenant-a');
    await limiter.check('tenant-a');
    expect(metricCount(output, RATE_LIMIT_ALLOWED_METRIC, { [RATE_LIMIT_SCOPE_DIMENSION]: SCOPE })).toBe(1);
    expect(metricCount(output, RATE_LIMIT_DENIED_METRIC, { [RATE_LIMIT_SCOPE_DIMENSION]: SCOPE })).toBe(1);
    expect(output.text()).not.toContain('tenant-a');
  });

  it('WHEN the table stays down THEN one line per period is logged, and degraded decisions are counted', async () => {
    const { output, logger, metrics } = captured();
    const clock = { t: T0 };
    const hooks = rateLimitObservability({ logger, metrics, now: () => clock.t });
    for (let i = 0; i < 3; i += 1) hooks.onStoreUnavailable?.({ scope: SCOPE, atMs: clock.t, error: new Error('down') });
    hooks.onDecision?.({ scope: SCOPE, allowed: true, source: 'degraded', window: 60 });
    clock.t += RATE_LIMIT_UNAVAILABLE_LOG_INTERVAL_MS;
    hooks.onStoreUnavailable?.({ scope: SCOPE, atMs: clock.t, error: new Error('down') });
    hooks.onStoreAvailable?.({ scope: SCOPE, atMs: clock.t });
    hooks.onStoreAvailable?.({ scope: SCOPE, atMs: clock.t });
    const lines = output.records().filter((record) => typeof record.message === 'string');
    expect(lines.map((record) => [record.level, record.failuresNotLogged])).toEqual([
      ['WARN', 0],
      ['WARN', 2],
      ['INFO', undefined],
    ]);
    expect(metricCount(output, RATE_LIMIT_STORE_UNAVAILABLE_METRIC, { [RATE_LIMIT_SCOPE_DIMENSION]: SCOPE })).toBe(1);
  });
});
