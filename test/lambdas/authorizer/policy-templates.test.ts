// The cached policy stays exact on templated routes: a `*` written for {id} spans `/` in IAM, so deeper routes the
// token may not call are denied, and tables no single policy can express are flagged for an uncached authorizer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RouteGrant } from '../../../lambdas/contract/authorizer-config';
import { routeKeyMethod } from '../../../lambdas/authorizer/handler';
import { buildPolicy, grantedMethods, parseMethod, policyCacheSafe } from '../../../lambdas/contract/route-grants';
import { planSpec } from '../../../lib/plan/plan';
import { routeGrants } from '../../../lib/plan/authorizer';
import { validateConfig } from '../../../lib/config/load';
import { API_PREFIX, arnOf } from './support/fixtures';
import { policyAllows, resourcesOf } from './support/iam';

const route = (method: string, scopes: string[] = []): RouteGrant => ({ method, scopes, roles: [] });
const policyFor = (routes: RouteGrant[], scopes: string[], current: string) =>
  buildPolicy(
    arnOf(current),
    grantedMethods(routes, scopes, []),
    routes.map((r) => r.method),
  );

describe('GIVEN templated routes with different scopes', () => {
  const routes = [route('GET/users/{id}'), route('GET/users/{id}/keys', ['admin'])];

  it('WHEN a token without admin calls GET /users/7 THEN it is allowed GET /users/*, and GET /users/*/keys is denied in the same cached policy', () => {
    const policy = policyFor(routes, [], 'GET/users/7');
    expect(policy).toMatchObject({ allowsMethod: true, coversAllRoutes: true });
    expect(resourcesOf(policy.policyDocument, 'Allow')).toEqual([arnOf('GET/users/*')]);
    expect(resourcesOf(policy.policyDocument, 'Deny')).toEqual([arnOf('GET/users/*/keys')]);
    expect(policyAllows(policy.policyDocument, arnOf('GET/users/7'))).toBe(true);
    expect(policyAllows(policy.policyDocument, arnOf('GET/users/7/keys'))).toBe(false);
    expect(policyCacheSafe(routes)).toBe(true);
  });

  it('WHEN a token with admin calls THEN both are allowed and nothing is denied', () => {
    const policy = policyFor(routes, ['admin'], 'GET/users/7/keys');
    expect(policyAllows(policy.policyDocument, arnOf('GET/users/7/keys'))).toBe(true);
    expect(policyAllows(policy.policyDocument, arnOf('GET/users/7'))).toBe(true);
    expect(resourcesOf(policy.policyDocument, 'Deny')).toEqual([]);
  });

  it('WHEN /users/{id} is a prefix route too THEN no cached policy fits (Deny GET/users/*/keys would also refuse /users/7/orders/keys): the table is not cache-safe, each decision is still right, and match: exact restores it', () => {
    const prefix = [
      route('GET/users/{id}'),
      route('GET/users/{id}/*'),
      route('GET/users/{id}/keys', ['admin']),
      route('GET/users/{id}/keys/*', ['admin']),
    ];
    expect(policyCacheSafe(prefix)).toBe(false);
    const policy = policyFor(prefix, [], 'GET/users/7/orders/keys');
    expect(policy).toMatchObject({ allowsMethod: true, coversAllRoutes: false });
    expect(policyAllows(policy.policyDocument, arnOf('GET/users/7/orders/keys'))).toBe(true);
    expect(policyAllows(policy.policyDocument, arnOf('GET/users/7/keys'))).toBe(false);
    expect(policyFor(prefix, [], 'GET/users/7/keys/k1').allowsMethod).toBe(false);
    const exact = prefix.filter((r) => r.method !== 'GET/users/{id}/*');
    expect(policyCacheSafe(exact)).toBe(true);
    const cached = policyFor(exact, [], 'GET/users/7');
    expect(cached.coversAllRoutes).toBe(true);
    expect(policyAllows(cached.policyDocument, arnOf('GET/users/7/keys/k1'))).toBe(false);
  });

  it('WHEN a literal sibling needs a scope the parameter route does not THEN the literal is denied (literal beats parameter)', () => {
    const policy = policyFor([route('GET/users/me', ['self']), route('GET/users/{id}')], [], 'GET/users/7');
    expect(policyAllows(policy.policyDocument, arnOf('GET/users/7'))).toBe(true);
    expect(policyAllows(policy.policyDocument, arnOf('GET/users/me'))).toBe(false);
    expect(policyFor([route('GET/users/me', ['self']), route('GET/users/{id}')], [], 'GET/users/me').allowsMethod).toBe(false);
  });

  it('WHEN a parameter route and a greedy one on the same parent need different scopes THEN no single policy fits: the table is not cache-safe and the policy covers the call alone', () => {
    const routes2 = [route('GET/users/{id}'), route('GET/users/*', ['admin'])];
    expect(policyCacheSafe(routes2)).toBe(false);
    const policy = policyFor(routes2, [], 'GET/users/7');
    expect(policy).toMatchObject({ allowsMethod: true, coversAllRoutes: false });
    expect(resourcesOf(policy.policyDocument, 'Allow')).toEqual([arnOf('GET/users/7')]);
    expect(policyFor(routes2, [], 'GET/users/7/x')).toMatchObject({ allowsMethod: false });
  });

  it('WHEN a route ends in {rest+} THEN it is a greedy method written as files/*', () => {
    expect(parseMethod('GET/files/{rest+}')).toMatchObject({ glob: 'files/*', ranks: [4, 1] });
    expect(parseMethod('GET/users/{id}/keys')).toMatchObject({ glob: 'users/*/keys', ranks: [4, 3, 4, 2] });
    const policy = policyFor([route('GET/files/{rest+}'), route('GET/files/{rest+}/x', ['never'])].slice(0, 1), [], 'GET/files/a/b');
    expect(policy.allowsMethod).toBe(true);
  });
});

