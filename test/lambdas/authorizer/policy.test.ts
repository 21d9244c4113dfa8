// The issued policy is right for every route the token calls next, checked by example and by property over random route tables.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RouteGrant } from '../../../lambdas/contract/authorizer-config';
import { ANY_VERBS, buildPolicy, grantedMethods, parseMethod, policyCacheSafe } from '../../../lambdas/contract/route-grants';
import { API_PREFIX, arnOf } from './support/fixtures';
import { policyAllows, resourcesOf } from './support/iam';

const route = (method: string, scopes: string[] = [], roles: string[] = []): RouteGrant => ({ method, scopes, roles });
/** The method ARNs an ANY method is written out as. */
const anyVerb = (path: string) => ANY_VERBS.map((verb) => arnOf(`${verb}/${path}`));

function policyFor(routes: RouteGrant[], scopes: string[], current: string, roles: string[] = []) {
  const granted = grantedMethods(routes, scopes, roles);
  return buildPolicy(
    arnOf(current),
    granted,
    routes.map((r) => r.method),
  );
}

describe('GIVEN a route table and a token', () => {
  it('WHEN a granted method is ANY THEN each verb is written out, never a * verb that could match across /', () => {
    const policy = policyFor([route('ANY/api/orders'), route('ANY/v1/*', ['v1'])], [], 'GET/api/orders');
    expect(resourcesOf(policy.policyDocument, 'Allow')).toEqual(anyVerb('api/orders'));
    expect(policyAllows(policy.policyDocument, arnOf('GET/v1/api/orders'))).toBe(false);
  });

  const routes = [
    route('GET/api/orders', ['orders:read']),
    route('GET/api/orders/*', ['orders:read']),
    route('POST/api/orders', ['orders:write']),
    route('ANY/reports/*', ['reports']),
    route('GET/', []),
  ];

  it('WHEN the token holds some scopes THEN the Allow lists exactly their methods on the API and stage of methodArn', () => {
    const policy = policyFor(routes, ['orders:read', 'reports'], 'GET/api/orders');
    expect(new Set(resourcesOf(policy.policyDocument, 'Allow'))).toEqual(
      new Set([arnOf('GET/api/orders'), arnOf('GET/api/orders/*'), ...anyVerb('reports/*'), arnOf('GET/')]),
    );
    expect(resourcesOf(policy.policyDocument, 'Deny')).toEqual([]);
    expect(policy).toMatchObject({ allowsMethod: true, coversAllRoutes: true });
  });

  it('WHEN methodArn is on another stage THEN every resource is on that stage', () => {
    const granted = grantedMethods(routes, ['orders:read'], []);
    const policy = buildPolicy(
      'arn:aws-cn:execute-api:cn-north-1:111122223333:zz9/beta/GET/api/orders',
      granted,
      routes.map((r) => r.method),
    );
    for (const resource of resourcesOf(policy.policyDocument, 'Allow')) {
      expect(resource.startsWith('arn:aws-cn:execute-api:cn-north-1:111122223333:zz9/beta/')).toBe(true);
    }
  });

  it('WHEN the token lacks the scope of the called method THEN nothing allows it, so API Gateway answers 403', () => {
    const policy = policyFor(routes, ['orders:read'], 'POST/api/orders');
    expect(policy.allowsMethod).toBe(false);
    expect(policyAllows(policy.policyDocument, arnOf('POST/api/orders'))).toBe(false);
    expect(policyAllows(policy.policyDocument, arnOf('GET/api/orders/7'))).toBe(true);
  });

  it('WHEN the token may call nothing THEN the policy is one explicit Deny of methodArn', () => {
    const policy = policyFor(routes.slice(0, 4), [], 'GET/api/orders');
    expect(policy.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [arnOf('GET/api/orders')] },
    ]);
    expect(policy).toMatchObject({ allowsMethod: false, coversAllRoutes: true });
  });

  it('WHEN methodArn is not an execute-api method ARN THEN the policy denies it', () => {
    const policy = buildPolicy('not-an-arn', ['GET/'], ['GET/']);
    expect(policy.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: ['not-an-arn'] }]);
  });
});

