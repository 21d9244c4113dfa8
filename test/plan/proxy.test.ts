// Proxy planning: which routes go through the resilient proxy Lambda, why, what each proxy is baked with, and its timing checks.
import { describe, expect, it } from 'vitest';
import { explainPlan } from '../../lib/plan/explain';
import { usesStateTable } from '../../lib/plan/resources';
import { planSpec } from '../../lib/plan/plan';
import { DEGRADED_HEADER, planProxies } from '../../lib/plan/proxy';
import { planServices } from '../../lib/plan/services';
import { SHARED_STATE_BUDGET_MS } from '../../lib/plan/proxy-timing';
import type { GatewayPlan } from '../../lib/plan/types';
import { loadConfig, validateConfig } from '../../lib/config/load';
import { catchSpecError } from '../config/fixtures';
import { asRest } from '../support/flavors';

type Json = Record<string, unknown>;

function spec(orders: Json, gatewayExtra: Json = {}): Json {
  return {
    services: { users: { url: 'https://users.internal' }, orders: { timeoutMs: 2000, ...orders } },
    gateways: {
      public: {
        routes: [
          { service: 'users', paths: ['/api/users'] },
          { service: 'orders', paths: ['/api/orders'], methods: ['GET', 'POST'], stripPath: true },
          { service: 'orders', paths: ['/v2/orders'], methods: ['GET'] },
        ],
        ...gatewayExtra,
      },
    },
  };
}
const plan = (s: Json) => planSpec(validateConfig(s));
const gateway = (s: Json): GatewayPlan => plan(s).gateways[0]!;
const url = { url: 'https://orders.internal:8080' };

describe('which routes need the proxy', () => {
  it('GIVEN a service with only a url WHEN planned THEN its routes are direct HTTP proxies and the gateway has no proxy or binary media types', () => {
    const g = gateway(spec(url));
    expect(g.routes.map((r) => r.integration.kind)).toEqual(['http-proxy', 'http-proxy', 'http-proxy']);
    expect(g.proxies).toEqual([]);
    expect(asRest(g).binaryMediaTypes).toEqual([]);
  });

  const features: [string, Json, RegExp][] = [
    [
      'weighted targets',
      {
        targets: [
          { url: 'https://a', weight: 9 },
          { url: 'https://b', weight: 1 },
        ],
      },
      /2 weighted targets/,
    ],
    ['a version pin', { targets: [{ url: 'https://a', match: { 'X-Api-Version': '2' } }] }, /header-based version routing/],
    ['a query version pin', { targets: [{ url: 'https://a', match: { query: { version: '2' } } }] }, /query-based version routing/],
    [
      'a response transform',
      { ...url, transform: { response: { remove: { json: ['internal_metadata'] } } } },
      /request\/response transformation/,
    ],
    ['a circuit breaker', { ...url, circuitBreaker: {} }, /circuit breaker \(shared state\)/],
    ['retries', { ...url, retries: { attempts: 1 } }, /retries \(1\)/],
    ['a fallback', { ...url, fallback: { status: 503, json: { message: 'later' } } }, /fallback 503/],
    ['a last good response', { ...url, lastGood: { ttlSeconds: 30 } }, /last good response for 30 s/],
  ];
  for (const [what, orders, reason] of features) {
    it(`GIVEN a service with ${what} WHEN planned THEN its routes go through its proxy and the reason says so`, () => {
      const g = gateway(spec(orders));
      const [users, ordersRoute, v2] = g.routes;
      expect(users!.integration.kind).toBe('http-proxy');
      expect(ordersRoute!.integration.kind).toBe('lambda-proxy');
      expect(v2!.integration.kind).toBe('lambda-proxy');
      expect(ordersRoute!.reason).toMatch(reason);
      expect(g.proxies.map((p) => p.service)).toEqual(['orders']);
      expect(asRest(g).binaryMediaTypes).toEqual(['*/*']);
    });
  }

  it('GIVEN a transform that only sets request headers to constants WHEN planned THEN the route stays direct with static header mappings', () => {
    const g = gateway(spec({ ...url, transform: { request: { set: { headers: { 'X-Source': 'gateway', 'X-Tier': 2 } } } } }));
    const route = g.routes[1]!;
    expect(route.integration.kind).toBe('http-proxy');
    if (route.integration.kind !== 'http-proxy') return;
    expect(route.integration.headers).toMatchObject({ 'X-Source': "'gateway'", 'X-Tier': "'2'" });
    expect(g.proxies).toEqual([]);
  });

  it('GIVEN a constant request header whose value holds a quote WHEN planned THEN the proxy sets it (a static mapping cannot)', () => {
    const g = gateway(spec({ ...url, transform: { request: { set: { headers: { 'X-Name': "O'Brien" } } } } }));
    expect(g.routes[1]!.integration.kind).toBe('lambda-proxy');
  });

  it('GIVEN a single target without a pin WHEN planned THEN the route is direct to that target', () => {
    const g = gateway(spec({ targets: [{ url: 'https://only.internal' }] }));
    const route = g.routes[1]!;
    expect(route.integration.kind).toBe('http-proxy');
    if (route.integration.kind === 'http-proxy') expect(route.integration.uri).toBe('https://only.internal/');
  });

  it('GIVEN two gateways using the same proxied service WHEN planned THEN each gateway gets its own proxy of it', () => {
    const s = spec({ ...url, retries: {} });
    (s.gateways as Json).partner = { routes: [{ service: 'orders', paths: ['/orders'] }] };
    const p = plan(s);
    expect(p.gateways.map((g) => g.proxies.map((x) => `${x.config.gateway}/${x.service}`))).toEqual([
      ['public/orders'],
      ['partner/orders'],
    ]);
  });
});

