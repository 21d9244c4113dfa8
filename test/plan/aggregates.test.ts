// Aggregate planning: each aggregate as a route (one exact path, one GET, aggregator integration) and as an aggregator baked with its parts, timing and projection.
import { describe, expect, it } from 'vitest';
import { explainPlan } from '../../lib/plan/explain';
import { SHARED_STATE_BUDGET_MS } from '../../lib/plan/proxy-timing';
import { usesStateTable } from '../../lib/plan/resources';
import { planSpec } from '../../lib/plan/plan';
import type { GatewayPlan } from '../../lib/plan/types';
import { validateConfig } from '../../lib/config/load';
import { asRest } from '../support/flavors';

type Json = Record<string, unknown>;

const jwt = { jwt: { issuers: [{ issuer: 'https://id.example.com/', audience: ['web'] }] } };

function spec(services: Json = {}, dashboard: Json = {}, webExtra: Json = {}): Json {
  return {
    services: {
      users: { url: 'https://users.internal:8080', timeoutMs: 2000, retries: { attempts: 1 } },
      orders: { url: 'https://orders.internal', timeoutMs: 3000, circuitBreaker: {} },
      recs: { url: 'https://recs.internal/v1', timeoutMs: 1000 },
      ...services,
    },
    gateways: {
      web: {
        auth: jwt,
        cors: { origins: ['https://app.example.com'] },
        routes: [{ service: 'users', paths: ['/api/users'], methods: ['GET'] }],
        aggregates: [
          {
            path: '/api/dashboard',
            auth: { jwt: { scopes: ['dashboard:read'] } },
            parts: {
              profile: { service: 'users', path: '/users/{claims.sub}' },
              orders: { service: 'orders', path: '/orders?user={claims.sub}&limit=5', optional: true, timeoutMs: 800, fallback: [] },
              recs: { service: 'recs', path: '/for/{profile.segment}', optional: true, fallback: { items: [] } },
            },
            ...dashboard,
          },
        ],
        ...webExtra,
      },
      mobile: {
        auth: jwt,
        aggregates: [
          {
            path: '/m/dashboard',
            auth: 'jwt',
            from: 'web.dashboard',
            select: ['profile.name', 'orders[].id'],
            forwardHeaders: ['authorization'],
            aggregator: { memoryMb: 512 },
          },
        ],
      },
    },
  };
}
const plan = (s: Json) => planSpec(validateConfig(s));
const web = (s: Json = spec()): GatewayPlan => plan(s).gateways[0]!;

describe('an aggregate as a route', () => {
  const g = web();
  const route = g.routes.find((r) => r.integration.kind === 'aggregator')!;

  it("owns one exact resource with one GET method, after the gateway's routes", () => {
    expect(g.routes.map((r) => r.path)).toEqual(['/api/users', '/api/dashboard']);
    expect(route).toMatchObject({
      id: 'aggregate-dashboard',
      routeIndex: 1,
      resourcePaths: ['/api/dashboard'],
      methods: ['GET'],
      apiMethods: ['GET'],
    });
  });

  it("integrates with its aggregator, timed out a second after the aggregate's deadline and its breaker-table waits", () => {
    const timeoutMs = g.aggregators[0]!.config.deadlineMs + 2 * SHARED_STATE_BUDGET_MS + 1000;
    expect(route.integration).toEqual({ kind: 'aggregator', aggregate: 'dashboard', parts: ['profile', 'orders', 'recs'], timeoutMs });
    expect(route.reason).toMatch(/aggregator Lambda: 3 parts called in parallel/);
  });

  it('carries auth, scopes and CORS like a route, and the JWT authorizer grants its GET', () => {
    expect(route.features).toMatchObject({ auth: 'jwt', scopes: ['dashboard:read'], cors: true, apiKey: false });
    expect(g.authorizer!.config.routes).toContainEqual({ method: 'GET/api/dashboard', scopes: ['dashboard:read'], roles: [] });
  });

  it('makes the API declare every media type binary (compressed answers come back base64)', () => {
    const onlyAggregates = spec({ users: { url: 'https://users.internal:8080' }, orders: { url: 'https://orders.internal' } });
    const p = plan(onlyAggregates);
    expect(p.gateways[0]!.proxies).toEqual([]);
    expect(p.gateways.map((x) => asRest(x).binaryMediaTypes)).toEqual([['*/*'], ['*/*']]);
  });

  it("counts the aggregator's function, role, policy, log group and one permission, and nothing for its route", () => {
    const without = spec();
    (without.gateways as Json).web = {
      ...((without.gateways as Json).web as Json),
      aggregates: [{ path: '/api/x', auth: 'jwt', parts: { a: { service: 'recs', path: '/a' } } }],
    };
    delete (without.gateways as Json).mobile;
    const withTwo = structuredClone(without);
    (((withTwo.gateways as Json).web as Json).aggregates as Json[]).push({
      path: '/api/y',
      auth: 'jwt',
      parts: { a: { service: 'recs', path: '/a' } },
    });
    // Function, Role, Policy (X-Ray), LogGroup, Permission; its error, throttle and concurrency alarms; /api/y and its GET and OPTIONS are in the API's definition.
    expect(plan(withTwo).stackResources - plan(without).stackResources).toBe(5 + 3);
  });

  it('changes the deployment fingerprint when added', () => {
    const s = spec();
    const before = structuredClone(s);
    ((before.gateways as Json).web as Json).aggregates = [];
    delete (before.gateways as Json).mobile;
    expect(web(before).deploymentFingerprint).not.toBe(web(s).deploymentFingerprint);
  });

  it("keeps a multi-verb route on the same path as the aggregate's GET to its own methods", () => {
    const g2 = web(spec({}, {}, { routes: [{ service: 'users', paths: ['/api/dashboard'], methods: ['POST', 'PUT'] }] }));
    const r = g2.routes.find((x) => x.integration.kind !== 'aggregator')!;
    expect(r.apiMethods).toEqual(['POST', 'PUT']);
    // The route answers the preflight of the shared resource, so the aggregate adds none.
    expect(g2.routes.find((x) => x.integration.kind === 'aggregator')!.features.cors).toBe(false);
  });
});

