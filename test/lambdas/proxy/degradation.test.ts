// Degraded answers: the configured fallback and the last good copy of a GET, marked as such, bounded in age and size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyConfig } from '../../../lambdas/contract/proxy-config';
import { LastGoodCache, whyNotKept } from '../../../lambdas/proxy/degradation';
import { readEvent, type ClientRequest } from '../../../lambdas/proxy/event';
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
const LAST_GOOD = { ttlSeconds: 60, maxEntries: 100, maxBodyBytes: 1024, varyHeaders: [], sharedAnswers: false };
/** What an upstream sends to let a shared cache keep an answer for every caller. */
const SHAREABLE = { 'cache-control': 'max-age=60' };
const event = (path: string, method = 'GET', headers: Record<string, string> = {}, sub?: string) =>
  restEvent({
    method,
    pathParameters: { proxy: path.slice(1) },
    headers,
    body: method === 'POST' ? '{}' : undefined,
    authorizer: sub ? { sub } : null,
  });
/** The upstream answers `body` with `headers` once, then fails with 503. */
const thenFails = (path: string, body: string, headers: Record<string, string> = {}) =>
  upstream.script(path, { kind: 'respond', body, headers: { 'content-type': 'text/plain', ...headers } }, { kind: 'respond', status: 503 });

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
  it('WHEN a shareable GET succeeded and later fails THEN the kept copy is served with last-good and its Age', async () => {
    upstream.script(
      '/lg',
      { kind: 'respond', headers: { 'content-type': 'application/json', 'set-cookie': 'session=1', ...SHAREABLE }, body: '{"v":1}' },
      { kind: 'respond', status: 500 },
    );
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
    thenFails('/lg-old', 'v1', SHAREABLE);
    const { clock, proxy } = setup({ lastGood: LAST_GOOD, fallback: FALLBACK });
    await proxy(event('/lg-old'));
    clock.advance(60_001);
    const result = await proxy(event('/lg-old'));
    expect(headerOf(result, 'x-gatehouse-degraded')).toEqual(['fallback']);
  });

  it('WHEN another caller asks for the same URL with other credentials THEN it never gets the first caller’s copy', async () => {
    thenFails('/lg-user', 'alice data', SHAREABLE);
    const { proxy } = setup({ lastGood: LAST_GOOD });
    await proxy(event('/lg-user', 'GET', { Authorization: 'Bearer alice' }));
    const result = await proxy(event('/lg-user', 'GET', { Authorization: 'Bearer bob' }));
    expect(result.statusCode).toBe(503);
    expect(headerOf(result, 'x-gatehouse-degraded')).toEqual([]);
  });

  it('WHEN a POST fails THEN it is never answered from a kept copy', async () => {
    thenFails('/lg-post', 'created', SHAREABLE);
    const { proxy } = setup({ lastGood: LAST_GOOD });
    expect((await proxy(event('/lg-post'))).statusCode).toBe(200);
    const result = await proxy(event('/lg-post', 'POST'));
    expect(result.statusCode).toBe(503);
    expect(headerOf(result, 'x-gatehouse-degraded')).toEqual([]);
  });

  it('WHEN the body is larger than maxBodyBytes THEN it is not kept', async () => {
    thenFails('/lg-big', 'x'.repeat(2048), SHAREABLE);
    const { proxy } = setup({ lastGood: LAST_GOOD });
    await proxy(event('/lg-big'));
    expect((await proxy(event('/lg-big'))).statusCode).toBe(503);
  });
});

