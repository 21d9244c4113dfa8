// The optimized policy builder (lazily determinized automata, pair results kept per route table) writes exactly the
// policies and verdicts the previous implementation wrote, on random templated tables with nested, tenant and greedy routes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RouteGrant } from '../../../lambdas/contract/authorizer-config';
import { buildPolicy, grantedMethods, hasTemplatedPaths, parseMethod, policyCacheSafe } from '../../../lambdas/contract/route-grants';
import * as reference from './support/route-grants-reference';
import { API_PREFIX } from './support/fixtures';

const SEGMENTS = ['v1', 'orgs', '{org}', 'users', '{id}', 'keys', 'items', 'a', 'ab'];
const SCOPES = ['s1', 's2', 's3'];

const methodOf = (verb: string, segments: readonly string[], tail: 'none' | 'star' | 'named') => {
  const path = segments.join('/');
  if (tail === 'none') return `${verb}/${path}`;
  if (tail === 'star') return `${verb}/${path ? `${path}/` : ''}*`;
  return `${verb}/${path ? `${path}/` : ''}{rest+}`;
};

const routeGrant = fc
  .record({
    verb: fc.constantFrom('ANY', 'GET', 'GET', 'POST'),
    segments: fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 4 }),
    tail: fc.constantFrom('none', 'none', 'star', 'named'),
    scopes: fc.subarray(SCOPES, { maxLength: 2 }),
    roles: fc.oneof({ weight: 4, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: fc.constant(['admin']) }),
  })
  .map(({ verb, segments, tail, scopes, roles }): RouteGrant => ({ method: methodOf(verb, segments, tail), scopes, roles }));

/** Request paths: literal and made-up segments, so calls land on parameters, greedy tails and on no route at all. */
const requestPath = fc
  .array(fc.constantFrom('v1', 'orgs', 'users', 'keys', 'items', 'a', 'ab', '7', 'x'), { maxLength: 6 })
  .map((parts) => parts.join('/'));

describe('GIVEN random templated route tables (property)', () => {
  it('WHEN a policy is built for random tokens and calls THEN the optimized builder returns exactly what the previous implementation returned', () => {
    fc.assert(
      fc.property(
        fc.array(routeGrant, { minLength: 1, maxLength: 14 }),
        fc.array(fc.tuple(fc.subarray(SCOPES), fc.subarray(['admin']), fc.constantFrom('GET', 'POST', 'DELETE'), requestPath), {
          minLength: 1,
          maxLength: 4,
        }),
        (routes, calls) => {
          const methods = routes.map((route) => route.method);
          expect(policyCacheSafe(routes)).toBe(reference.policyCacheSafe(routes));
          for (const [scopes, roles, verb, path] of calls) {
            const granted = grantedMethods(routes, scopes, roles);
            expect(granted).toEqual(reference.grantedMethods(routes, scopes, roles));
            const methodArn = `${API_PREFIX}${verb}/${path}`;
            expect(buildPolicy(methodArn, granted, methods), methodArn).toEqual(reference.buildPolicy(methodArn, granted, methods));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** The global a bundle defines (authorizer-bundle.ts); set on globalThis here, the source reads it the same way. */
const flags = globalThis as { __GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__?: boolean };

/** Runs `build` the way a bundle for literal paths only runs it: without the path automata. */
function withoutAutomata<T>(build: () => T): T {
  flags.__GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__ = false;
  try {
    return build();
  } finally {
    delete flags.__GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__;
  }
}

/** Literal segments only (greedy `*` and `{rest+}` tails included): what a bundle without the automata must get right alone. */
const literalRouteGrant = fc
  .record({
    verb: fc.constantFrom('ANY', 'GET', 'GET', 'POST'),
    segments: fc.array(fc.constantFrom('v1', 'orgs', 'users', 'keys', 'a', 'ab', ''), { maxLength: 4 }),
    tail: fc.constantFrom('none', 'none', 'star', 'named'),
    scopes: fc.subarray(SCOPES, { maxLength: 2 }),
    roles: fc.oneof({ weight: 4, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: fc.constant(['admin']) }),
  })
  .map(({ verb, segments, tail, scopes, roles }): RouteGrant => ({ method: methodOf(verb, segments, tail), scopes, roles }));

/** Request paths over the same segments, empty ones included, so calls hit literal routes exactly, below greedy tails and nowhere. */
const literalRequestPath = fc
  .array(fc.constantFrom('v1', 'orgs', 'users', 'keys', 'a', 'ab', '', '7'), { maxLength: 6 })
  .map((parts) => parts.join('/'));

describe('GIVEN random route tables with literal paths only (property)', () => {
  it('WHEN policies are built with the path automata and without (a literal-paths bundle) THEN they are identical, and the previous implementation agrees', () => {
    fc.assert(
      fc.property(
        fc.array(literalRouteGrant, { minLength: 1, maxLength: 14 }),
        fc.array(fc.tuple(fc.subarray(SCOPES), fc.subarray(['admin']), fc.constantFrom('GET', 'POST', 'DELETE'), literalRequestPath), {
          minLength: 1,
          maxLength: 4,
        }),
        (routes, calls) => {
          expect(hasTemplatedPaths(routes)).toBe(false);
          // Separate arrays: each gets its own parsed table and remembered pairs.
          const [full, literal] = [routes.map((route) => route.method), routes.map((route) => route.method)];
          for (const [scopes, roles, verb, path] of calls) {
            const granted = grantedMethods(routes, scopes, roles);
            const methodArn = `${API_PREFIX}${verb}/${path}`;
            const expected = buildPolicy(methodArn, granted, full);
            expect(
              withoutAutomata(() => buildPolicy(methodArn, granted, literal)),
              methodArn,
            ).toEqual(expected);
            expect(expected).toEqual(reference.buildPolicy(methodArn, granted, full));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('WHEN the table has a path parameter THEN hasTemplatedPaths says so, and a literal-paths bundle refuses it at parse time', () => {
    const route = (method: string): RouteGrant => ({ method, scopes: [], roles: [] });
    expect(hasTemplatedPaths([route('GET/api/orders'), route('GET/api/orders/*'), route('ANY/files/{rest+}'), route('ANY/{proxy+}')])).toBe(
      false,
    );
    expect(hasTemplatedPaths([route('GET/api/orders'), route('GET/api/orders/{id}')])).toBe(true);
    expect(() => withoutAutomata(() => parseMethod('GET/api/orders/{id}/audit'))).toThrow(TypeError);
    expect(() => withoutAutomata(() => parseMethod('GET/files/{rest+}'))).not.toThrow();
  });
});