describe('GIVEN a route nested inside a wider route with other requirements', () => {
  const routes = [
    route('ANY/api', ['api']),
    route('ANY/api/*', ['api']),
    route('ANY/api/admin', ['admin']),
    route('ANY/api/admin/*', ['admin']),
  ];

  it('WHEN the token may call the wide route only THEN the nested route is denied explicitly, since GET/api/* would match it', () => {
    const policy = policyFor(routes, ['api'], 'GET/api/orders');
    expect(new Set(resourcesOf(policy.policyDocument, 'Deny'))).toEqual(new Set([...anyVerb('api/admin'), ...anyVerb('api/admin/*')]));
    expect(policyAllows(policy.policyDocument, arnOf('GET/api/orders'))).toBe(true);
    expect(policyAllows(policy.policyDocument, arnOf('DELETE/api/admin/users/1'))).toBe(false);
    expect(policy.coversAllRoutes).toBe(true);
  });

  it('WHEN the token may call the nested route only THEN only the nested route is allowed', () => {
    const policy = policyFor(routes, ['admin'], 'GET/api/admin');
    expect(policyAllows(policy.policyDocument, arnOf('GET/api/admin/users'))).toBe(true);
    expect(policyAllows(policy.policyDocument, arnOf('GET/api/orders'))).toBe(false);
  });

  it('WHEN a third route nests inside the denied one and the token may call it THEN the policy covers methodArn alone', () => {
    const deeper = [...routes, route('ANY/api/admin/public/*', ['api'])];
    expect(policyCacheSafe(deeper)).toBe(false);
    expect(policyCacheSafe(routes)).toBe(true);
    const policy = policyFor(deeper, ['api'], 'GET/api/admin/public/faq');
    expect(policy).toMatchObject({ allowsMethod: true, coversAllRoutes: false });
    expect(policy.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [arnOf('GET/api/admin/public/faq')] },
    ]);
  });
});

describe('GIVEN route requirements', () => {
  it('WHEN a method names several scopes THEN the token needs all of them', () => {
    expect(grantedMethods([route('GET/a', ['x', 'y'])], ['x'], [])).toEqual([]);
    expect(grantedMethods([route('GET/a', ['x', 'y'])], ['y', 'x'], [])).toEqual(['GET/a']);
  });

  it('WHEN a method names several roles THEN one of them is enough, and none named means none needed', () => {
    const routes = [route('GET/a', [], ['admin', 'ops']), route('GET/b')];
    expect(grantedMethods(routes, [], ['ops'])).toEqual(['GET/a', 'GET/b']);
    expect(grantedMethods(routes, [], ['guest'])).toEqual(['GET/b']);
  });

  it.each(['GET', 'FETCH/a', 'GET/a*b', 'GET/a/**', 'get/a'])('WHEN a method is %s THEN it is refused as malformed', (method) => {
    expect(() => parseMethod(method)).toThrow(TypeError);
  });
});

// ---- property: the cached policy is right for every route -------------------------------------------

const PATHS = ['', 'a', 'a/b', 'a/b/c', 'x'];
const SCOPES = ['s1', 's2', 's3'];
const ROLES = ['r1', 'r2'];
const REQUEST_PATHS = ['', 'a', 'a/', 'a/z', 'a/b', 'a/b/z', 'a/b/c', 'a/b/c/z', 'x', 'x/z', 'q'];
const REQUEST_VERBS = ['GET', 'POST', 'DELETE'];

interface Resource {
  readonly path: string;
  readonly greedy: boolean;
}

