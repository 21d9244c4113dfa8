// The optimized policy builder (lazily determinized automata, pair results kept per route table) writes exactly the
// policies and verdicts the previous implementation wrote, on random templated tables with nested, tenant and greedy routes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RouteGrant } from '../../../lambdas/contract/authorizer-config';
import { buildPolicy, grantedMethods, policyCacheSafe } from '../../../lambdas/contract/route-grants';
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
const requestPath = fc.array(fc.constantFrom('v1', 'orgs', 'users', 'keys', 'items', 'a', 'ab', '7', 'x'), { maxLength: 6 }).map((parts) => parts.join('/'));

describe('GIVEN random templated route tables (property)', () => {
  it('WHEN a policy is built for random tokens and calls THEN the optimized builder returns exactly what the previous implementation returned', () => {
    fc.assert(
      fc.property(
        fc.array(routeGrant, { minLength: 1, maxLength: 14 }),
        fc.array(fc.tuple(fc.subarray(SCOPES), fc.subarray(['admin']), fc.constantFrom('GET', 'POST', 'DELETE'), requestPath), { minLength: 1, maxLength: 4 }),
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
