// The shared breaker's own logic on an in-process store: what is written when, cache reads, ordering, outages, hooks.
import { describe, expect, it } from 'vitest';
import { nextVersion } from '../../../../lambdas/shared/breaker/persistence/base-persistence-layer';
import type { Permit } from '../../../../lambdas/shared/breaker/circuit-breaker';
import {
  DEFAULT_CACHE_MS,
  STORE_RETRY_MS,
  SharedCircuitBreaker,
  type BreakerTransitionEvent,
  type SharedCircuitBreakerOptions,
  type StoreEvent,
  type StoreFailureEvent,
} from '../../../../lambdas/shared/breaker/shared-circuit-breaker';
import { MemoryBreakerStore } from './support/breaker-memory-store';

const T0 = 1_700_000_000_000;
const KEY = 'order-service https://orders-v1.internal.example.com';
const CONFIG = { minimumRequests: 4, failureRate: 50, windowSeconds: 10, openSeconds: 5, halfOpenProbes: 1 };

/** One simulated Lambda instance: its own breaker and hooks, sharing the clock and (optionally) a store. */
function instance(clock: { t: number }, options: Partial<SharedCircuitBreakerOptions> = {}) {
  const transitions: BreakerTransitionEvent[] = [];
  const unavailable: StoreFailureEvent[] = [];
  const available: StoreEvent[] = [];
  const breaker = new SharedCircuitBreaker({
    key: KEY,
    config: CONFIG,
    now: () => clock.t,
    hooks: {
      onTransition: (event) => transitions.push(event),
      onStoreUnavailable: (event) => unavailable.push(event),
      onStoreAvailable: (event) => available.push(event),
    },
    ...options,
  });
  const fail = (count: number) => {
    for (let i = 0; i < count; i += 1) {
      const permit = breaker.tryAcquire();
      if (permit) breaker.onFailure(permit);
    }
  };
  return { breaker, transitions, unavailable, available, fail };
}

describe('GIVEN a breaker without a store (memory only)', () => {
  it('WHEN it opens THEN the transition is reported at once as local and not shared', () => {
    const clock = { t: T0 };
    const { breaker, transitions, fail } = instance(clock);
    fail(4);
    expect(breaker.state).toBe('open');
    expect(transitions).toEqual([
      expect.objectContaining({ key: KEY, from: 'closed', to: 'open', reason: 'failure-rate', origin: 'local', shared: false }),
    ]);
    expect(breaker.config.openSeconds).toBe(5);
  });

  it('WHEN synced or settled THEN there is nothing to wait for', async () => {
    const { breaker } = instance({ t: T0 });
    await breaker.sync();
    await breaker.settled();
    expect(breaker.tryAcquire()).toBeDefined();
  });
});