describe('what an aggregator is baked with', () => {
  const g = web();
  const a = g.aggregators[0]!;
  const c = a.config;

  it("names the gateway and route, and carries the gateway's CORS and correlation headers", () => {
    expect(c).toMatchObject({
      gateway: 'web',
      route: '/api/dashboard',
      correlationHeader: 'X-Request-ID',
      gatewayRequestIdHeader: 'X-Gateway-Request-ID',
      compressMinBytes: 1024,
    });
    expect(c.cors).toEqual({ origins: ['https://app.example.com'], credentials: false, exposeHeaders: ['X-Request-ID'] });
  });

  it("gives each part its service's url, the part's timeout over the service's, and optional parts their fallback", () => {
    expect(c.parts.profile).toMatchObject({
      service: 'users',
      url: 'https://users.internal:8080',
      pathTemplate: '/users/{claims.sub}',
      method: 'GET',
      timeoutMs: 2000,
      optional: false,
    });
    expect(c.parts.orders).toMatchObject({ timeoutMs: 800, optional: true, fallback: [] });
    expect(c.parts.recs).toMatchObject({ url: 'https://recs.internal/v1', timeoutMs: 1000, fallback: { items: [] } });
  });

  it('maps retries and breakers exactly as the proxy of the same service does', () => {
    const proxied = web(
      spec(
        {},
        {},
        {
          routes: [
            { service: 'users', paths: ['/api/users'] },
            { service: 'orders', paths: ['/api/orders'] },
          ],
        },
      ),
    );
    const proxy = (name: string) => proxied.proxies.find((p) => p.service === name)!.config;
    expect(c.parts.profile!.retry).toEqual(proxy('users').retry);
    expect(c.parts.orders!.circuitBreaker).toEqual(proxy('orders').circuitBreaker);
    expect(c.parts.orders!.circuitBreaker!.store).toBe('dynamodb');
    expect(c.parts.recs!.retry).toBeUndefined();
    expect(c.retryBudgetRatio).toBe(0.1);
  });

  it('records which part waits for which', () => {
    expect(a.dependencies).toEqual({ profile: [], orders: [], recs: ['profile'] });
  });

  it("needs the state table when a part's service shares its breaker, and not otherwise", () => {
    expect(a.stateUses).toEqual({ breaker: true, rateLimit: false });
    expect(plan(spec()).stateTable).toBe(true);
    const local = plan(spec({ orders: { url: 'https://orders.internal', circuitBreaker: { state: 'local' } } }));
    expect(local.stateTable).toBe(false);
    expect(usesStateTable(local.gateways[0]!.aggregators[0]!.stateUses)).toBe(false);
  });

  it('GIVEN a service with several targets WHEN a part calls it THEN it uses the first target and a warning says what is not applied', () => {
    const p = plan(
      spec({
        recs: {
          targets: [{ url: 'https://recs-a.internal' }, { url: 'https://recs-b.internal', match: { 'X-Api-Version': '2' } }],
          transform: { response: { remove: { json: ['x'] } } },
        },
      }),
    );
    expect(p.gateways[0]!.aggregators[0]!.config.parts.recs!.url).toBe('https://recs-a.internal');
    expect(p.warnings).toContainEqual({
      code: 'AGGREGATE_PART_IGNORES_SERVICE_FEATURES',
      where: 'gateways.web.aggregates[0].parts.recs.service',
      message: expect.stringMatching(/not its targets \(it calls the first, https:\/\/recs-a\.internal\), transform/),
    });
  });
});

