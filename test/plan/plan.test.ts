import { describe, expect, it } from 'vitest';
import { explainPlan } from '../../lib/plan/explain';
import { planSpec } from '../../lib/plan/plan';
import { groupRoutes, STACK_RESOURCE_BUDGET } from '../../lib/plan/resources';
import { joinUrl, resourceTree } from '../../lib/plan/routes';
import { SpecError } from '../../lib/spec/errors';
import { validateSpec } from '../../lib/spec/load';
import { baseSpec, manyRoutes } from '../support/synth';

const plan = (spec: unknown) => planSpec(validateSpec(spec));
const planError = (spec: unknown): SpecError => {
  try {
    plan(spec);
  } catch (err) {
    if (err instanceof SpecError) return err;
    throw err;
  }
  throw new Error('expected the planner to reject the spec');
};

describe('planRoutes', () => {
  const p = plan(baseSpec());
  const [users, orders] = p.gateways[0]!.routes;

  it('plans each path of a route as a prefix: the path and its greedy child', () => {
    expect(users!.resourcePaths).toEqual(['/api/users', '/api/users/{proxy+}']);
    expect(resourceTree(p.gateways[0]!.routes)).toEqual(['/api', '/api/orders', '/api/users', '/api/orders/{proxy+}', '/api/users/{proxy+}']);
  });

  it('chooses a direct HTTP proxy and says why', () => {
    expect(users!.integration.kind).toBe('http-proxy');
    expect(users!.reason).toMatch(/no Lambda/);
  });

  it('strips the prefix when asked and keeps upstream base paths', () => {
    expect(users!.integration).toMatchObject({ uri: 'https://users.internal:8080/', greedyUri: 'https://users.internal:8080/{proxy}' });
    expect(orders!.integration).toMatchObject({ uri: 'https://orders.internal/base/api/orders', greedyUri: 'https://orders.internal/base/api/orders/{proxy}' });
  });

  it('records the features applied to each route', () => {
    expect(users!.features).toEqual({ apiKey: false, plans: [], throttle: undefined, cors: false, auth: 'none', scopes: [], roles: [], cache: 'off' });
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

describe('method collapsing', () => {
  const routesOf = (routes: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
    plan({ services: { a: { url: 'https://a' } }, gateways: { g: { routes, ...extra } } }).gateways[0]!;

  it('collapses several listed methods into ANY, denying every other verb on the path and below it', () => {
    const g = routesOf([{ service: 'a', paths: ['/x'], methods: ['GET', 'DELETE'] }]);
    const [r] = g.routes;
    expect(r!.apiMethods).toEqual(['ANY']);
    expect(r!.deniedMethods).toEqual(['POST', 'PUT', 'PATCH', 'HEAD', 'OPTIONS']);
    expect(g.deniedMethodResources).toContain('execute-api:/prod/POST/x');
    expect(g.deniedMethodResources).toContain('execute-api:/prod/POST/x/*');
    expect(r!.methodsReason).toMatch(/GET,DELETE enforced by the resource policy.*instead of 2/);
  });

  it('leaves OPTIONS to the gateway preflight when CORS is on', () => {
    const g = routesOf([{ service: 'a', paths: ['/x'], methods: ['GET', 'POST'] }], { cors: { origins: ['*'] } });
    expect(g.routes[0]!.deniedMethods).not.toContain('OPTIONS');
  });

  it.each([
    ['ANY', [{ service: 'a', paths: ['/x'] }], /ANY/],
    ['a single method', [{ service: 'a', paths: ['/x'], methods: ['GET'] }], /one method: nothing to save/],
    ['a route with a route below it', [{ service: 'a', paths: ['/x'], methods: ['GET', 'PUT'] }, { service: 'a', paths: ['/x/y'] }], /routes below it/],
    ['the root route', [{ service: 'a', paths: ['/'], methods: ['GET', 'PUT'] }, { service: 'a', paths: ['/y'] }], /routes below it/],
  ])('keeps per-verb methods for %s and says why', (_what, routes, why) => {
    const g = routesOf(routes as Record<string, unknown>[]);
    expect(g.routes[0]!.apiMethods).toEqual(g.routes[0]!.methods);
    expect(g.routes[0]!.methodsReason).toMatch(why);
  });

  it('keeps per-verb methods where a usage plan throttles single methods of the route', () => {
    const g = routesOf([{ service: 'a', paths: ['/x'], methods: ['GET', 'POST'], apiKey: true }], {
      plans: { p: { routeThrottles: [{ path: '/x', methods: ['POST'], throttle: { rate: 1, burst: 1 } }] } },
    });
    expect(g.routes[0]!.apiMethods).toEqual(['GET', 'POST']);
    expect(g.routes[0]!.methodsReason).toMatch(/usage plan throttles single methods/);
  });

  it('stops collapsing when the policy would pass its character quota, and collapses more when the quota is raised', () => {
    const routes = Array.from({ length: 60 }, (_, i) => ({ service: 'a', paths: [`/r${i}`], methods: ['GET', 'POST'] }));
    const count = (quota: number) =>
      plan({ account: { quotas: { resourcePolicyChars: quota } }, services: { a: { url: 'https://a' } }, gateways: { g: { routes } } })
        .gateways[0]!.routes.filter((r) => r.apiMethods[0] === 'ANY').length;
    expect(count(8192)).toBeLessThan(60);
    expect(count(8192)).toBeGreaterThan(10);
    expect(count(20_000)).toBe(60);
  });
});

describe('planSpec: resources and splitting', () => {
  it('counts the stack resources exactly for a small gateway', () => {
    // RestApi, Deployment, Stage, LogGroup, ACCESS_DENIED response + 5 API resources + 4 ANY methods + CDKMetadata
    // + dashboard, 4 alarms and the 429 metric filter + the shared alarm topic and its policy
    expect(plan(baseSpec()).stackResources).toBe(5 + 5 + 4 + 1 + 6 + 2);
    expect(plan(baseSpec({ observability: { dashboard: false, alarms: { enabled: false } } })).stackResources).toBe(5 + 5 + 4 + 1);
  });

  it('does not split a stack that fits, and explains why', () => {
    const g = plan(baseSpec()).gateways[0]!;
    expect(g.routeGroups).toBe(0);
    expect(g.splitReason).toMatch(/^not split/);
  });

  it('splits a large gateway into groups within the budget, keeping shared parents in the parent stack', () => {
    const g = plan(manyRoutes(120)).gateways[0]!;
    expect(g.routeGroups).toBeGreaterThan(1);
    for (const n of g.estimate.groupResources) expect(n).toBeLessThanOrEqual(STACK_RESOURCE_BUDGET);
    const shared = g.apiResources.filter((r) => r.group === undefined).map((r) => r.path);
    expect(shared.length).toBeGreaterThan(0);
    for (const path of shared) {
      const groupsUsing = new Set(g.routes.filter((r) => r.resourcePaths.some((p) => p.startsWith(path))).map((r) => r.group));
      expect(groupsUsing.size, path).toBeGreaterThan(1);
    }
    expect(g.splitReason).toMatch(/nested stack/);
  });

  it('puts each path in exactly the group of every route that uses it, or in the parent when shared', () => {
    const routes = plan(manyRoutes(120)).gateways[0]!.routes;
    const grouping = groupRoutes(routes);
    for (const route of routes) {
      const group = grouping.routeGroup.get(route.id);
      for (const path of route.resourcePaths) {
        const owner = grouping.resourceGroup.get(path);
        expect(owner === undefined || owner === group).toBe(true);
      }
    }
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
    expect(planError(spec).issues.map((i) => i.where).sort()).toEqual(['gateways.public.plans.big.throttle.rate', 'gateways.public.routes[0].throttle.rate']);
  });

  it('accepts higher throttles once the raised quota is declared', () => {
    expect(() => plan({ ...baseSpec({ stage: { throttle: { rate: 20_000, burst: 100 } } }), account: { quotas: { requestsPerSecond: 30_000 } } })).not.toThrow();
  });

  it('warns when route or plan throttles exceed the stage, and when stages together exceed the account', () => {
    const spec = baseSpec({ stage: { throttle: { rate: 6000, burst: 100 } }, plans: { p: { throttle: { rate: 7000, burst: 1 } } } });
    (spec.gateways as { public: { routes: Record<string, unknown>[] } }).public.routes[0]!.throttle = { rate: 6500, burst: 1 };
    (spec.gateways as Record<string, unknown>).second = { stage: { throttle: { rate: 6000, burst: 100 } }, routes: [{ service: 'users', paths: ['/x'] }] };
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
  const text = explainPlan(plan(baseSpec({ plans: { gold: { quota: { limit: 5, period: 'DAY' } } }, consumers: { acme: { plans: ['gold'] } } })));

  it('prints one row per route with its integration and features', () => {
    expect(text).toMatch(/\/api\/users\/\*\s+GET,POST\s+users\s+http-proxy → https:\/\/users\.internal:8080\/ \(strip\)\s+auth:none key:no plan:- throttle:stage cors:no cache:off/);
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
});