describe('what a proxy is baked with', () => {
  const full = {
    targets: [
      { name: 'v1', url: 'https://orders-v1.internal', weight: 90 },
      { url: 'https://orders-v2.internal', weight: 10, match: { 'X-Api-Version': '2', Accept: 'application/vnd.api.v2+json' } },
    ],
    transform: {
      request: { set: { headers: { 'X-Source': 'gateway' } } },
      response: { remove: { headers: ['X-Internal-Trace-Id'], json: ['internal_metadata'] } },
    },
    circuitBreaker: { failureRate: 40, state: 'local' },
    retries: { attempts: 2 },
    fallback: { status: 503, json: { message: 'Orders are temporarily unavailable' } },
    lastGood: { ttlSeconds: 120, maxBodyKb: 64 },
    proxy: { memoryMb: 512, reservedConcurrency: 20, vpc: { subnetIds: ['subnet-0a'], securityGroupIds: ['sg-0b'] } },
  };
  const g = gateway(
    spec(full, {
      cors: { origins: ['https://app.example.com'], credentials: true },
      auth: { jwt: { issuers: [{ issuer: 'https://id.example.com/', audience: ['api'] }] } },
      correlationId: { header: 'X-Correlation-Id' },
    }),
  );
  const p = g.proxies[0]!;
  const c = p.config;

  it('names targets (unnamed ones t<index>) and keeps their weights', () => {
    expect(c.targets).toEqual([
      { name: 'v1', url: 'https://orders-v1.internal', weight: 90 },
      { name: 't1', url: 'https://orders-v2.internal', weight: 10 },
    ]);
  });

  it('turns each match into a version rule with a lower-case header name', () => {
    expect(c.versionRules).toEqual([
      { header: 'x-api-version', value: '2', target: 't1' },
      { header: 'accept', value: 'application/vnd.api.v2+json', target: 't1' },
    ]);
  });

  it('bakes the breaker with every 5xx as a failure by default and local state as memory', () => {
    expect(c.circuitBreaker).toMatchObject({
      failureRate: 40,
      minimumRequests: 20,
      windowSeconds: 30,
      openSeconds: 30,
      halfOpenProbes: 1,
      store: 'memory',
    });
    expect(c.circuitBreaker!.failureStatuses).toHaveLength(100);
    expect(c.circuitBreaker!.failureStatuses[0]).toBe(500);
    expect(c.circuitBreaker!.failureStatuses.at(-1)).toBe(599);
    expect(usesStateTable(p.stateUses)).toBe(false);
  });

  it('bakes retries as the shared retry policy and the budget as a ratio', () => {
    expect(c.retry).toEqual({ retries: 2, baseDelayMs: 50, maxDelayMs: 1000, retryOnStatuses: [502, 503, 504] });
    expect(c.retryBudgetRatio).toBe(0.1);
  });

  it('renders a JSON fallback as its body with a JSON content type', () => {
    expect(c.fallback).toEqual({
      status: 503,
      headers: { 'Content-Type': 'application/json' },
      body: '{"message":"Orders are temporarily unavailable"}',
    });
  });

  it('keeps last good responses within the configured size, in bytes', () => {
    expect(c.lastGood).toEqual({ ttlSeconds: 120, maxEntries: 100, maxBodyBytes: 64 * 1024, varyHeaders: [], sharedAnswers: false });
    expect(c.degradedHeader).toBe(DEGRADED_HEADER);
  });

  it('maps every method on both resources of every path to its prefix and stripPath', () => {
    expect(c.routes).toEqual({
      'GET /api/orders': { prefix: '/api/orders', stripPath: true },
      'POST /api/orders': { prefix: '/api/orders', stripPath: true },
      'GET /api/orders/{proxy+}': { prefix: '/api/orders', stripPath: true },
      'POST /api/orders/{proxy+}': { prefix: '/api/orders', stripPath: true },
      'GET /v2/orders': { prefix: '/v2/orders', stripPath: false },
      'GET /v2/orders/{proxy+}': { prefix: '/v2/orders', stripPath: false },
    });
  });

  it("carries the gateway's CORS, correlation and identity header settings", () => {
    expect(c.cors).toEqual({ origins: ['https://app.example.com'], credentials: true, exposeHeaders: ['X-Request-ID'] });
    expect(c.correlationHeader).toBe('X-Correlation-Id');
    expect(c.gatewayRequestIdHeader).toBe('X-Gateway-Request-ID');
    expect(c.identityHeaders).toEqual({ userId: 'X-User-Id', roles: 'X-User-Roles', scopes: 'X-User-Scopes', clientId: 'X-Client-Id' });
  });

  it('passes the transform through as configured, the constant headers included', () => {
    expect(c.transform.request?.set?.headers).toEqual({ 'X-Source': 'gateway' });
    expect(c.transform.response?.remove).toEqual({ headers: ['X-Internal-Trace-Id'], json: ['internal_metadata'] });
  });

  it('carries the function settings', () => {
    expect([p.memoryMb, p.reservedConcurrency, p.vpc]).toEqual([512, 20, { subnetIds: ['subnet-0a'], securityGroupIds: ['sg-0b'] }]);
  });

  it('explains the proxy: targets, pins, timing, retries, breaker and degradation', () => {
    const text = explainPlan(plan(spec(full)));
    expect(text).toMatch(/Proxy "orders": 2 weighted targets, header-based version routing/);
    expect(text).toMatch(/pinned x-api-version: 2 → t1/);
    expect(text).toMatch(/2 retries \(idempotent or Idempotency-Key only, budget 10 %\)/);
    expect(text).toMatch(/degrades to last good \(120 s, GET\) then fallback 503/);
    expect(text).toMatch(/lambda-proxy → https:\/\/orders-v1\.internal \| https:\/\/orders-v2\.internal/);
  });
});

