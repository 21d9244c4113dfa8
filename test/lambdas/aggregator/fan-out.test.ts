// Fan-out against real upstreams on 127.0.0.1: parallel parts, dependent parts, fallbacks, required failures, timeouts and the deadline.
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../lambdas/aggregator/handler';
import { MemoryBreakerStore } from '../shared/breaker/support/breaker-memory-store';
import type { UpstreamServer } from '../shared/support/upstream-server';
import { metricCount, type CapturedOutput } from '../authorizer/support/fixtures';
import { aggregatorConfig, invoke, jsonReply, part, useUpstreamAndOutput } from './support/fixtures';

let upstream: UpstreamServer;
let output: CapturedOutput;

useUpstreamAndOutput(
  (u) => (upstream = u),
  (o) => (output = o),
);

describe('GIVEN three independent parts that each take 100 ms', () => {
  it('WHEN the aggregate is requested THEN the parts run in parallel and it answers in well under 300 ms', async () => {
    // A first, instant round warms the code paths and the kept-alive sockets: the test is about scheduling, not a cold start.
    upstream.script('/p/a', jsonReply({ a: 1 }), jsonReply({ a: 1 }, 100));
    upstream.script('/p/b', jsonReply({ b: 2 }), jsonReply({ b: 2 }, 100));
    upstream.script('/p/c', jsonReply({ c: 3 }), jsonReply({ c: 3 }, 100));
    const handler = createHandler(
      aggregatorConfig({ a: part(upstream.origin, '/p/a'), b: part(upstream.origin, '/p/b'), c: part(upstream.origin, '/p/c') }),
    );
    await invoke(handler);
    output.clear();
    const { result, body, ms, headers } = await invoke(handler);
    expect(result.statusCode).toBe(200);
    expect(body).toEqual({ a: { a: 1 }, b: { b: 2 }, c: { c: 3 } });
    expect(ms).toBeGreaterThanOrEqual(95);
    expect(ms).toBeLessThan(250);
    expect(headers['x-gatehouse-partial']).toBeUndefined();
    expect(metricCount(output, 'AggregateComplete')).toBe(1);
  });
});