describe('aggregate timing', () => {
  it('GIVEN no deadlineMs WHEN planned THEN the deadline is the slowest chain: profile (2 attempts of 2 s + 50 ms) then recs (1 s)', () => {
    const a = web().aggregators[0]!;
    expect(a.config.deadlineMs).toBe(2 * 2000 + 50 + 1000);
    // orders shares its breaker: two shared-state budgets (the first read, the writes) come on top.
    expect(a.stateWaitMs).toBe(2 * SHARED_STATE_BUDGET_MS);
    expect(a.integrationTimeoutMs).toBe(6050 + 2 * SHARED_STATE_BUDGET_MS);
    expect(a.deadlineReason).toMatch(/slowest chain \(profile → recs\) takes up to 5050 ms/);
  });

  it('GIVEN a deadlineMs WHEN planned THEN it is used, and a warning says the slowest chain may be cut', () => {
    const p = plan(spec({}, { deadlineMs: 3000 }));
    expect(p.gateways[0]!.aggregators[0]!.config.deadlineMs).toBe(3000);
    expect(p.warnings).toContainEqual(
      expect.objectContaining({ code: 'AGGREGATE_DEADLINE_CUTS_PARTS', where: 'gateways.web.aggregates[0].deadlineMs' }),
    );
  });

  it('GIVEN parts that could take longer than 28 s WHEN planned THEN the deadline is capped at 28000 ms less the shared-state waits, with a warning on the parts', () => {
    const p = plan(spec({ users: { url: 'https://users.internal:8080', timeoutMs: 20_000, retries: { attempts: 1 } } }));
    expect(p.gateways[0]!.aggregators[0]!.config.deadlineMs).toBe(28_000 - 2 * SHARED_STATE_BUDGET_MS);
    expect(p.gateways[0]!.aggregators[0]!.integrationTimeoutMs).toBe(29_000);
    expect(p.warnings).toContainEqual(
      expect.objectContaining({ code: 'AGGREGATE_DEADLINE_CUTS_PARTS', where: 'gateways.web.aggregates[0].parts' }),
    );
  });

  it('GIVEN a deadline that fits WHEN planned THEN no timing warning', () => {
    expect(plan(spec()).warnings.map((w) => w.code)).not.toContain('AGGREGATE_DEADLINE_CUTS_PARTS');
  });
});

describe('an aggregate reused with from', () => {
  const p = plan(spec());
  const mobile = p.gateways[1]!.aggregators[0]!;

  it("calls the source's parts with its own select, forwardHeaders and function settings", () => {
    expect(Object.keys(mobile.config.parts)).toEqual(['profile', 'orders', 'recs']);
    expect(mobile.config).toMatchObject({ gateway: 'mobile', route: '/m/dashboard', select: ['profile.name', 'orders[].id'] });
    expect(mobile.config.parts.profile!.forwardHeaders).toEqual(['authorization']);
    expect([mobile.from, mobile.memoryMb, mobile.name]).toEqual(['web.dashboard', 512, 'dashboard']);
  });

  it("takes the source's deadlineMs unless it sets its own", () => {
    const s = spec({}, { deadlineMs: 7000 });
    expect(plan(s).gateways[1]!.aggregators[0]!.config.deadlineMs).toBe(7000);
    (((s.gateways as Json).mobile as Json).aggregates as Json[])[0]!.deadlineMs = 4000;
    expect(plan(s).gateways[1]!.aggregators[0]!.config.deadlineMs).toBe(4000);
  });
});