describe('GIVEN a breaker with a store', () => {
  it('WHEN it opens THEN the transition is written with the next version and reported as shared once written', async () => {
    const clock = { t: T0 };
    const store = new MemoryBreakerStore();
    const { breaker, transitions, fail } = instance(clock, { store });
    fail(4);
    expect(transitions).toEqual([]); // reported when the write answers
    await breaker.settled();
    expect(store.items.get(KEY)).toEqual({ state: 'open', version: nextVersion(0, T0), openUntilMs: T0 + 5000, updatedAtMs: T0 });
    expect(transitions).toEqual([expect.objectContaining({ to: 'open', origin: 'local', shared: true })]);
  });

  it('WHEN a cold instance syncs first THEN its first request already sees the shared open state', async () => {
    const clock = { t: T0 };
    const store = new MemoryBreakerStore();
    const first = instance(clock, { store });
    first.fail(4);
    await first.breaker.settled();
    const cold = instance(clock, { store });
    await cold.breaker.sync();
    expect(cold.breaker.tryAcquire()).toBeUndefined();
    expect(cold.transitions).toEqual([
      expect.objectContaining({ to: 'open', reason: 'adopted', origin: 'adopted', shared: true, openUntilMs: T0 + 5000 }),
    ]);
  });

  it('WHEN requests come within the cache period THEN the store is read once; after it, once more, in the background', async () => {
    const clock = { t: T0 };
    const store = new MemoryBreakerStore();
    const { breaker } = instance(clock, { store });
    for (let i = 0; i < 100; i += 1) expect(breaker.tryAcquire()).toBeDefined();
    await breaker.settled();
    expect(store.reads).toBe(1);
    clock.t += DEFAULT_CACHE_MS - 1;
    breaker.tryAcquire();
    expect(store.reads).toBe(1);
    clock.t += 1;
    breaker.tryAcquire();
    breaker.tryAcquire();
    await breaker.settled();
    expect(store.reads).toBe(2);
  });

  it('WHEN another instance opened it THEN this one refuses after its next background read, not before', async () => {
    const clock = { t: T0 };
    const store = new MemoryBreakerStore();
    const a = instance(clock, { store });
    const b = instance(clock, { store });
    b.breaker.tryAcquire();
    await b.breaker.settled(); // b's copy: nothing stored, fresh for 1 s
    a.fail(4);
    await a.breaker.settled();
    expect(b.breaker.tryAcquire()).toBeDefined(); // still within b's cache period
    clock.t += DEFAULT_CACHE_MS;
    expect(b.breaker.tryAcquire()).toBeDefined(); // starts the read; the hot path does not wait for it
    await b.breaker.settled();
    expect(b.breaker.tryAcquire()).toBeUndefined();
  });

  it('WHEN two instances race on the same version THEN exactly one write wins and the other adopts what is stored', async () => {
    const clock = { t: T0 };
    const store = new MemoryBreakerStore();
    const a = instance(clock, { store });
    const b = instance(clock, { store });
    const release = store.hold();
    a.fail(4);
    clock.t += 7;
    b.fail(4);
    release();
    await Promise.all([a.breaker.settled(), b.breaker.settled()]);
    expect(store.items.get(KEY)).toMatchObject({ state: 'open', openUntilMs: T0 + 5000 });
    expect(a.transitions).toEqual([expect.objectContaining({ to: 'open', origin: 'local', shared: true })]);
    expect(b.transitions).toEqual([]); // same state: nothing changed for b, except the end of the open period
    clock.t = T0 + 5000;
    expect(b.breaker.tryAcquire()?.probe).toBe(true);
  });

  it('WHEN a change overtakes one still waiting to be written THEN only the newest is written', async () => {
    const clock = { t: T0 };
    const store = new MemoryBreakerStore();
    const { breaker, transitions, fail } = instance(clock, { store });
    const release = store.hold();
    fail(4); // open
    await new Promise((resolve) => setImmediate(resolve)); // its write is under way, held by the store
    clock.t += 5000;
    const probe = breaker.tryAcquire() as Permit; // half-open: queued
    breaker.onFailure(probe); // open again: queued, overtakes half-open
    release();
    await breaker.settled();
    expect(store.writes).toBe(2);
    expect(store.items.get(KEY)).toMatchObject({ state: 'open', openUntilMs: T0 + 10_000 });
    expect(transitions.map(({ to, shared }) => [to, shared])).toEqual([
      ['open', true],
      ['half-open', false],
      ['open', true],
    ]);
  });

  it('WHEN a background read answers after a write of this instance THEN the older state is ignored', async () => {
    const clock = { t: T0 };
    const store = new MemoryBreakerStore();
    const { breaker, fail } = instance(clock, { store });
    const release = store.hold();
    breaker.tryAcquire(); // read under way: will find nothing
    fail(3);
    release();
    await breaker.settled();
    fail(1); // opens and writes
    await breaker.settled();
    clock.t += DEFAULT_CACHE_MS;
    breaker.tryAcquire();
    await breaker.settled();
    expect(breaker.state).toBe('open');
  });

  it('WHEN the item expired and a fresh instance wrote it anew THEN its version still counts as newer', async () => {
    const clock = { t: T0 };
    const store = new MemoryBreakerStore();
    const veteran = instance(clock, { store });
    veteran.fail(4);
    await veteran.breaker.settled();
    clock.t += 5000;
    veteran.breaker.onSuccess(veteran.breaker.tryAcquire() as Permit); // closes again
    await veteran.breaker.settled();
    store.items.delete(KEY); // removed by the table's TTL
    clock.t += 60_000;
    const fresh = instance(clock, { store });
    fresh.fail(4);
    await fresh.breaker.settled();
    veteran.breaker.tryAcquire();
    await veteran.breaker.settled();
    expect(veteran.breaker.state).toBe('open');
  });
});

