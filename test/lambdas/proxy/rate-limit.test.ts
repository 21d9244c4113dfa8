// Rate-limited routes through the proxy: counters in DynamoDB (moto_server, real AWS SDK), a real upstream, 429s that never reach it.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyConfig, ProxyRoute } from '../../../lambdas/contract/proxy-config';
import { createProxy } from '../../../lambdas/proxy/proxy';
import { resolveRateLimitConfig, type RateLimitInput } from '../../../lambdas/contract/rate-limit-config';
import { DynamoCounterStore } from '../../../lambdas/shared/rate-limit/counter-store-dynamodb';
import { MemoryCounterStore } from '../shared/rate-limit/support/memory-counter-store';
import {
  createCounterTable,
  findMotoServer,
  freePort,
  instanceClient,
  MOTO_MISSING,
  startMotoServer,
  type MotoServer,
} from '../shared/rate-limit/support/rate-limit-moto';
import { startSerialProxy, type SerialProxy } from '../shared/rate-limit/support/serial-proxy';
import { startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { headerOf, jsonOf, manualClock, proxyConfig, quietDeps, restEvent } from './support/events';
import { scaled } from '../../support/time-factor';

const motoServer = findMotoServer();
if (motoServer === undefined && !process.env.CI) console.warn(`SKIPPED proxy rate-limit tests: ${MOTO_MISSING}`);

/** The test routes of `proxyConfig`, rate limited as one spec route. */
function limitedConfig(origin: string, limit: RateLimitInput, overrides: Partial<ProxyConfig> = {}): ProxyConfig {
  const rateLimit = resolveRateLimitConfig(limit, 'shop#orders');
  const route: ProxyRoute = { prefix: '/api/orders', stripPath: true, rateLimit };
  return proxyConfig(origin, {
    routes: { 'ANY /api/orders': route, 'ANY /api/orders/{proxy+}': route },
    cors: { origins: ['https://app.example.com'], credentials: false, exposeHeaders: [] },
    ...overrides,
  });
}

/** moto answers in Python, one call at a time: far slower than DynamoDB on a loaded machine, so wider timeouts than Lambda's. */
const SLOW_MOTO = { requestHandler: { connectionTimeout: scaled(2000), requestTimeout: scaled(10_000), throwOnRequestTimeout: true } };
/** The shared-state budget for the same reason: these tests are about counts; the budget has tests of its own. */
const MOTO_BUDGET_MS = scaled(20_000);

const get = (sourceIp = '198.51.100.1', headers: Record<string, string> = {}) =>
  restEvent({ pathParameters: { proxy: 'limited' }, sourceIp, headers });

describe.skipIf(motoServer === undefined && !process.env.CI)('GIVEN a rate-limited route with counters in DynamoDB (moto_server)', () => {
  let moto: MotoServer;
  /** moto one call at a time (see serial-proxy.ts): its conditional updates race, DynamoDB's do not. */
  let serial: SerialProxy;
  let upstream: UpstreamServer;
  let tableName: string;
  const clients: DynamoDBClient[] = [];

  beforeAll(async () => {
    if (motoServer === undefined) throw new Error(MOTO_MISSING);
    [moto, upstream] = await Promise.all([startMotoServer(motoServer), startUpstream()]);
    serial = await startSerialProxy(moto.endpoint);
    const admin = instanceClient(moto.endpoint, SLOW_MOTO);
    clients.push(admin);
    tableName = await createCounterTable(admin);
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await serial?.close();
    await Promise.all([moto?.stop(), upstream?.close()]);
  });

  /** One simulated Lambda instance with its own SDK client. */
  function instance(config: ProxyConfig, clock: { now: () => number }) {
    const client = instanceClient(serial.endpoint, SLOW_MOTO);
    clients.push(client);
    return createProxy(config, {
      ...quietDeps(),
      now: clock.now,
      rateLimitStore: new DynamoCounterStore({ tableName, client }),
      stateBudgetMs: MOTO_BUDGET_MS,
    });
  }

  it('WHEN two instances send 8 requests against 5 per minute THEN 5 reach the upstream and 3 get a 429 with Retry-After, RateLimit headers, CORS and a JSON body', async () => {
    const clock = manualClock(Date.UTC(2026, 10, 28, 5, 0, 10));
    const config = limitedConfig(upstream.origin, { minute: 5, by: 'ip' });
    const [a, b] = [instance(config, clock), instance(config, clock)];
    upstream.script('/limited', { kind: 'respond', status: 200, body: '{"ok":true}', headers: { 'content-type': 'application/json' } });
    const results = [];
    for (let i = 0; i < 8; i += 1) results.push(await (i % 2 === 0 ? a : b)(get('198.51.100.1', { origin: 'https://app.example.com' })));

    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(upstream.hits('/limited')).toBe(5);
    expect(headerOf(results[0]!, 'ratelimit-limit')).toEqual(['5']);
    expect(headerOf(results[0]!, 'ratelimit-remaining')).toEqual(['4']);
    expect(headerOf(results[4]!, 'ratelimit-remaining')).toEqual(['0']);
    const refused = results[5]!;
    expect(jsonOf(refused)).toMatchObject({ code: 'rate_limited' });
    expect(Number(headerOf(refused, 'retry-after')[0])).toBeGreaterThan(0);
    expect(Number(headerOf(refused, 'ratelimit-reset')[0])).toBeLessThanOrEqual(60);
    expect(headerOf(refused, 'access-control-allow-origin')).toEqual(['https://app.example.com']);
  });

  it('WHEN 2 instances × 4 concurrent requests hammer one client limited to 20 a minute THEN each round admits exactly 20, all reaching the upstream, with no store failure', async () => {
    const clock = manualClock(Date.UTC(2026, 10, 28, 5, 6, 20));
    const failures: unknown[] = [];
    const hooks = { onStoreUnavailable: (event: unknown) => void failures.push(event) };
    const config = limitedConfig(upstream.origin, { minute: 20, by: 'ip' });
    const rounds = 6;
    const admittedPerRound: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      // Fresh instances each round (cold caches), all calling through the serialising proxy: moto is not atomic, DynamoDB is.
      const instances = [0, 1].map(() => {
        const client = instanceClient(serial.endpoint, SLOW_MOTO);
        clients.push(client);
        return createProxy(config, {
          ...quietDeps(),
          now: clock.now,
          rateLimitStore: new DynamoCounterStore({ tableName, client }),
          rateLimitHooks: hooks,
          stateBudgetMs: MOTO_BUDGET_MS,
        });
      });
      const ip = `198.51.100.${100 + round}`;
      const before = upstream.hits('/limited');
      let admitted = 0;
      await Promise.all(
        instances.flatMap((proxy) =>
          [0, 1, 2, 3].map(async () => {
            for (let i = 0; i < 5; i += 1) if ((await proxy(get(ip))).statusCode === 200) admitted += 1;
          }),
        ),
      );
      admittedPerRound.push(admitted);
      expect(upstream.hits('/limited') - before).toBe(admitted);
    }
    expect(failures).toEqual([]);
    expect(admittedPerRound).toEqual(Array(rounds).fill(20));
  });

  it('WHEN another client calls THEN it has its own counter', async () => {
    const clock = manualClock(Date.UTC(2026, 10, 28, 5, 1, 10));
    const proxy = instance(limitedConfig(upstream.origin, { minute: 1, by: 'ip' }), clock);
    expect((await proxy(get('198.51.100.20'))).statusCode).toBe(200);
    expect((await proxy(get('198.51.100.20'))).statusCode).toBe(429);
    expect((await proxy(get('198.51.100.21'))).statusCode).toBe(200);
  });

  it('WHEN the window rolls over THEN the client is admitted again', async () => {
    const clock = manualClock(Date.UTC(2026, 10, 28, 5, 2, 0));
    const proxy = instance(limitedConfig(upstream.origin, { second: 2, by: 'ip' }), clock);
    const ip = '198.51.100.30';
    expect([(await proxy(get(ip))).statusCode, (await proxy(get(ip))).statusCode, (await proxy(get(ip))).statusCode]).toEqual([
      200, 200, 429,
    ]);
    // Two windows later the previous window no longer weighs on the estimate.
    clock.advance(2000);
    expect((await proxy(get(ip))).statusCode).toBe(200);
  });

  it('WHEN by is consumer THEN requests of one JWT subject share a counter whatever their IP, and anonymous ones fall back to the IP', async () => {
    const clock = manualClock(Date.UTC(2026, 10, 28, 5, 3, 10));
    const proxy = instance(limitedConfig(upstream.origin, { minute: 1 }), clock);
    const alice = (ip: string) =>
      restEvent({
        pathParameters: { proxy: 'limited' },
        sourceIp: ip,
        authorizer: { sub: 'alice', roles: '', scopes: '', clientId: '', iss: 'x' },
      });
    expect((await proxy(alice('198.51.100.40'))).statusCode).toBe(200);
    expect((await proxy(alice('198.51.100.41'))).statusCode).toBe(429);
    expect((await proxy(get('198.51.100.40'))).statusCode).toBe(200);
  });

  it('WHEN hideHeaders is set THEN allowed answers carry no RateLimit headers but a refusal still says when to retry', async () => {
    const clock = manualClock(Date.UTC(2026, 10, 28, 5, 4, 10));
    const proxy = instance(limitedConfig(upstream.origin, { minute: 1, by: 'ip', hideHeaders: true }), clock);
    const allowed = await proxy(get('198.51.100.50'));
    expect(headerOf(allowed, 'ratelimit-limit')).toEqual([]);
    const refused = await proxy(get('198.51.100.50'));
    expect(refused.statusCode).toBe(429);
    expect(headerOf(refused, 'retry-after')).not.toEqual([]);
  });

  it('WHEN the counters are unreachable THEN failOpen lets the request through and failOpen: false answers 503 without calling the upstream', async () => {
    const clock = manualClock(Date.UTC(2026, 10, 28, 5, 5, 10));
    const deadPort = await freePort();
    const down = (limit: RateLimitInput) => {
      const client = instanceClient(`http://127.0.0.1:${deadPort}`);
      clients.push(client);
      return createProxy(limitedConfig(upstream.origin, limit), {
        ...quietDeps(),
        now: clock.now,
        rateLimitStore: new DynamoCounterStore({ tableName, client }),
      });
    };
    const before = upstream.hits('/limited');
    expect((await down({ minute: 1, by: 'ip' })(get('198.51.100.60'))).statusCode).toBe(200);
    expect(upstream.hits('/limited')).toBe(before + 1);
    const closed = await down({ minute: 1, by: 'ip', failOpen: false })(get('198.51.100.60'));
    expect(closed.statusCode).toBe(503);
    expect(jsonOf(closed)).toMatchObject({ code: 'rate_limit_unavailable' });
    expect(upstream.hits('/limited')).toBe(before + 1);
  });
});