describe('GIVEN the planner and the HTTP API route key', () => {
  it('WHEN a templated route is planned THEN its grants keep {id} (the HTTP API route key form) and greedy children become *', () => {
    const plan = planSpec(
      validateConfig({
        services: { u: { url: 'https://u.internal' } },
        gateways: {
          g: {
            auth: { jwt: { issuers: [{ issuer: 'https://idp.example.com/', audience: ['api'] }] } },
            routes: [
              { service: 'u', paths: ['/users/{id}/keys'], methods: ['GET'], auth: { jwt: { scopes: ['admin'] } } },
              { service: 'u', paths: ['/files/{rest+}'], methods: ['GET'], auth: { jwt: {} } },
            ],
          },
        },
      }),
    );
    const g = plan.gateways[0]!;
    expect(g.routes.flatMap((r) => routeGrants(r)).map((grant) => grant.method)).toEqual([
      'GET/users/{id}/keys',
      'GET/users/{id}/keys/*',
      'GET/files/{rest+}',
    ]);
    expect(routeKeyMethod('GET /users/{id}/keys')).toBe('GET/users/{id}/keys');
    expect(routeKeyMethod('GET /files/{rest+}')).toBe('GET/files/{rest+}');
    expect(g.authorizer!.cacheTtlSeconds).toBeGreaterThan(0);
  });
});

// ---- property: for random templated tables the cached policy is right for every request ----------------

const RESOURCES = ['', 'a', 'a/b', 'a/{p}', 'a/{p}/c', 'a/b/c', '{q}', '{q}/c', 'x'];
const REQUESTS = ['', 'a', 'a/b', 'a/z', 'a/b/c', 'a/z/c', 'a/z/c/d', 'a/b/c/z', 'a/b/z', 'x', 'x/c', 'q/c'];
const SCOPES = ['s1', 's2'];