const methodOf = (resource: Resource, verb: string) =>
  `${verb}/${resource.greedy ? (resource.path === '' ? '*' : `${resource.path}/*`) : resource.path}`;

/** A table as the planner could emit it: per resource either ANY or distinct verbs, each with its requirements. */
const routeTable = fc
  .uniqueArray(fc.record({ path: fc.constantFrom(...PATHS), greedy: fc.boolean() }), {
    minLength: 1,
    maxLength: 8,
    selector: (resource) => `${resource.path}|${resource.greedy}`,
  })
  .chain((resources) =>
    fc.tuple(
      ...resources.map((resource) =>
        fc.oneof(fc.constant(['ANY']), fc.subarray(['GET', 'POST'], { minLength: 1 })).chain((verbs) =>
          fc.tuple(
            ...verbs.map((verb) =>
              fc.record({
                method: fc.constant(methodOf(resource, verb)),
                scopes: fc.subarray(SCOPES, { maxLength: 2 }),
                roles: fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.subarray(ROLES, { minLength: 1 }) }),
              }),
            ),
          ),
        ),
      ),
    ),
  )
  .map((perResource) => perResource.flat());

/** Which route API Gateway sends `verb path` to, written from resources rather than policy patterns. */
function routeFor(routes: readonly RouteGrant[], verb: string, path: string): RouteGrant | undefined {
  const resourceOf = (r: RouteGrant) => {
    const rest = r.method.slice(r.method.indexOf('/') + 1);
    return rest.endsWith('*') ? { literal: rest.slice(0, -1), greedy: true } : { literal: rest, greedy: false };
  };
  const matching = routes.filter((r) => {
    const { literal, greedy } = resourceOf(r);
    return greedy ? path.startsWith(literal) : path === literal;
  });
  const specificity = (r: RouteGrant) => resourceOf(r).literal.length * 2 + (resourceOf(r).greedy ? 0 : 1);
  const best = Math.max(...matching.map(specificity));
  const onResource = matching.filter((r) => specificity(r) === best);
  return onResource.find((r) => r.method.startsWith(`${verb}/`)) ?? onResource.find((r) => r.method.startsWith('ANY/'));
}

const permits = (r: RouteGrant, scopes: string[], roles: string[]) =>
  r.scopes.every((s) => scopes.includes(s)) && (r.roles.length === 0 || r.roles.some((role) => roles.includes(role)));

