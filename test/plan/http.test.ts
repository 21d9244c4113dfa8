// HTTP API planning: route and integration quotas from account.quotas, ANY routes and CORS preflights, and what explain says about both.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config/errors';
import { validateConfig } from '../../lib/config/load';
import { explainPlan } from '../../lib/plan/explain';
import { planSpec } from '../../lib/plan/plan';
import { routeKeys } from '../../lib/plan/http';

function httpRoutes(n: number, methods: string[], quotas: Record<string, number> = {}) {
  return {
    account: { quotas },
    services: { a: { url: 'https://a.internal' } },
    gateways: { big: { flavor: 'http', routes: Array.from({ length: n }, (_, i) => ({ service: 'a', paths: [`/r${i}`], methods })) } },
  };
}

function planIssues(spec: unknown): readonly { where: string; message: string }[] {
  try {
    planSpec(validateConfig(spec));
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
}

describe('HTTP API quotas', () => {
  it('GIVEN no account.quotas WHEN validated THEN routesPerApi and integrationsPerApi default to 300', () => {
    const q = validateConfig(httpRoutes(1, ['GET'])).account.quotas;
    expect(q.routesPerApi).toBe(300);
    expect(q.integrationsPerApi).toBe(300);
  });

  it('GIVEN 51 three-verb routes (306 route keys) WHEN planned THEN the routes quota is the error, naming the field that raises it', () => {
    const issues = planIssues(httpRoutes(51, ['GET', 'POST', 'PUT']));
    expect(issues).toEqual([
      expect.objectContaining({
        where: 'gateways.big.routes',
        message: expect.stringMatching(/needs 306 routes, over its 300 routes-per-API quota.*account\.quotas\.routesPerApi/),
      }),
    ]);
  });

  it('GIVEN the same routes with routesPerApi raised WHEN planned THEN it plans', () => {
    expect(planIssues(httpRoutes(51, ['GET', 'POST', 'PUT'], { routesPerApi: 400 }))).toEqual([]);
  });

  it('GIVEN 151 one-verb routes (302 integrations: exact and greedy URIs differ) WHEN planned with routes raised THEN the integrations quota is the error', () => {
    const issues = planIssues(httpRoutes(151, ['GET'], { routesPerApi: 1000 }));
    expect(issues).toEqual([
      expect.objectContaining({
        where: 'gateways.big.routes',
        message: expect.stringMatching(
          /needs 302 integrations, over its 300 integrations-per-API quota.*account\.quotas\.integrationsPerApi/,
        ),
      }),
    ]);
    expect(planIssues(httpRoutes(151, ['GET'], { routesPerApi: 1000, integrationsPerApi: 400 }))).toEqual([]);
  });

  it('GIVEN 1,000 three-verb routes with the quotas raised WHEN planned THEN the stack stays at a constant resource count', () => {
    const small = planSpec(validateConfig(httpRoutes(10, ['GET', 'POST', 'PUT'])));
    const big = planSpec(validateConfig(httpRoutes(1000, ['GET', 'POST', 'PUT'], { routesPerApi: 6000, integrationsPerApi: 2000 })));
    expect(big.stackResources).toBe(small.stackResources);
  });

  it('GIVEN an HTTP gateway WHEN planned THEN its first deploy is estimated at one import and the stage, plus the API mapping of a custom domain', () => {
    expect(
      planSpec(validateConfig(httpRoutes(1000, ['GET'], { routesPerApi: 2000, integrationsPerApi: 2000 }))).gateways[0]!.estimate
        .controlPlaneCalls,
    ).toBe(2);
    const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc';
    const withDomain = { ...httpRoutes(1, ['GET']), account: { region: 'eu-west-1' } };
    (withDomain.gateways.big as Record<string, unknown>).domain = { name: 'api.example.com', certificateArn };
    expect(planSpec(validateConfig(withDomain)).gateways[0]!.estimate.controlPlaneCalls).toBe(3);
  });

  it('explains routes and integrations against the configured quotas and the control-plane calls of a first deploy', () => {
    const text = explainPlan(planSpec(validateConfig(httpRoutes(10, ['GET', 'POST', 'PUT'], { routesPerApi: 500 }))));
    expect(text).toMatch(
      /Resources: \d+ of the stack's \d+ CloudFormation resources are this gateway's; 60 of 500 routes and 20 of 300 integrations per API \(account\.quotas\), all in one OpenAPI body, no CloudFormation resource per route; about 2 API Gateway control-plane calls at first deploy/,
    );
  });
});

describe('HTTP API preflights on ANY routes (issue 22 item 2)', () => {
  const spec = (cors: boolean, methods?: string[]) => ({
    services: { users: { url: 'https://users.internal:8080' } },
    gateways: {
      public: {
        flavor: 'http',
        ...(cors ? { cors: { origins: ['https://app.example.com'] } } : {}),
        auth: { jwt: { issuers: [{ issuer: 'https://login.example.com/', audience: ['api'] }] } },
        routes: [{ service: 'users', paths: ['/api/users'], auth: 'jwt', ...(methods ? { methods } : {}) }],
      },
    },
  });

  it('GIVEN CORS and an ANY route with an authorizer WHEN planned THEN it routes every verb but OPTIONS, so no route matches a preflight', () => {
    const route = planSpec(validateConfig(spec(true))).gateways[0]!.routes[0]!;
    expect(route.methods).toEqual(['ANY']);
    expect(route.apiMethods).toEqual(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);
    expect(routeKeys(route)).not.toContain('OPTIONS /api/users');
    expect(route.methodsReason).toMatch(/no route matches a CORS preflight and the API answers it itself/);
  });

  it("GIVEN no CORS WHEN planned THEN ANY stays one route per path (OPTIONS is the upstream's business)", () => {
    const route = planSpec(validateConfig(spec(false))).gateways[0]!.routes[0]!;
    expect(route.apiMethods).toEqual(['ANY']);
  });

  it('GIVEN a route that lists OPTIONS WHEN planned THEN it keeps its methods and explain says its upstream answers its preflights', () => {
    const p = planSpec(validateConfig(spec(true, ['GET', 'OPTIONS'])));
    expect(p.gateways[0]!.routes[0]!.apiMethods).toEqual(['GET', 'OPTIONS']);
    expect(explainPlan(p)).toMatch(/\/api\/users list OPTIONS, so their upstreams answer their preflights/);
  });

  it('explains why the ANY route became verbs, and no longer claims preflights are answered without saying how', () => {
    const text = explainPlan(planSpec(validateConfig(spec(true))));
    expect(text).toMatch(/\/api\/users methods: HTTP API: ANY is routed as GET, POST, PUT, PATCH, DELETE, HEAD on each path/);
    expect(text).toMatch(/CORS: the HTTP API answers preflights \(no route matches OPTIONS: ANY routes are routed as explicit verbs\)/);
  });
});