describe('GIVEN a part that takes a value from another part', () => {
  it('WHEN its source answers first THEN it is sent at once, with the value in its path, while an unrelated part is still running', async () => {
    upstream.script('/dep/profile', jsonReply({ segment: 'gold/vip', name: 'Ada' }, 50));
    upstream.script('/dep/slow', { kind: 'hang' });
    const recsPath = '/dep/recs/gold%2Fvip';
    const handler = createHandler(
      aggregatorConfig({
        profile: part(upstream.origin, '/dep/profile'),
        slow: part(upstream.origin, '/dep/slow', { optional: true, timeoutMs: 1000 }),
        // Unscripted paths echo: the answer shows the request line the upstream received.
        recs: part(upstream.origin, '/dep/recs/{profile.segment}?delay=1'),
      }),
    );
    let settled = false;
    const pending = invoke(handler).finally(() => (settled = true));
    // Bounded wait (at most ~800 ms, well before `slow` times out at 1000 ms) for recs to arrive.
    for (let i = 0; i < 80 && upstream.hits(recsPath) === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(upstream.hits(recsPath)).toBe(1);
    expect(settled).toBe(false);
    const { result, body } = await pending;
    expect(result.statusCode).toBe(200);
    expect((body.recs as { url: string }).url).toBe(`${recsPath}?delay=1`);
    expect(body.partial).toEqual(['slow']);
  });

  it('WHEN its source is a slow part THEN it is not called before the source has answered', async () => {
    upstream.script('/chain/first', jsonReply({ id: 7 }, 150));
    upstream.script('/chain/second/7', jsonReply({ ok: true }, 150));
    const handler = createHandler(
      aggregatorConfig({ second: part(upstream.origin, '/chain/second/{first.id}'), first: part(upstream.origin, '/chain/first') }),
    );
    const { result, body, ms } = await invoke(handler);
    expect(result.statusCode).toBe(200);
    // The config's order is kept in the answer, whatever the call order.
    expect(Object.keys(body)).toEqual(['second', 'first']);
    expect(ms).toBeGreaterThanOrEqual(295);
  });

  it('WHEN the optional source fails THEN the dependent optional part is not called and both are degraded', async () => {
    upstream.script('/dfail/profile', { kind: 'respond', status: 503 });
    const handler = createHandler(
      aggregatorConfig({
        profile: part(upstream.origin, '/dfail/profile', { optional: true, fallback: { segment: 'none' } }),
        recs: part(upstream.origin, '/dfail/recs/{profile.segment}', { optional: true, fallback: { items: [], source: 'popular' } }),
      }),
    );
    const { result, body } = await invoke(handler);
    expect(result.statusCode).toBe(200);
    expect(body).toEqual({ profile: { segment: 'none' }, recs: { items: [], source: 'popular' }, partial: ['profile', 'recs'] });
    expect(upstream.hits('/dfail/recs/none')).toBe(0);
  });
});

describe('GIVEN an optional part and a required part', () => {
  const config = (ordersPath: string, overrides: Partial<Parameters<typeof part>[2]> = {}) =>
    aggregatorConfig({
      profile: part(upstream.origin, '/opt/profile'),
      orders: part(upstream.origin, ordersPath, { optional: true, fallback: [], ...overrides }),
    });

  it('WHEN the optional part answers 500 THEN the answer is 200 with its fallback, a partial marker and the partial header', async () => {
    upstream.script('/opt/profile', jsonReply({ name: 'Ada' }));
    upstream.script('/opt/orders-500', { kind: 'respond', status: 500, body: 'boom' });
    const { result, body, headers } = await invoke(createHandler(config('/opt/orders-500')));
    expect(result.statusCode).toBe(200);
    expect(body).toEqual({ profile: { name: 'Ada' }, orders: [], partial: ['orders'] });
    expect(headers['x-gatehouse-partial']).toBe('orders');
    expect(metricCount(output, 'AggregateDegraded')).toBe(1);
    expect(metricCount(output, 'AggregatePartFailed', { part: 'orders' })).toBe(1);
  });

  it('WHEN the optional part has no fallback and fails THEN it is null in the answer', async () => {
    upstream.script('/opt/orders-reset', { kind: 'reset-before-headers' });
    const handler = createHandler(
      aggregatorConfig({
        profile: part(upstream.origin, '/opt/profile'),
        orders: part(upstream.origin, '/opt/orders-reset', { optional: true }),
      }),
    );
    const { result, body } = await invoke(handler);
    expect(result.statusCode).toBe(200);
    expect(body.orders).toBeNull();
    expect(body.partial).toEqual(['orders']);
  });

  it('WHEN the optional part is slower than its timeoutMs THEN it is answered by its fallback within about that time', async () => {
    upstream.script('/opt/profile', jsonReply({ name: 'Ada' }));
    upstream.script('/opt/orders-slow', jsonReply([{ id: 1 }], 3000));
    const { result, body, ms } = await invoke(createHandler(config('/opt/orders-slow', { timeoutMs: 200 })));
    expect(result.statusCode).toBe(200);
    expect(body).toEqual({ profile: { name: 'Ada' }, orders: [], partial: ['orders'] });
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(600);
  });

  it('WHEN the required part answers 500 THEN the answer is 502 naming the part and its code', async () => {
    upstream.script('/req/profile', { kind: 'respond', status: 500 });
    const handler = createHandler(
      aggregatorConfig({
        profile: part(upstream.origin, '/req/profile'),
        orders: part(upstream.origin, '/req/orders', { optional: true }),
      }),
    );
    const { result, body, headers } = await invoke(handler);
    expect(result.statusCode).toBe(502);
    expect(body).toEqual({ message: 'part "profile" failed: upstream_status', code: 'upstream_status', part: 'profile' });
    expect(headers['content-type']).toBe('application/json');
    expect(metricCount(output, 'AggregateFailed')).toBe(1);
  });

  it('WHEN the required part cannot be reached THEN the answer is 502 upstream_connect_failed', async () => {
    const handler = createHandler(aggregatorConfig({ profile: part('http://127.0.0.1:1', '/x') }));
    const { result, body } = await invoke(handler);
    expect(result.statusCode).toBe(502);
    expect(body).toMatchObject({ code: 'upstream_connect_failed', part: 'profile' });
  });
});

describe('GIVEN a required part slower than the whole aggregate may take', () => {
  it('WHEN the deadline passes THEN the answer is 504 naming the part, near the deadline rather than the part timeout', async () => {
    upstream.script('/deadline/fast', jsonReply({ ok: true }));
    upstream.script('/deadline/slow', { kind: 'hang' });
    const handler = createHandler(
      aggregatorConfig(
        { fast: part(upstream.origin, '/deadline/fast'), slow: part(upstream.origin, '/deadline/slow', { timeoutMs: 5000 }) },
        { deadlineMs: 400 },
      ),
    );
    const { result, body, ms } = await invoke(handler);
    expect(result.statusCode).toBe(504);
    expect(body).toEqual({ message: 'part "slow" failed: upstream_timeout', code: 'upstream_timeout', part: 'slow' });
    expect(ms).toBeGreaterThanOrEqual(390);
    expect(ms).toBeLessThan(900);
  });

  it('WHEN the source of a dependent part runs out the deadline THEN the answer is 504 naming the source and the dependent part is never sent', async () => {
    upstream.script('/late/first', jsonReply({ id: 1 }, 300));
    const handler = createHandler(
      aggregatorConfig(
        { first: part(upstream.origin, '/late/first'), second: part(upstream.origin, '/late/second/{first.id}', { optional: true }) },
        { deadlineMs: 250 },
      ),
    );
    const { result, body } = await invoke(handler);
    expect(result.statusCode).toBe(504);
    expect(body).toMatchObject({ part: 'first', code: 'upstream_timeout' });
    expect(upstream.hits('/late/second/1')).toBe(0);
  });
});

describe('GIVEN parts whose answers are not usable JSON', () => {
  const cases = [
    {
      name: 'a non-JSON Content-Type',
      path: '/bad/html',
      reply: { kind: 'respond', headers: { 'content-type': 'text/html' }, body: '<html></html>' },
      code: 'not_json',
    },
    {
      name: 'malformed JSON',
      path: '/bad/malformed',
      reply: { kind: 'respond', headers: { 'content-type': 'application/json' }, body: '{"a":' },
      code: 'malformed_json',
    },
    { name: 'a body over maxPartBytes', path: '/bad/big', reply: jsonReply({ pad: 'x'.repeat(5000) }), code: 'upstream_too_large' },
    {
      name: 'a gzip body it was never asked for',
      path: '/bad/gzip',
      reply: { kind: 'respond', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: 'xx' },
      code: 'not_json',
    },
  ] as const;

  for (const { name, path, reply, code } of cases) {
    it(`WHEN a required part answers ${name} THEN the answer is 502 with code ${code}`, async () => {
      upstream.script(path, reply);
      const handler = createHandler(aggregatorConfig({ profile: part(upstream.origin, path) }, { maxPartBytes: 1000 }));
      const { result, body } = await invoke(handler);
      expect(result.statusCode).toBe(502);
      expect(body).toEqual({ message: `part "profile" failed: ${code}`, code, part: 'profile' });
    });
  }

  it('WHEN an optional part answers malformed JSON THEN only that part degrades', async () => {
    upstream.script('/bad/ok', jsonReply({ ok: true }));
    upstream.script('/bad/malformed-opt', { kind: 'respond', headers: { 'content-type': 'application/json' }, body: 'nope' });
    const handler = createHandler(
      aggregatorConfig({
        ok: part(upstream.origin, '/bad/ok'),
        extra: part(upstream.origin, '/bad/malformed-opt', { optional: true, fallback: 'n/a' }),
      }),
    );
    const { result, body } = await invoke(handler);
    expect(result.statusCode).toBe(200);
    expect(body).toEqual({ ok: { ok: true }, extra: 'n/a', partial: ['extra'] });
  });

  it('WHEN a JSON answer is a problem+json 2xx THEN it is accepted as JSON', async () => {
    upstream.script('/bad/plus-json', {
      kind: 'respond',
      headers: { 'content-type': 'application/vnd.api+json; charset=utf-8' },
      body: '{"v":1}',
    });
    const { result, body } = await invoke(createHandler(aggregatorConfig({ p: part(upstream.origin, '/bad/plus-json') })));
    expect(result.statusCode).toBe(200);
    expect(body).toEqual({ p: { v: 1 } });
  });
});

describe('GIVEN a part with retries and a breaker', () => {
  it('WHEN it answers 503 then 200 THEN the retry answers the part', async () => {
    upstream.script('/retry/flaky', { kind: 'respond', status: 503 }, jsonReply({ ok: 1 }));
    const retry = { retries: 2, baseDelayMs: 10, maxDelayMs: 20, retryOnStatuses: [503] };
    const { result, body } = await invoke(createHandler(aggregatorConfig({ p: part(upstream.origin, '/retry/flaky', { retry }) })));
    expect(result.statusCode).toBe(200);
    expect(body).toEqual({ p: { ok: 1 } });
    expect(upstream.hits('/retry/flaky')).toBe(2);
  });

  it('WHEN its failures open the circuit THEN later requests fail with circuit_open without reaching the upstream', async () => {
    upstream.script('/breaker/down', { kind: 'respond', status: 500 });
    const circuitBreaker = {
      failureRate: 50,
      minimumRequests: 2,
      windowSeconds: 10,
      openSeconds: 30,
      halfOpenProbes: 1,
      failureStatuses: [500],
      store: 'memory',
    } as const;
    const handler = createHandler(
      aggregatorConfig({ p: part(upstream.origin, '/breaker/down', { circuitBreaker, optional: true, fallback: 'later' }) }),
      { breakerHooks: {} },
    );
    for (let i = 0; i < 2; i += 1) await invoke(handler);
    const { result, body } = await invoke(handler);
    expect(result.statusCode).toBe(200);
    expect(body).toEqual({ p: 'later', partial: ['p'] });
    expect(upstream.hits('/breaker/down')).toBe(2);
    const degraded = output.records().filter((r) => r.message === 'aggregate degraded: optional parts answered by their fallback');
    expect(degraded.at(-1)).toMatchObject({ parts: { p: { code: 'circuit_open' } } });
  });
});

describe('GIVEN two parts of one service sharing a breaker through the store', () => {
  it('WHEN their failures open it THEN the open state is written to the store under the service and URL, and both parts fail fast', async () => {
    upstream.script('/shared/a', { kind: 'respond', status: 503 });
    upstream.script('/shared/b', { kind: 'respond', status: 503 });
    const circuitBreaker = {
      failureRate: 50,
      minimumRequests: 2,
      windowSeconds: 10,
      openSeconds: 30,
      halfOpenProbes: 1,
      failureStatuses: [503],
      store: 'dynamodb',
    } as const;
    const store = new MemoryBreakerStore();
    const shared = { service: 'catalog', circuitBreaker, optional: true };
    const handler = createHandler(
      aggregatorConfig({ a: part(upstream.origin, '/shared/a', shared), b: part(upstream.origin, '/shared/b', shared) }),
      { breakerStore: store, breakerHooks: {} },
    );
    await invoke(handler);
    expect(store.items.get(`catalog ${upstream.origin}`)?.state).toBe('open');
    await invoke(handler);
    expect(upstream.hits('/shared/a') + upstream.hits('/shared/b')).toBe(2);
  });
});

describe('GIVEN a bug below the handler', () => {
  it('WHEN something throws that is not a part failure THEN the answer is 502 aggregator_error, never a 500, and it is logged', async () => {
    const handler = createHandler(aggregatorConfig({ p: part(upstream.origin, '/bug') }), {
      call: async () => {
        throw new RangeError('a bug');
      },
    });
    const { result, body } = await invoke(handler, { headers: { Origin: 'https://app.example' } });
    expect(result.statusCode).toBe(502);
    expect(body).toEqual({ message: 'the aggregate could not be assembled', code: 'aggregator_error' });
    expect(output.records().some((r) => r.level === 'ERROR' && String(JSON.stringify(r.error)).includes('a bug'))).toBe(true);
    expect(metricCount(output, 'AggregatorErrors')).toBe(1);
  });
});