describe('explain', () => {
  const text = explainPlan(plan(spec()));

  it('shows the breaker-table waits in the timing line (orders shares its breaker)', () => {
    expect(text).toMatch(
      new RegExp(
        `shared state at most ${2 * SHARED_STATE_BUDGET_MS} ms \\(${SHARED_STATE_BUDGET_MS} ms budget per wait, then local state\\), API Gateway integration timeout 6450 ms`,
      ),
    );
  });

  it('lists the aggregate as a route without a greedy child', () => {
    expect(text).toMatch(/\/api\/dashboard\s+GET\s+users,orders,recs\s+aggregator → profile, orders, recs/);
  });

  it('shows each part with its service, URL, optional fallback, timing and dependencies', () => {
    expect(text).toMatch(/Aggregate "dashboard" \(GET \/api\/dashboard\): 3 parts from users, orders, recs/);
    expect(text).toMatch(/deadline 5050 ms \(the slowest chain \(profile → recs\)/);
    expect(text).toMatch(/profile\s+required\s+users\s+GET https:\/\/users\.internal:8080\/users\/\{claims\.sub\}\s+2000 ms, 1 retries/);
    expect(text).toMatch(
      /orders\s+optional, fallback \[\]\s+orders\s+GET https:\/\/orders\.internal\/orders\?user=\{claims\.sub\}&limit=5\s+800 ms, breaker shared/,
    );
    expect(text).toMatch(/recs\s+optional, fallback \{"items":\[\]\}.*1000 ms, after profile/);
  });

  it("shows the reused aggregate's source and projection", () => {
    expect(text).toMatch(/Aggregate "dashboard" \(GET \/m\/dashboard\): parts of web\.dashboard;/);
    expect(text).toMatch(/forwards authorization; select profile\.name, orders\[\]\.id/);
  });
});

describe('an aggregate inside a route prefix', () => {
  it("GIVEN an aggregate below a route's path WHEN planned THEN a warning names the route and says which requests change hands", () => {
    const p = plan(spec({}, { path: '/api/users/dashboard', name: 'dashboard' }));
    const warning = p.warnings.find((w) => w.code === 'AGGREGATE_INSIDE_ROUTE_PREFIX');
    expect(warning?.where).toBe('gateways.web.aggregates[0].path');
    expect(warning?.message).toMatch(
      /^\/api\/users\/dashboard is below routes\[0\] \(\/api\/users\), which forwards everything below it to users: requests to exactly \/api\/users\/dashboard are the aggregate's now/,
    );
  });

  it('GIVEN aggregates beside the routes (the default example) or on a sibling path sharing a prefix of characters WHEN planned THEN no warning', () => {
    expect(plan(spec()).warnings.map((w) => w.code)).not.toContain('AGGREGATE_INSIDE_ROUTE_PREFIX');
    expect(plan(spec({}, { path: '/api/users-dashboard', name: 'dashboard' })).warnings.map((w) => w.code)).not.toContain(
      'AGGREGATE_INSIDE_ROUTE_PREFIX',
    );
  });
});

describe('an aggregate with its own throttle', () => {
  it('GIVEN throttle WHEN planned THEN the aggregate route carries it; without, none (the stage throttle applies)', () => {
    expect(
      web(spec({}, { throttle: { rate: 20, burst: 40 } })).routes.find((r) => r.integration.kind === 'aggregator')!.features.throttle,
    ).toEqual({ rate: 20, burst: 40 });
    expect(web().routes.find((r) => r.integration.kind === 'aggregator')!.features.throttle).toBeUndefined();
  });

  it('GIVEN a rate above the stage WHEN planned THEN the same warning as a route gets, at the aggregate', () => {
    const p = plan(spec({}, { throttle: { rate: 5000, burst: 5000 } }));
    expect(p.warnings).toContainEqual(
      expect.objectContaining({ code: 'ROUTE_THROTTLE_ABOVE_STAGE', where: 'gateways.web.aggregates[0].throttle' }),
    );
  });

  it("GIVEN a rate above the account's WHEN planned THEN an error names the aggregate's rate", () => {
    expect(() => plan(spec({}, { throttle: { rate: 20_000, burst: 5000 } }))).toThrow(
      /gateways\.web\.aggregates\[0\]\.throttle\.rate.*above the account's 10000 rps/s,
    );
  });
});

describe('an aggregate on a templated path', () => {
  const summary = {
    path: '/api/orders/{id}/summary',
    parts: {
      order: { service: 'orders', path: '/orders/{path.id}' },
      lines: { service: 'users', path: '/orders/{path.id}/lines?user={claims.sub}' },
    },
  };
  const withoutMobile = (): Json => {
    const s = spec({}, summary);
    delete (s.gateways as Json).mobile;
    return s;
  };
  const g = web(withoutMobile());

  it('GIVEN /api/orders/{id}/summary WHEN planned THEN its route is that one templated resource (no greedy child) named after the last literal segment, and its aggregator is baked with the template', () => {
    const route = g.routes.find((r) => r.integration.kind === 'aggregator')!;
    expect(route).toMatchObject({
      id: 'aggregate-summary',
      name: 'summary',
      path: '/api/orders/{id}/summary',
      resourcePaths: ['/api/orders/{id}/summary'],
      methods: ['GET'],
    });
    expect(g.aggregators[0]!.config.route).toBe('/api/orders/{id}/summary');
    expect(g.aggregators[0]!.config.parts.order!.pathTemplate).toBe('/orders/{path.id}');
  });

  it('GIVEN /api/orders/{id}/summary WHEN explained THEN the aggregate is shown on its templated path', () => {
    expect(explainPlan(plan(withoutMobile()))).toMatch(/\/api\/orders\/\{id\}\/summary/);
  });
});