describe('query version pins', () => {
  const pinned = {
    targets: [
      { name: 'v1', url: 'https://orders-v1.internal', match: { 'X-Api-Version': '1' } },
      { name: 'v2', url: 'https://orders-v2.internal', weight: 0, match: { 'X-Api-Version': '2', query: { version: '2', api: 'v2' } } },
    ],
  };

  it('GIVEN pins by header and by query WHEN planned THEN the query rules come first (the proxy tries them first), names and values as written', () => {
    expect(gateway(spec(pinned)).proxies[0]!.config.versionRules).toEqual([
      { query: 'version', value: '2', target: 'v2' },
      { query: 'api', value: 'v2', target: 'v2' },
      { header: 'x-api-version', value: '1', target: 'v1' },
      { header: 'x-api-version', value: '2', target: 'v2' },
    ]);
  });

  it('GIVEN pins by header and by query WHEN explained THEN both kinds are listed, the query ones as ?name=value', () => {
    const text = explainPlan(plan(spec(pinned)));
    expect(text).toMatch(/header-based version routing, query-based version routing/);
    expect(text).toMatch(/pinned \?version=2 → v2, \?api=v2 → v2, x-api-version: 1 → v1/);
  });
});

describe('lastGood in the proxy config', () => {
  it('GIVEN varyHeaders and sharedAnswers WHEN planned THEN the proxy gets the names lower-cased and the declaration as is', () => {
    const c = gateway(spec({ ...url, lastGood: { ttlSeconds: 30, varyHeaders: ['X-Auth-Token', 'Accept-Language'], sharedAnswers: true } }))
      .proxies[0]!.config;
    expect(c.lastGood).toMatchObject({ varyHeaders: ['x-auth-token', 'accept-language'], sharedAnswers: true });
  });
});