describe('GIVEN random route tables and random tokens (property)', () => {
  it('WHEN a policy is issued for one call THEN it allows exactly the calls the token may make, or only that call when the table cannot be expressed', () => {
    let coveringAll = 0;
    let runs = 0;
    fc.assert(
      fc.property(routeTable, fc.subarray(SCOPES), fc.subarray(ROLES), fc.nat(), (routes, scopes, roles, pick) => {
        const requests = REQUEST_PATHS.flatMap((path) => REQUEST_VERBS.map((verb) => ({ verb, path })))
          .map((request) => ({ ...request, route: routeFor(routes, request.verb, request.path) }))
          .filter((request) => request.route !== undefined);
        fc.pre(requests.length > 0);
        const current = requests[pick % requests.length]!;
        const currentArn = `${API_PREFIX}${current.verb}/${current.path}`;
        const policy = buildPolicy(
          currentArn,
          grantedMethods(routes, scopes, roles),
          routes.map((r) => r.method),
        );

        const expected = permits(current.route!, scopes, roles);
        expect(policy.allowsMethod).toBe(expected);
        expect(policyAllows(policy.policyDocument, currentArn)).toBe(expected);
        if (policyCacheSafe(routes)) expect(policy.coversAllRoutes).toBe(true);

        runs += 1;
        if (policy.coversAllRoutes) coveringAll += 1;
        for (const request of requests) {
          const arn = `${API_PREFIX}${request.verb}/${request.path}`;
          const allowed = policyAllows(policy.policyDocument, arn);
          if (policy.coversAllRoutes) expect(allowed, arn).toBe(permits(request.route!, scopes, roles));
          else if (arn !== currentArn) expect(allowed, arn).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
    // Not vacuous: nearly every table is expressible as one cacheable policy.
    expect(coveringAll / runs).toBeGreaterThan(0.8);
  });
});

const MAIN = 'https://main.example/';
const PARTNER = 'https://partner.example/';
const viaIssuers = (r: RouteGrant, issuers?: string[]): RouteGrant => (issuers ? { ...r, issuers } : r);

describe('GIVEN routes that accept some issuers only', () => {
  const routes = [
    route('GET/api/*', ['read']),
    viaIssuers(route('GET/api/admin/*', ['read']), [MAIN]),
    viaIssuers(route('GET/partner', []), [PARTNER]),
  ];
  const methods = routes.map((r) => r.method);

  it('WHEN a partner token holds the scope THEN the wide route is allowed and the main-only route inside it explicitly denied', () => {
    const policy = buildPolicy(arnOf('GET/api/x'), grantedMethods(routes, ['read'], [], PARTNER), methods);
    expect(policyAllows(policy.policyDocument, arnOf('GET/api/x'))).toBe(true);
    expect(policyAllows(policy.policyDocument, arnOf('GET/api/admin/users'))).toBe(false);
    expect(policyAllows(policy.policyDocument, arnOf('GET/partner'))).toBe(true);
    expect(resourcesOf(policy.policyDocument, 'Deny')).toEqual([arnOf('GET/api/admin/*')]);
  });

  it('WHEN a main token holds the scope THEN the main-only route is allowed and the partner-only one is not', () => {
    const policy = buildPolicy(arnOf('GET/api/admin/users'), grantedMethods(routes, ['read'], [], MAIN), methods);
    expect(policyAllows(policy.policyDocument, arnOf('GET/api/admin/users'))).toBe(true);
    expect(policyAllows(policy.policyDocument, arnOf('GET/partner'))).toBe(false);
  });

  it('WHEN the token issuer is unknown to the table (no iss) THEN only routes without an issuer list are granted', () => {
    expect(grantedMethods(routes, ['read'], [])).toEqual(['GET/api/*']);
  });

  it("WHEN issuer restrictions nest A ⊃ B ⊃ C with B closed to the issuer A and C accept THEN the table is not cache-safe; with C inside B's issuers it is", () => {
    const nested = [route('GET/api/*'), viaIssuers(route('GET/api/admin/*'), [MAIN]), route('GET/api/admin/public')];
    expect(policyCacheSafe(nested)).toBe(false);
    expect(policyCacheSafe([nested[0]!, nested[1]!, viaIssuers(route('GET/api/admin/public'), [MAIN])])).toBe(true);
  });
});

describe('GIVEN random route tables with issuer lists and random tokens of either issuer (property)', () => {
  it("WHEN a policy is issued THEN no call the token's issuer may not make is allowed, cached or not", () => {
    const withIssuers = routeTable.chain((routes) =>
      fc.tuple(
        ...routes.map((r) =>
          fc.oneof(fc.constant(undefined), fc.subarray([MAIN, PARTNER], { minLength: 1 })).map((issuers) => viaIssuers(r, issuers)),
        ),
      ),
    );
    fc.assert(
      fc.property(
        withIssuers,
        fc.subarray(SCOPES),
        fc.subarray(ROLES),
        fc.constantFrom(MAIN, PARTNER),
        fc.nat(),
        (routes, scopes, roles, iss, pick) => {
          const requests = REQUEST_PATHS.flatMap((path) => REQUEST_VERBS.map((verb) => ({ verb, path })))
            .map((request) => ({ ...request, route: routeFor(routes, request.verb, request.path) }))
            .filter((request) => request.route !== undefined);
          fc.pre(requests.length > 0);
          const current = requests[pick % requests.length]!;
          const currentArn = `${API_PREFIX}${current.verb}/${current.path}`;
          const policy = buildPolicy(
            currentArn,
            grantedMethods(routes, scopes, roles, iss),
            routes.map((r) => r.method),
          );
          const may = (r: RouteGrant) => (r.issuers === undefined || r.issuers.includes(iss)) && permits(r, scopes, roles);
          expect(policy.allowsMethod).toBe(may(current.route!));
          if (policyCacheSafe(routes)) expect(policy.coversAllRoutes).toBe(true);
          for (const request of requests) {
            const arn = `${API_PREFIX}${request.verb}/${request.path}`;
            const allowed = policyAllows(policy.policyDocument, arn);
            if (policy.coversAllRoutes) expect(allowed, arn).toBe(may(request.route!));
            else if (arn !== currentArn) expect(allowed, arn).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
