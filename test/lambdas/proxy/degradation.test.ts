// Degraded answers: the configured fallback and the last good copy of a GET, marked as such, bounded in age and size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyConfig } from '../../../lambdas/proxy/config';
import { LastGoodCache } from '../../../lambdas/proxy/degradation';
import { createProxy } from '../../../lambdas/proxy/proxy';
import { freePort, startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { bodyOf, headerOf, jsonOf, manualClock, proxyConfig, quietDeps, restEvent, TEST_BREAKER } from './support/events';

let upstream: UpstreamServer;

beforeAll(async () => {
  upstream = await startUpstream();
});

afterAll(async () => {
  await upstream.close();
});

const FALLBACK = { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"orders":[],"stale":true}' };
const LAST_GOOD = { ttlSeconds: 60, maxEntries: 100, maxBodyBytes: 1024 };
const event = (path: string, method = 'GET', headers: Record<string, string> = {}) =>
  restEvent({ method, pathParameters: { proxy: path.slice(1) }, headers, body: method === 'POST' ? '{}' : undefined });

function setup(overrides: Partial<ProxyConfig>) {
  const clock = manualClock();
  const proxy = createProxy(proxyConfig(upstream.origin, { timeoutMs: 500, ...overrides }), { ...quietDeps(), now: clock.now });
  return { clock, proxy };
}

describe('GIVEN a fallback response', () => {
  it('WHEN the upstream answers 503 THEN the client gets the fallback marked X-Gatehouse-Degraded: fallback', async () => {
    upstream.script('/fb-503', { kind: 'respond', status: 503 });
    const { proxy } = setup({ fallback: FALLBACK });
    const result = await proxy(event('/fb-503'));
    expect(result.statusCode).toBe(200);
    expect(jsonOf(result)).toEqual({ orders: [], stale: true });
    expect(headerOf(result, 'x-gatehouse-degraded')).toEqual(['fallback']);
    expect(headerOf(result, 'content-type')).toEqual(['application/json']);
  });

  it('WHEN the upstream cannot be reached THEN the fallback replaces the 502', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const proxy = createProxy(proxyConfig(dead, { fallback: FALLBACK }), quietDeps());
    const result = await proxy(event('/anything'));
    expect(headerOf(result, 'x-gatehouse-degraded')).toEqual(['fallback']);
  });

  it('WHEN the circuit is open THEN the fallback is served without touching the upstream', async () => {
    upstream.script('/fb-open', { kind: 'respond', status: 503 });
    const { proxy } = setup({ fallback: FALLBACK, circuitBreaker: TEST_BREAKER });
    for (let i = 0; i < TEST_BREAKER.minimumRequests; i += 1) await proxy(event('/fb-open'));
    const hits = upstream.hits('/fb-open');
    const result = await proxy(event('/fb-open'));
    expect(headerOf(result, 'x-gatehouse-degraded')).toEqual(['fallback']);
    expect(upstream.hits('/fb-open')).toBe(hits);
  });

  it('WHEN the circuit is open THEN the fallback says when to come back (Retry-After) as the plain 503 does, and a fallback for a failed call does not', async () => {
    upstream.script('/fb-retry', { kind: 'respond', status: 503 });
    const breaker = { ...TEST_BREAKER, openSeconds: 30 };
    const { proxy } = setup({ fallback: FALLBACK, circuitBreaker: breaker });
    const failed = await proxy(event('/fb-retry'));
    expect(headerOf(failed, 'retry-after')).toEqual([]);
    for (let i = 1; i < breaker.minimumRequests; i += 1) await proxy(event('/fb-retry'));
    const withFallback = await proxy(event('/fb-retry'));
    const { proxy: plain } = setup({ circuitBreaker: breaker });
    for (let i = 0; i < breaker.minimumRequests; i += 1) await plain(event('/fb-retry'));
    const refused = await plain(event('/fb-retry'));
    expect(refused.statusCode).toBe(503);
    expect(headerOf(refused, 'retry-after')).toEqual(['30']);
    expect(headerOf(withFallback, 'x-gatehouse-degraded')).toEqual(['fallback']);
    expect(headerOf(withFallback, 'retry-after')).toEqual(headerOf(refused, 'retry-after'));
  });

  it('WHEN the upstream answers 200 THEN no degraded header is added', async () => {
    upstream.script('/fb-ok', { kind: 'respond', body: 'fresh' });
    const { proxy } = setup({ fallback: FALLBACK });
    expect(headerOf(await proxy(event('/fb-ok')), 'x-gatehouse-degraded')).toEqual([]);
  });
});