describe('GIVEN lastGood as a careful shared cache (RFC 9111) on a route without gateway auth', () => {
  it('WHEN callers identify with their own header (X-Auth-Token) and the answer is unmarked THEN user A’s answer is never served to user B, nor to A', async () => {
    thenFails('/lg-token', 'alice personal data');
    const { proxy } = setup({ lastGood: LAST_GOOD });
    expect((await proxy(event('/lg-token', 'GET', { 'X-Auth-Token': 'alice' }))).statusCode).toBe(200);
    const bob = await proxy(event('/lg-token', 'GET', { 'X-Auth-Token': 'bob' }));
    expect(bob.statusCode).toBe(503);
    expect(bodyOf(bob).toString()).not.toContain('alice');
    expect((await proxy(event('/lg-token', 'GET', { 'X-Auth-Token': 'alice' }))).statusCode).toBe(503);
  });

  it.each([['private, max-age=60'], ['no-store'], ['public, no-store']])(
    'WHEN the answer says Cache-Control: %s THEN it is not kept',
    async (cacheControl) => {
      const path = `/lg-cc-${cacheControl.replace(/\W+/g, '-')}`;
      thenFails(path, 'data', { 'cache-control': cacheControl });
      const { proxy } = setup({ lastGood: { ...LAST_GOOD, sharedAnswers: true } });
      await proxy(event(path));
      expect((await proxy(event(path))).statusCode).toBe(503);
    },
  );

  it.each([['public'], ['s-maxage=30'], ['max-age=60']])(
    'WHEN the answer says Cache-Control: %s THEN any caller gets the kept copy',
    async (cacheControl) => {
      const path = `/lg-share-${cacheControl.replace(/\W+/g, '-')}`;
      thenFails(path, 'catalog', { 'cache-control': cacheControl });
      const { proxy } = setup({ lastGood: LAST_GOOD });
      await proxy(event(path, 'GET', { 'X-Auth-Token': 'alice' }));
      const other = await proxy(event(path, 'GET', { 'X-Auth-Token': 'bob' }));
      expect(bodyOf(other).toString()).toBe('catalog');
      expect(headerOf(other, 'x-gatehouse-degraded')).toEqual(['last-good']);
    },
  );

  it('WHEN the service declares sharedAnswers THEN an unmarked answer is kept, and varyHeaders still keeps callers apart', async () => {
    thenFails('/lg-declared', 'per-token');
    const { proxy } = setup({ lastGood: { ...LAST_GOOD, sharedAnswers: true, varyHeaders: ['x-auth-token'] } });
    await proxy(event('/lg-declared', 'GET', { 'X-Auth-Token': 'alice' }));
    expect((await proxy(event('/lg-declared', 'GET', { 'X-Auth-Token': 'bob' }))).statusCode).toBe(503);
    const alice = await proxy(event('/lg-declared', 'GET', { 'X-Auth-Token': 'alice' }));
    expect(bodyOf(alice).toString()).toBe('per-token');
  });

  it('WHEN the upstream answers Vary: Accept-Language THEN a copy kept for en is never served to fr; Vary: * is never kept', async () => {
    thenFails('/lg-vary', 'hello', { ...SHAREABLE, vary: 'Accept-Language' });
    const { proxy } = setup({ lastGood: LAST_GOOD });
    await proxy(event('/lg-vary', 'GET', { 'Accept-Language': 'en' }));
    expect((await proxy(event('/lg-vary', 'GET', { 'Accept-Language': 'fr' }))).statusCode).toBe(503);
    expect(bodyOf(await proxy(event('/lg-vary', 'GET', { 'Accept-Language': 'en' }))).toString()).toBe('hello');

    thenFails('/lg-vary-star', 'anything', { ...SHAREABLE, vary: '*' });
    await proxy(event('/lg-vary-star'));
    expect((await proxy(event('/lg-vary-star'))).statusCode).toBe(503);
  });
});

describe('GIVEN lastGood on a route with gateway auth (a verified identity)', () => {
  it('WHEN the answer is private THEN it is kept under that user’s identity only', async () => {
    thenFails('/lg-private', 'alice orders', { 'cache-control': 'private' });
    const { proxy } = setup({ lastGood: LAST_GOOD });
    await proxy(event('/lg-private', 'GET', {}, 'alice'));
    expect((await proxy(event('/lg-private', 'GET', {}, 'bob'))).statusCode).toBe(503);
    expect((await proxy(event('/lg-private', 'GET', {}))).statusCode).toBe(503);
    expect(bodyOf(await proxy(event('/lg-private', 'GET', {}, 'alice'))).toString()).toBe('alice orders');
  });

  it('WHEN the answer is no-store THEN it is not kept even for that user', async () => {
    thenFails('/lg-nostore-auth', 'secret', { 'cache-control': 'no-store' });
    const { proxy } = setup({ lastGood: LAST_GOOD });
    await proxy(event('/lg-nostore-auth', 'GET', {}, 'alice'));
    expect((await proxy(event('/lg-nostore-auth', 'GET', {}, 'alice'))).statusCode).toBe(503);
  });
});

describe('GIVEN a last-good cache of 2 entries', () => {
  const request = restRequest();
  it('WHEN a third URL is kept THEN the least recently used one is dropped', () => {
    const clock = manualClock();
    const cache = new LastGoodCache({ ...LAST_GOOD, maxEntries: 2, maxBodyBytes: 100 }, clock.now);
    const ok = { status: 200, headers: { 'cache-control': ['public'] }, body: Buffer.from('x') };
    cache.keep('a', request, ok);
    cache.keep('b', request, ok);
    expect(cache.fresh('a', request)).toBeDefined();
    cache.keep('c', request, ok);
    expect(cache.size).toBe(2);
    expect(cache.fresh('b', request)).toBeUndefined();
    expect(cache.fresh('a', request)).toBeDefined();
    expect(cache.fresh('c', request)).toBeDefined();
  });
});

describe('whyNotKept', () => {
  it.each([
    [{ 'cache-control': ['private, no-store'] }, true, false, 'no-store'],
    [{ 'cache-control': ['private'] }, false, true, 'private'],
    [{ 'cache-control': ['private'] }, true, false, undefined],
    [{}, false, false, 'not-shareable'],
    [{ 'cache-control': ['max-age=0'] }, false, false, 'not-shareable'],
    [{}, false, true, undefined],
    [{}, true, false, undefined],
    [{ vary: ['Accept, *'] }, true, true, 'vary-star'],
    [{ 'cache-control': ['Public'] }, false, false, undefined],
  ])('%j with identity %s and sharedAnswers %s → %s', (headers, identified, sharedAnswers, expected) => {
    expect(whyNotKept({ status: 200, headers, body: Buffer.alloc(0) }, identified, { sharedAnswers })).toBe(expected);
  });
});

/** A parsed GET request with no headers and no identity, for the cache's unit tests. */
function restRequest(): ClientRequest {
  return readEvent(restEvent(), proxyConfig('http://127.0.0.1:1'));
}