/** Which route API Gateway sends `verb path` to, from the template text (written apart from the policy code). */
function routeFor(routes: readonly RouteGrant[], verb: string, path: string): RouteGrant | undefined {
  const shape = (r: RouteGrant) => {
    const rest = r.method.slice(r.method.indexOf('/') + 1);
    const greedy = rest.endsWith('*');
    const base = greedy ? rest.slice(0, -1).replace(/\/$/, '') : rest;
    return { greedy, segments: base === '' ? [] : base.split('/') };
  };
  const matches = (r: RouteGrant) => {
    const { greedy, segments } = shape(r);
    const parts = path === '' ? [] : path.split('/');
    if (greedy ? parts.length <= segments.length && !(segments.length === 0) : parts.length !== segments.length) return false;
    return segments.every((s, i) => (s.startsWith('{') ? parts[i] !== '' : s === parts[i]));
  };
  const rank = (r: RouteGrant, i: number) => {
    const { greedy, segments } = shape(r);
    if (i < segments.length) return segments[i]!.startsWith('{') ? 3 : 4;
    return i === segments.length && greedy ? 1 : 2;
  };
  const better = (a: RouteGrant, b: RouteGrant) => {
    for (let i = 0; i < 6; i++) if (rank(a, i) !== rank(b, i)) return rank(a, i) - rank(b, i);
    return 0;
  };
  const matching = routes.filter(matches);
  const best = matching.filter((r) => matching.every((o) => better(r, o) >= 0));
  return best.find((r) => r.method.startsWith(`${verb}/`)) ?? best.find((r) => r.method.startsWith('ANY/'));
}

const templatedTable = fc
  .uniqueArray(fc.record({ path: fc.constantFrom(...RESOURCES), greedy: fc.boolean() }), {
    minLength: 1,
    maxLength: 7,
    selector: (r) => `${r.path.replace(/\{\w\}/g, '{}')}|${r.greedy}`,
  })
  .chain((resources) =>
    fc.tuple(
      ...resources.map((r) =>
        fc.record({
          method: fc.constantFrom('ANY', 'GET').map((verb) => `${verb}/${r.greedy ? (r.path === '' ? '*' : `${r.path}/*`) : r.path}`),
          scopes: fc.subarray(SCOPES, { maxLength: 1 }),
          roles: fc.constant([] as string[]),
        }),
      ),
    ),
  );

describe('GIVEN random templated route tables and random tokens (property)', () => {
  it('WHEN a policy is issued for one call THEN it allows exactly the calls the token may make, or only that call when the table cannot be expressed', () => {
    let covering = 0;
    let runs = 0;
    fc.assert(
      fc.property(templatedTable, fc.subarray(SCOPES), fc.nat(), (routes, scopes, pick) => {
        const requests = REQUESTS.flatMap((path) =>
          ['GET', 'POST'].map((verb) => ({ verb, path, route: routeFor(routes, verb, path) })),
        ).filter((r) => r.route);
        fc.pre(requests.length > 0);
        const current = requests[pick % requests.length]!;
        const currentArn = `${API_PREFIX}${current.verb}/${current.path}`;
        const policy = buildPolicy(
          currentArn,
          grantedMethods(routes, scopes, []),
          routes.map((r) => r.method),
        );
        const may = (r: RouteGrant) => r.scopes.every((s) => scopes.includes(s));
        expect(policy.allowsMethod, currentArn).toBe(may(current.route!));
        if (policyCacheSafe(routes)) expect(policy.coversAllRoutes).toBe(true);
        runs += 1;
        if (policy.coversAllRoutes) covering += 1;
        for (const request of requests) {
          const arn = `${API_PREFIX}${request.verb}/${request.path}`;
          const allowed = policyAllows(policy.policyDocument, arn);
          if (policy.coversAllRoutes) expect(allowed, arn).toBe(may(request.route!));
          else if (arn !== currentArn) expect(allowed, arn).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
    expect(covering / runs).toBeGreaterThan(0.5);
  });
});