describe('proxy timing', () => {
  it('GIVEN no retries WHEN planned THEN the deadline is one attempt and the integration timeout adds a second for the answer', () => {
    const g = gateway(spec({ ...url, circuitBreaker: { state: 'local' } }));
    expect(g.proxies[0]!.config.deadlineMs).toBe(2000);
    expect(g.proxies[0]!.stateWaitMs).toBe(0);
    expect(g.proxies[0]!.integrationTimeoutMs).toBe(3000);
    expect(g.routes[1]!.integration.timeoutMs).toBe(3000);
  });

  it(`GIVEN a breaker shared in DynamoDB WHEN planned THEN two shared-state budgets (before and after the upstream, ${SHARED_STATE_BUDGET_MS} ms each) are added outside the deadline`, () => {
    const g = gateway(spec({ ...url, circuitBreaker: {} }));
    expect(g.proxies[0]!.config.deadlineMs).toBe(2000);
    expect(g.proxies[0]!.stateWaitMs).toBe(2 * SHARED_STATE_BUDGET_MS);
    expect(g.proxies[0]!.integrationTimeoutMs).toBe(2000 + 2 * SHARED_STATE_BUDGET_MS + 1000);
    expect(g.routes[1]!.integration.timeoutMs).toBe(g.proxies[0]!.integrationTimeoutMs);
    expect(explainPlan(plan(spec({ ...url, circuitBreaker: {} })))).toContain(
      `each attempt 2000 ms, whole request 2000 ms, shared state at most ${2 * SHARED_STATE_BUDGET_MS} ms (${SHARED_STATE_BUDGET_MS} ms budget per wait, then local state), API Gateway integration timeout 3400 ms`,
    );
  });

  it('GIVEN a rate-limited route and a breaker per instance WHEN planned THEN one budget is counted (the limit check), on every route of the service', () => {
    const g = gateway(
      spec(
        { ...url, circuitBreaker: { state: 'local' } },
        {
          routes: [
            { service: 'users', paths: ['/api/users'] },
            { service: 'orders', paths: ['/api/orders'], methods: ['GET'], rateLimit: { minute: 10 } },
            { service: 'orders', paths: ['/v2/orders'], methods: ['GET'] },
          ],
        },
      ),
    );
    expect(g.proxies[0]!.stateWaitMs).toBe(SHARED_STATE_BUDGET_MS);
    expect(g.routes.filter((r) => r.integration.kind === 'lambda-proxy').map((r) => r.integration.timeoutMs)).toEqual([
      3000 + SHARED_STATE_BUDGET_MS,
      3000 + SHARED_STATE_BUDGET_MS,
    ]);
    expect(explainPlan(plan(spec({ ...url, circuitBreaker: { state: 'local' } })))).toMatch(
      /whole request 2000 ms, no shared state, API Gateway integration timeout 3000 ms/,
    );
  });

  it('GIVEN a shared breaker and a 28 s timeout WHEN planned THEN a ConfigError leaves room for the shared-state budget', () => {
    const err = catchSpecError(() => plan(spec({ ...url, timeoutMs: 28_000, circuitBreaker: {} })));
    expect(err.issues).toContainEqual(
      expect.objectContaining({
        where: 'services.orders.timeoutMs',
        message: expect.stringMatching(
          new RegExp(
            `\\(${2 * SHARED_STATE_BUDGET_MS} ms go to the shared-state budget\\); use at most ${28_000 - 2 * SHARED_STATE_BUDGET_MS} ms`,
          ),
        ),
      }),
    );
  });

  it('GIVEN 2 retries WHEN planned THEN the deadline covers 3 attempts plus the largest backoffs (50 + 100 ms)', () => {
    const g = gateway(spec({ ...url, retries: { attempts: 2 } }));
    expect(g.proxies[0]!.config.deadlineMs).toBe(3 * 2000 + 150);
  });

  it('GIVEN retries that cannot fit in 28 s WHEN planned THEN the deadline is capped and a warning names retries.attempts', () => {
    const p = plan(spec({ ...url, timeoutMs: 10_000, retries: { attempts: 3 } }));
    expect(p.gateways[0]!.proxies[0]!.config.deadlineMs).toBe(28_000);
    expect(p.gateways[0]!.proxies[0]!.integrationTimeoutMs).toBe(29_000);
    expect(p.warnings).toContainEqual(
      expect.objectContaining({ code: 'RETRIES_CUT_BY_DEADLINE', where: 'services.orders.retries.attempts' }),
    );
  });

  it('GIVEN retries that fit WHEN planned THEN no deadline warning', () => {
    expect(plan(spec({ ...url, retries: {} })).warnings.map((w) => w.code)).not.toContain('RETRIES_CUT_BY_DEADLINE');
  });

  it('GIVEN a proxied service with a 28.5 s timeout WHEN planned THEN a ConfigError asks for at most 28000 ms', () => {
    const err = catchSpecError(() => plan(spec({ ...url, timeoutMs: 28_500, fallback: {} })));
    expect(err.issues).toContainEqual(
      expect.objectContaining({ where: 'services.orders.timeoutMs', message: expect.stringMatching(/use at most 28000 ms/) }),
    );
  });

  it('GIVEN a direct service with a 28.5 s timeout WHEN planned THEN it is accepted (API Gateway answers its own timeout)', () => {
    expect(gateway(spec({ ...url, timeoutMs: 28_500 })).routes[1]!.integration.timeoutMs).toBe(28_500);
  });
});