describe('GIVEN last-good copies kept 60 s and a fallback', () => {
  it('WHEN a GET succeeded and later fails THEN the kept copy is served with last-good and its Age', async () => {
    upstream.script('/lg', { kind: 'respond', headers: { 'content-type': 'application/json', 'set-cookie': 'session=1' }, body: '{"v":1}' }, { kind: 'respond', status: 500 });
    const { clock, proxy } = setup({ lastGood: LAST_GOOD, fallback: FALLBACK });
    expect((await proxy(event('/lg'))).statusCode).toBe(200);
    clock.advance(12_500);
    const result = await proxy(event('/lg'));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result).toString()).toBe('{"v":1}');
    expect(headerOf(result, 'x-gatehouse-degraded')).toEqual(['last-good']);
    expect(headerOf(result, 'age')).toEqual(['12']);
    expect(headerOf(result, 'set-cookie')).toEqual([]);
  });

  it('WHEN the kept copy is older than the ttl THEN the fallback is served instead', async () => {
    upstream.script('/lg-old', { kind: 'respond', body: 'v1', headers: { 'content-type': 'text/plain' } }, { kind: 'respond', status: 503 });
    const { clock, proxy } = setup({ lastGood: LAST_GOOD, fallback: FALLBACK });
    await proxy(event('/lg-old'));
    clock.advance(60_001);
    const result = await proxy(event('/lg-old'));
    expect(headerOf(result, 'x-gatehouse-degraded')).toEqual(['fallback']);
  });

  it('WHEN another caller asks for the same URL THEN it never gets the first caller’s copy', async () => {
    upstream.script('/lg-user', { kind: 'respond', body: 'alice data', headers: { 'content-type': 'text/plain' } }, { kind: 'respond', status: 503 });
    const { proxy } = setup({ lastGood: LAST_GOOD });
    await proxy(event('/lg-user', 'GET', { Authorization: 'Bearer alice' }));
    const result = await proxy(event('/lg-user', 'GET', { Authorization: 'Bearer bob' }));
    expect(result.statusCode).toBe(503);
    expect(headerOf(result, 'x-gatehouse-degraded')).toEqual([]);
  });

  it('WHEN a POST fails THEN it is never answered from a kept copy', async () => {
    upstream.script('/lg-post', { kind: 'respond', body: 'created', headers: { 'content-type': 'text/plain' } }, { kind: 'respond', status: 503 });
    const { proxy } = setup({ lastGood: LAST_GOOD });
    expect((await proxy(event('/lg-post'))).statusCode).toBe(200);
    const result = await proxy(event('/lg-post', 'POST'));
    expect(result.statusCode).toBe(503);
    expect(headerOf(result, 'x-gatehouse-degraded')).toEqual([]);
  });

  it('WHEN the body is larger than maxBodyBytes THEN it is not kept', async () => {
    upstream.script('/lg-big', { kind: 'respond', body: 'x'.repeat(2048), headers: { 'content-type': 'text/plain' } }, { kind: 'respond', status: 503 });
    const { proxy } = setup({ lastGood: LAST_GOOD });
    await proxy(event('/lg-big'));
    expect((await proxy(event('/lg-big'))).statusCode).toBe(503);
  });
});

describe('GIVEN a last-good cache of 2 entries', () => {
  it('WHEN a third URL is kept THEN the least recently used one is dropped', () => {
    const clock = manualClock();
    const cache = new LastGoodCache({ ttlSeconds: 60, maxEntries: 2, maxBodyBytes: 100 }, clock.now);
    const ok = { status: 200, headers: {}, body: Buffer.from('x') };
    cache.keep('a', ok);
    cache.keep('b', ok);
    expect(cache.fresh('a')).toBeDefined();
    cache.keep('c', ok);
    expect(cache.size).toBe(2);
    expect(cache.fresh('b')).toBeUndefined();
    expect(cache.fresh('a')).toBeDefined();
    expect(cache.fresh('c')).toBeDefined();
  });

  it('WHEN the answer says Cache-Control: no-store THEN it is not kept', () => {
    const cache = new LastGoodCache({ ttlSeconds: 60, maxEntries: 2, maxBodyBytes: 100 }, Date.now);
    cache.keep('a', { status: 200, headers: { 'cache-control': ['private, no-store'] }, body: Buffer.from('x') });
    expect(cache.size).toBe(0);
  });
});