describe('GIVEN a store that cannot be reached', () => {
  it('WHEN requests keep coming THEN nothing throws, decisions stay local, and reads back off to one per STORE_RETRY_MS', async () => {
    const clock = { t: T0 };
    const store = new MemoryBreakerStore();
    store.failure = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { name: 'TimeoutError' });
    const { breaker, transitions, unavailable, fail } = instance(clock, { store });
    for (let ms = 0; ms < STORE_RETRY_MS; ms += 100) {
      clock.t = T0 + ms;
      expect(() => breaker.tryAcquire()).not.toThrow();
      await breaker.settled();
    }
    expect(store.reads).toBe(1);
    fail(4);
    await breaker.settled();
    expect(breaker.state).toBe('open');
    expect(transitions).toEqual([expect.objectContaining({ to: 'open', origin: 'local', shared: false })]);
    expect(unavailable.map(({ operation }) => operation)).toEqual(['read', 'write']);
    expect(unavailable[0]?.error).toBe(store.failure);
  });

  it('WHEN the store answers again THEN recovery is reported once and shared state is read again', async () => {
    const clock = { t: T0 };
    const store = new MemoryBreakerStore();
    store.failure = new Error('down');
    const { breaker, available } = instance(clock, { store });
    breaker.tryAcquire();
    await breaker.settled();
    store.failure = undefined;
    store.items.set(KEY, { state: 'open', version: T0 + 1, openUntilMs: T0 + 60_000, updatedAtMs: T0 });
    clock.t += STORE_RETRY_MS;
    breaker.tryAcquire();
    await breaker.settled();
    clock.t += DEFAULT_CACHE_MS;
    breaker.tryAcquire();
    await breaker.settled();
    expect(available).toEqual([{ key: KEY, operation: 'read', atMs: T0 + STORE_RETRY_MS }]);
    expect(breaker.state).toBe('open');
  });
});

describe('GIVEN hooks that throw', () => {
  it('WHEN transitions and store failures are reported THEN the caller sees no exception and nothing rejects', async () => {
    const clock = { t: T0 };
    const store = new MemoryBreakerStore();
    store.failure = new Error('down');
    const boom = () => {
      throw new Error('hook failed');
    };
    const { breaker, fail } = instance(clock, { store, hooks: { onTransition: boom, onStoreUnavailable: boom, onStoreAvailable: boom } });
    expect(() => fail(4)).not.toThrow();
    await expect(breaker.settled()).resolves.toBeUndefined();
    expect(breaker.state).toBe('open');
  });
});

describe('GIVEN bad options', () => {
  it.each([
    [{ key: '' }, /key must be a non-empty string, got ""/],
    [{ cacheMs: -1 }, /cacheMs must be an integer from 0 to 60000, got -1/],
    [{ cacheMs: 1.5 }, /cacheMs must be an integer from 0 to 60000, got 1.5/],
    [{ config: { openSeconds: 0 } }, /circuitBreaker\.openSeconds must be/],
  ])('WHEN %o THEN a TypeError names the option', (options, message) => {
    expect(() => new SharedCircuitBreaker({ key: KEY, ...options })).toThrow(message);
  });
});