describe('shared state and the deployment', () => {
  it('GIVEN a shared breaker WHEN planned THEN the stack has the state table and the proxy uses it', () => {
    const p = plan(spec({ ...url, circuitBreaker: {} }));
    expect(p.stateTable).toBe(true);
    expect(usesStateTable(p.gateways[0]!.proxies[0]!.stateUses)).toBe(true);
    expect(p.gateways[0]!.proxies[0]!.config.circuitBreaker!.store).toBe('dynamodb');
  });

  it('GIVEN only local breakers or no breaker WHEN planned THEN no state table', () => {
    expect(plan(spec({ ...url, circuitBreaker: { state: 'local' } })).stateTable).toBe(false);
    expect(plan(spec({ ...url, retries: {} })).stateTable).toBe(false);
  });

  it('GIVEN a route moving to the proxy WHEN planned THEN the deployment fingerprint changes', () => {
    expect(gateway(spec(url)).deploymentFingerprint).not.toBe(gateway(spec({ ...url, retries: {} })).deploymentFingerprint);
  });

  it('GIVEN a proxied service WHEN planned THEN its function, role, policy, log group and one permission are counted', () => {
    const direct = plan(spec(url));
    const proxied = plan(spec({ ...url, retries: {} }));
    const shared = plan(spec({ ...url, circuitBreaker: {} }));
    // + its alarms: internal errors, retries, retry budget, throttles, concurrency
    expect(proxied.gateways[0]!.estimate.stackResources - direct.gateways[0]!.estimate.stackResources).toBe(5 + 5);
    expect(shared.stackResources - proxied.stackResources).toBe(1);
  });
});

