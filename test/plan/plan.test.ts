import { describe, expect, it } from 'vitest';
import { explainPlan } from '../../lib/plan/explain';
import { planSpec } from '../../lib/plan/plan';
import { joinUrl, resourceTree } from '../../lib/plan/routes';
import { ConfigError } from '../../lib/config/errors';
import { validateConfig } from '../../lib/config/load';
import { baseSpec, manyRoutes } from '../support/synth';
import { asRest } from '../support/flavors';

const plan = (spec: unknown) => planSpec(validateConfig(spec));
const planError = (spec: unknown): ConfigError => {
  try {
    plan(spec);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected the planner to reject the spec');
};

describe('planRoutes', () => {
  const p = plan(baseSpec());
  const [users, orders] = p.gateways[0]!.routes;

  it('plans each path of a route as a prefix: the path and its greedy child', () => {
    expect(users!.resourcePaths).toEqual(['/api/users', '/api/users/{proxy+}']);
    expect(resourceTree(p.gateways[0]!.routes)).toEqual([
      '/api',
      '/api/orders',
      '/api/users',
      '/api/orders/{proxy+}',
      '/api/users/{proxy+}',
    ]);
  });

  it('chooses a direct HTTP proxy and says why', () => {
    expect(users!.integration.kind).toBe('http-proxy');
    expect(users!.reason).toMatch(/no Lambda/);
  });

  it('strips the prefix when asked and keeps upstream base paths', () => {
    expect(users!.integration).toMatchObject({ uri: 'https://users.internal:8080/', greedyUri: 'https://users.internal:8080/{proxy}' });
    expect(orders!.integration).toMatchObject({
      uri: 'https://orders.internal/base/api/orders',
      greedyUri: 'https://orders.internal/base/api/orders/{proxy}',
    });
  });

  it('records the features applied to each route', () => {
    expect(users!.features).toEqual({
      apiKey: false,
      plans: [],
      throttle: undefined,
      cors: false,
      auth: 'none',
      scopes: [],
      roles: [],
      cache: 'off',
    });
  });

  it('gives each route path a stable id from its index and path', () => {
    expect(p.gateways[0]!.routes.map((r) => r.id)).toEqual(['0-api-users', '1-api-orders']);
  });

  it.each([
    ['https://h', '/', 'https://h/'],
    ['https://h/', '/', 'https://h/'],
    ['https://h/base/', '/', 'https://h/base'],
    ['https://h/base', '/x/{proxy}', 'https://h/base/x/{proxy}'],
  ])('joinUrl(%s, %s) = %s', (base, suffix, expected) => {
    expect(joinUrl(base, suffix)).toBe(expected);
  });
});

describe('planSpec: methods', () => {
  const routesOf = (routes: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
    plan({ services: { a: { url: 'https://a' } }, gateways: { g: { routes, ...extra } } }).gateways[0]!;

  it('serves exactly the listed methods: nothing collapses into ANY and no resource policy denies verbs', () => {
    const g = routesOf([{ service: 'a', paths: ['/x'], methods: ['GET', 'DELETE'] }]);
    expect(g.routes[0]!.apiMethods).toEqual(['GET', 'DELETE']);
    expect(asRest(g).gatewayResponses).not.toContain('ACCESS_DENIED');
  });

  it('keeps ANY for a route without methods', () => {
    expect(routesOf([{ service: 'a', paths: ['/x'] }]).routes[0]!.apiMethods).toEqual(['ANY']);
  });
});

describe('planSpec: resources', () => {
  it('counts the stack resources exactly for a small gateway', () => {
    // RestApi, Deployment, Stage, LogGroup + CDKMetadata
    // + dashboard, 4 alarms and the 429 metric filter + the shared alarm topic and its policy + 3 saved queries
    expect(plan(baseSpec()).stackResources).toBe(4 + 1 + 6 + 2 + 3);
    expect(plan(baseSpec({ observability: { dashboard: false, alarms: { enabled: false }, savedQueries: false } })).stackResources).toBe(
      4 + 1,
    );
  });

  it('costs no resource per route: 1,000 routes cost what 2 do', () => {
    const few = plan(manyRoutes(2)).gateways[0]!.estimate;
    const many = asRest(plan(manyRoutes(1000)).gateways[0]).estimate;
    expect(many.stackResources).toBe(few.stackResources);
    expect(many.controlPlaneCalls).toBe(few.controlPlaneCalls);
    expect(many.apiResources).toBe(2 * 1000 + 4);
  });

  it('estimates the API Gateway calls of a first deploy: create and read per API Gateway resource, plus one import', () => {
    // RestApi, Deployment, Stage, 1 plan, 1 key, 1 plan key
    expect(plan(baseSpec({ plans: { p: {} }, consumers: { c: { plans: ['p'] } } })).gateways[0]!.estimate.controlPlaneCalls).toBe(
      2 * 6 + 1,
    );
  });
});

describe('planSpec: quota checks', () => {
  it('rejects an API that needs more resources than the per-API quota, naming the quota and the fix', () => {
    const err = planError({ ...manyRoutes(160), account: {} });
    expect(err.issues[0]!.where).toBe('gateways.big.routes');
    expect(err.issues[0]!.message).toMatch(/resources-per-API quota.*account\.quotas\.resourcesPerApi/);
  });

  it('warns when the API uses more than 80 % of the per-API quota', () => {
    const p = plan({ ...manyRoutes(60), account: { quotas: { resourcesPerApi: 140 } } });
    expect(p.warnings.map((w) => w.code)).toContain('API_RESOURCES_NEAR_QUOTA');
  });

  it('rejects a throttle above the account rate, at the field that sets it', () => {
    const err = planError(baseSpec({ stage: { throttle: { rate: 20_000, burst: 100 } } }));
    expect(err.issues.map((i) => i.where)).toEqual(['gateways.public.stage.throttle.rate']);
    expect(err.issues[0]!.message).toMatch(/account's 10000 rps/);
  });

  it('rejects route and plan throttles above the account rate', () => {
    const spec = baseSpec({ plans: { big: { throttle: { rate: 50_000, burst: 1 } } } });
    (spec.gateways as { public: { routes: Record<string, unknown>[] } }).public.routes[0]!.throttle = { rate: 11_000, burst: 1 };
    expect(
      planError(spec)
        .issues.map((i) => i.where)
        .sort(),
    ).toEqual(['gateways.public.plans.big.throttle.rate', 'gateways.public.routes[0].throttle.rate']);
  });

  it('accepts higher throttles once the raised quota is declared', () => {
    expect(() =>
      plan({ ...baseSpec({ stage: { throttle: { rate: 20_000, burst: 100 } } }), account: { quotas: { requestsPerSecond: 30_000 } } }),
    ).not.toThrow();
  });

  it('warns when route or plan throttles exceed the stage, and when stages together exceed the account', () => {
    const spec = baseSpec({ stage: { throttle: { rate: 6000, burst: 100 } }, plans: { p: { throttle: { rate: 7000, burst: 1 } } } });
    (spec.gateways as { public: { routes: Record<string, unknown>[] } }).public.routes[0]!.throttle = { rate: 6500, burst: 1 };
    (spec.gateways as Record<string, unknown>).second = {
      stage: { throttle: { rate: 6000, burst: 100 } },
      routes: [{ service: 'users', paths: ['/x'] }],
    };
    const codes = plan(spec).warnings.map((w) => w.code);
    expect(codes).toEqual(expect.arrayContaining(['ROUTE_THROTTLE_ABOVE_STAGE', 'PLAN_THROTTLE_ABOVE_STAGE', 'STAGES_ABOVE_ACCOUNT_RATE']));
  });

  it('warns that upstreams must send CORS headers on proxied responses', () => {
    const w = plan(baseSpec({ cors: { origins: ['https://a.example.com'] } })).warnings;
    expect(w).toEqual([expect.objectContaining({ code: 'CORS_RESPONSE_HEADERS_FROM_UPSTREAM', where: 'gateways.public.cors' })]);
  });

  it('has no warnings for a small plain gateway', () => {
    expect(plan(baseSpec()).warnings).toEqual([]);
  });
});

describe('explainPlan', () => {
  const text = explainPlan(
    plan(baseSpec({ plans: { gold: { quota: { limit: 5, period: 'DAY' } } }, consumers: { acme: { plans: ['gold'] } } })),
  );

  it('prints one row per route with its integration and features', () => {
    expect(text).toMatch(
      /\/api\/users\/\*\s+GET,POST\s+users\s+http-proxy → https:\/\/users\.internal:8080\/ \(strip\)\s+auth:none key:no plan:- throttle:stage cors:no cache:off/,
    );
    expect(text).toMatch(/\/api\/orders\/\*\s+ANY\s+orders/);
  });

  it('says why each integration was chosen', () => {
    expect(text).toMatch(/Why:\n\s+\/api\/users, \/api\/orders: direct HTTP proxy/);
  });

  it('prints plans with their consumers and the resource budget', () => {
    expect(text).toMatch(/Plan "gold": stage throttle, quota 5\/DAY; consumers: acme/);
    expect(text).toMatch(/Stack: \d+ of 500 CloudFormation resources/);
    expect(text).toMatch(/API Gateway resources 6 of 300 per API/);
  });

  it('prints per gateway its CloudFormation resources and the control-plane calls of a first deploy', () => {
    expect(text).toMatch(/Resources: \d+ of the stack's \d+ CloudFormation resources are this gateway's, whatever the number of routes/);
    expect(text).toMatch(/Deploy: about 13 API Gateway control-plane calls at first deploy/);
  });
});
