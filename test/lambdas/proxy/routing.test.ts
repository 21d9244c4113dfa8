// Per-target circuit breakers, weighted routing and version rules, against real upstreams on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyConfig } from '../../../lambdas/contract/proxy-config';
import { createProxy } from '../../../lambdas/proxy/proxy';
import { selectTarget } from '../../../lambdas/proxy/target-selection';
import { startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { headerOf, jsonOf, manualClock, proxyConfig, quietDeps, restEvent, seededRandom, TEST_BREAKER } from './support/events';

let a: UpstreamServer;
let b: UpstreamServer;

beforeAll(async () => {
  [a, b] = await Promise.all([startUpstream(), startUpstream()]);
});

afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

const get = (path: string, headers: Record<string, string> = {}) => restEvent({ pathParameters: { proxy: path.slice(1) }, headers });

describe('GIVEN one target behind a breaker (4 requests, 50 %, 300 ms open)', () => {
  const setup = () => {
    const clock = manualClock();
    const proxy = createProxy(proxyConfig(a.origin, { circuitBreaker: TEST_BREAKER }), { ...quietDeps(), now: clock.now });
    return { clock, proxy };
  };

  it('WHEN the upstream keeps failing THEN the circuit opens and the proxy answers 503 circuit_open without touching it', async () => {
    a.script('/down', { kind: 'respond', status: 503 });
    const { clock, proxy } = setup();
    for (let i = 0; i < TEST_BREAKER.minimumRequests; i += 1) expect((await proxy(get('/down'))).statusCode).toBe(503);
    const hits = a.hits('/down');
    clock.advance(100);
    const refused = await proxy(get('/down'));
    expect(refused.statusCode).toBe(503);
    expect(jsonOf(refused).code).toBe('circuit_open');
    expect(headerOf(refused, 'retry-after')).toEqual(['1']);
    for (let i = 0; i < 10; i += 1) await proxy(get('/down'));
    expect(a.hits('/down')).toBe(hits);
  });

  it('WHEN the open period has passed and the probe succeeds THEN the circuit closes and traffic flows again', async () => {
    a.script('/recovers', { kind: 'reset-before-headers' });
    const { clock, proxy } = setup();
    for (let i = 0; i < TEST_BREAKER.minimumRequests; i += 1) await proxy(get('/recovers'));
    expect(jsonOf(await proxy(get('/recovers'))).code).toBe('circuit_open');
    a.script('/recovers', { kind: 'respond', body: 'back' });
    clock.advance(TEST_BREAKER.openSeconds * 1000);
    const hits = a.hits('/recovers');
    expect((await proxy(get('/recovers'))).statusCode).toBe(200);
    for (let i = 0; i < 5; i += 1) expect((await proxy(get('/recovers'))).statusCode).toBe(200);
    expect(a.hits('/recovers')).toBe(hits + 6);
  });

  it('WHEN retries run into a circuit that opens THEN they stop and the last attempt’s answer is returned', async () => {
    a.script('/opens-mid-retry', { kind: 'respond', status: 503 });
    const clock = manualClock();
    const config = proxyConfig(a.origin, {
      circuitBreaker: { ...TEST_BREAKER, minimumRequests: 2 },
      retry: { retries: 5, baseDelayMs: 0, maxDelayMs: 0, retryOnStatuses: [503] },
    });
    const proxy = createProxy(config, { ...quietDeps(), now: clock.now });
    const result = await proxy(get('/opens-mid-retry'));
    expect(result.statusCode).toBe(503);
    expect(a.hits('/opens-mid-retry')).toBe(2);
  });

  it('WHEN the upstream answers 4xx THEN they count as successes and the circuit stays closed', async () => {
    a.script('/client-errors', { kind: 'respond', status: 404 });
    const { proxy } = setup();
    for (let i = 0; i < 10; i += 1) expect((await proxy(get('/client-errors'))).statusCode).toBe(404);
    expect(a.hits('/client-errors')).toBe(10);
  });
});

describe('GIVEN two targets weighted 90/10 and a seeded random', () => {
  const targets = (weightA: number, weightB: number): ProxyConfig['targets'] => [
    { name: 'a', url: a.origin, weight: weightA },
    { name: 'b', url: b.origin, weight: weightB },
  ];

  it('WHEN 1,000 picks are drawn THEN about 90 % go to the first target (±3 points)', () => {
    const random = seededRandom(7);
    const picks = Array.from({ length: 1000 }, () => selectTarget(targets(90, 10), [], { headers: {}, query: {} }, () => true, random));
    const toA = picks.filter((pick) => pick.kind === 'chosen' && pick.target.name === 'a').length;
    expect(toA).toBeGreaterThanOrEqual(870);
    expect(toA).toBeLessThanOrEqual(930);
  });

  it('WHEN 200 requests pass through the handler THEN both upstreams serve them in about that proportion', async () => {
    const proxy = createProxy(proxyConfig(targets(90, 10)), { ...quietDeps(), random: seededRandom(7) });
    for (let i = 0; i < 200; i += 1) await proxy(get('/weighted'));
    expect(a.hits('/weighted') + b.hits('/weighted')).toBe(200);
    expect(a.hits('/weighted')).toBeGreaterThanOrEqual(160);
    expect(b.hits('/weighted')).toBeGreaterThanOrEqual(6);
  });

  it('WHEN one target fails until its circuit opens THEN it leaves rotation, and after a good probe it is back', async () => {
    const clock = manualClock();
    const proxy = createProxy(proxyConfig(targets(50, 50), { circuitBreaker: TEST_BREAKER }), {
      ...quietDeps(),
      now: clock.now,
      random: seededRandom(11),
    });
    a.script('/rotation', { kind: 'respond', status: 503 });
    // Bounded: enough requests for target a to see its minimum of 4 failures many times over.
    for (let i = 0; i < 40 && a.hits('/rotation') < TEST_BREAKER.minimumRequests; i += 1) await proxy(get('/rotation'));
    expect(a.hits('/rotation')).toBe(TEST_BREAKER.minimumRequests);

    const [hitsA, hitsB] = [a.hits('/rotation'), b.hits('/rotation')];
    for (let i = 0; i < 30; i += 1) expect((await proxy(get('/rotation'))).statusCode).toBe(200);
    expect(a.hits('/rotation')).toBe(hitsA);
    expect(b.hits('/rotation')).toBe(hitsB + 30);

    a.script('/rotation', { kind: 'respond', body: 'a is back' });
    clock.advance(TEST_BREAKER.openSeconds * 1000);
    for (let i = 0; i < 40; i += 1) expect((await proxy(get('/rotation'))).statusCode).toBe(200);
    expect(a.hits('/rotation') - hitsA).toBeGreaterThan(10);
  });
});

describe('GIVEN version rules pinning v2 by Accept media type and by X-Api-Version', () => {
  const config = (extra: Partial<ProxyConfig> = {}) =>
    proxyConfig(
      [
        { name: 'v1', url: a.origin, weight: 1 },
        { name: 'v2', url: b.origin, weight: 0 },
      ],
      {
        versionRules: [
          { header: 'accept', value: 'application/vnd.orders.v2+json', target: 'v2' },
          { header: 'x-api-version', value: '2', target: 'v2' },
        ],
        ...extra,
      },
    );

  it.each([
    ['Accept with another case, parameters and a second range', { Accept: 'text/html, Application/VND.orders.v2+JSON; q=0.9' }, 'v2'],
    ['X-Api-Version with spaces', { 'X-Api-Version': ' 2 ' }, 'v2'],
    ['no version header', {}, 'v1'],
    ['another version', { 'X-Api-Version': '3' }, 'v1'],
  ])('WHEN the request has %s THEN it goes to %s', async (_case, headers, target) => {
    const path = `/versioned-${target}-${Object.keys(headers).join('')}`;
    const proxy = createProxy(config(), quietDeps());
    const result = await proxy(get(path, headers));
    expect(result.statusCode).toBe(200);
    expect((target === 'v2' ? b : a).hits(path)).toBe(1);
    expect((target === 'v2' ? a : b).hits(path)).toBe(0);
  });

  it('WHEN the pinned target’s circuit is open THEN the request is refused with 503, never sent to the other version', async () => {
    const clock = manualClock();
    const proxy = createProxy(config({ circuitBreaker: TEST_BREAKER }), { ...quietDeps(), now: clock.now });
    b.script('/pinned-down', { kind: 'respond', status: 503 });
    for (let i = 0; i < TEST_BREAKER.minimumRequests; i += 1) await proxy(get('/pinned-down', { 'X-Api-Version': '2' }));
    const result = await proxy(get('/pinned-down', { 'X-Api-Version': '2' }));
    expect(jsonOf(result).code).toBe('circuit_open');
    expect(a.hits('/pinned-down')).toBe(0);
    expect(b.hits('/pinned-down')).toBe(TEST_BREAKER.minimumRequests);
  });
});

describe('GIVEN a version rule pinning v2 by ?version=2', () => {
  const proxy = () =>
    createProxy(
      proxyConfig(
        [
          { name: 'v1', url: a.origin, weight: 1 },
          { name: 'v2', url: b.origin, weight: 0 },
        ],
        { versionRules: [{ query: 'version', value: '2', target: 'v2' }] },
      ),
      quietDeps(),
    );
  const call = (path: string, query: Record<string, string[]>, headers: Record<string, string> = {}) =>
    proxy()(restEvent({ pathParameters: { proxy: path.slice(1) }, query, headers }));

  it.each([
    ['?version=2', { version: ['2'] }, 'b'],
    ['?version=1&version=2 (any value counts)', { version: ['1', '2'] }, 'b'],
    ['?Version=2 (query names are case-sensitive)', { Version: ['2'] }, 'a'],
    ['?version=02 (values compare exactly)', { version: ['02'] }, 'a'],
    ['no query', {}, 'a'],
  ])('WHEN the request has %s THEN it goes to upstream %s', async (_case, query, upstream) => {
    const path = `/query-pin-${Object.entries(query).flat(2).join('-') || 'none'}`;
    expect((await call(path, query)).statusCode).toBe(200);
    expect((upstream === 'b' ? b : a).hits(path)).toBe(1);
    expect((upstream === 'b' ? a : b).hits(path)).toBe(0);
  });

  it('WHEN the request carries both ?version=2 and X-Api-Version: 3 THEN the query pin wins (query rules are tried first), and the query still reaches the upstream', async () => {
    const config = proxyConfig(
      [
        { name: 'v1', url: a.origin, weight: 1 },
        { name: 'v2', url: b.origin, weight: 0 },
      ],
      // Header rule listed first on purpose: the order across kinds does not decide, the kind does.
      {
        versionRules: [
          { header: 'x-api-version', value: '3', target: 'v1' },
          { query: 'version', value: '2', target: 'v2' },
        ],
      },
    );
    const both = await createProxy(
      config,
      quietDeps(),
    )(restEvent({ pathParameters: { proxy: 'both-pins' }, query: { version: ['2'] }, headers: { 'X-Api-Version': '3' } }));
    expect(both.statusCode).toBe(200);
    expect(b.hits('/both-pins')).toBe(1);
    expect(a.hits('/both-pins')).toBe(0);
    expect(jsonOf(both).url).toBe('/both-pins?version=2');
  });
});

describe('GIVEN a version rule naming a target the service does not have', () => {
  it.each([
    [{ header: 'x-api-version', value: '2', target: 'v9' }, /version rule header x-api-version=2 names unknown target "v9"/],
    [{ query: 'version', value: '2', target: 'v9' }, /version rule query version=2 names unknown target "v9"/],
  ])('WHEN the proxy is built with %j THEN it refuses at init, naming the rule', (rule, message) => {
    expect(() => createProxy(proxyConfig(a.origin, { versionRules: [rule] }), quietDeps())).toThrow(message);
  });
});