describe('request validation through the proxy', () => {
  const validate = { body: 'examples/schemas/order.json', query: ['tenant'], headers: ['X-Tenant-Id'] };
  const validated = (flavor: 'rest' | 'http', orders: Json = url) => {
    const s = spec(orders);
    const gw = (s.gateways as Record<string, Json>).public!;
    const routes = gw.routes as Json[];
    routes[1] = { ...routes[1], validate };
    gw.flavor = flavor;
    return gateway(s);
  };

  it('GIVEN an HTTP API route with validate WHEN planned THEN it goes through its service proxy, which is baked with the schema, query and headers', () => {
    const g = validated('http');
    const [users, orders, v2] = g.routes;
    expect(orders!.integration.kind).toBe('lambda-proxy');
    expect(orders!.reason).toMatch(/request validation \(HTTP APIs validate nothing themselves\)/);
    // Only the validated route pays for the Lambda; the service's other routes stay direct.
    expect([users!.integration.kind, v2!.integration.kind]).toEqual(['http-proxy', 'http-proxy']);
    const proxy = g.proxies[0]!;
    expect(proxy.reasons).toContain('request validation');
    const route = proxy.config.routes['POST /api/orders/{proxy+}']!;
    expect(route.validate).toEqual({
      body: expect.objectContaining({ required: ['sku', 'quantity'] }),
      query: ['tenant'],
      headers: ['X-Tenant-Id'],
    });
    expect(proxy.config.routes['GET /v2/orders']).toBeUndefined();
  });

  it('GIVEN a REST API route with validate WHEN planned THEN API Gateway validates it: the route stays direct, and a proxied one carries no validate', () => {
    const direct = validated('rest').routes[1]!;
    expect(direct.integration.kind).toBe('http-proxy');
    expect(direct.features.validation?.query).toEqual(['tenant']);
    const proxied = validated('rest', { ...url, retries: { attempts: 2 } });
    expect(proxied.routes[1]!.reason).not.toMatch(/request validation/);
    expect(Object.values(proxied.proxies[0]!.config.routes).every((r) => r.validate === undefined)).toBe(true);
  });
});

describe('examples/kong.yaml', () => {
  it("GIVEN the article's Kong routes (order-routes leave strip_path at Kong's default, true) WHEN planned THEN both strip their prefix upstream", () => {
    const g = planSpec(loadConfig('examples/kong.yaml')).gateways[0]!;
    const byName = Object.fromEntries(g.routes.map((r) => [r.name, r]));
    expect(byName['user-routes']!.stripPath).toBe(true);
    expect(byName['order-routes']!.stripPath).toBe(true);
    // The order service's response transformer puts its routes behind the proxy, which strips as baked.
    const orders = g.proxies.find((p) => p.service === 'order-service')!;
    expect(orders.config.routes['GET /api/orders/{proxy+}']).toMatchObject({ prefix: '/api/orders', stripPath: true });
  });
});

describe('templated route paths in the proxy config', () => {
  it('GIVEN a route plan on /api/users/{id} WHEN its proxy is planned THEN both resources map to the template as written, unchanged', () => {
    const s = validateConfig(spec({ ...url, retries: { attempts: 1 } }));
    const g = s.gateways.public!;
    const base = planSpec(s).gateways[0]!.routes[1]!;
    const templated = { ...base, path: '/api/users/{id}', resourcePaths: ['/api/users/{id}', '/api/users/{id}/{proxy+}'] };
    const config = planProxies('public', g, planServices(s), [templated])[0]!.config;
    expect(config.routes).toEqual({
      'GET /api/users/{id}': { prefix: '/api/users/{id}', stripPath: true },
      'POST /api/users/{id}': { prefix: '/api/users/{id}', stripPath: true },
      'GET /api/users/{id}/{proxy+}': { prefix: '/api/users/{id}', stripPath: true },
      'POST /api/users/{id}/{proxy+}': { prefix: '/api/users/{id}', stripPath: true },
    });
  });
});