describe('rate limits in the proxy without DynamoDB', () => {
  it('GIVEN a route without rateLimit WHEN called THEN the limiter is never consulted and no RateLimit headers are added', async () => {
    const upstream = await startUpstream();
    try {
      const store = new MemoryCounterStore();
      const proxy = createProxy(proxyConfig(upstream.origin), { ...quietDeps(), rateLimitStore: store });
      const result = await proxy(get());
      expect(result.statusCode).toBe(200);
      expect(headerOf(result, 'ratelimit-limit')).toEqual([]);
    } finally {
      await upstream.close();
    }
  });

  it('GIVEN a header key WHEN clients send hostile values THEN each value has its own counter and nothing breaks', async () => {
    const upstream = await startUpstream();
    try {
      const proxy = createProxy(limitedConfig(upstream.origin, { minute: 1, by: 'header:X-Tenant' }), {
        ...quietDeps(),
        rateLimitStore: new MemoryCounterStore(),
      });
      for (const tenant of ['a#b', '../../x', 'ü'.repeat(300), 'acme']) {
        expect((await proxy(get('198.51.100.70', { 'x-tenant': tenant }))).statusCode).toBe(200);
        expect((await proxy(get('198.51.100.70', { 'x-tenant': tenant }))).statusCode).toBe(429);
      }
    } finally {
      await upstream.close();
    }
  });
});
