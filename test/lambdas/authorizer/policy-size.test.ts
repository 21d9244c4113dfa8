// A whole-API policy stays within the part of the 8 KB authorizer result left for it: a larger one covers the call alone,
// and the planner's bound is never below a document the builder returns.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RouteGrant } from '../../../lambdas/contract/authorizer-config';
import { buildPolicy, grantedMethods, largestPolicyDocumentBytes, MAX_POLICY_DOCUMENT_BYTES } from '../../../lambdas/contract/route-grants';
import { API_PREFIX, arnOf } from './support/fixtures';
import { policyAllows, resourcesOf } from './support/iam';

/** `count` resources of two methods each, every one with its own scope; `keys` below each item needs admin (a Deny). */
function table(count: number): RouteGrant[] {
  return Array.from({ length: count }, (_, i) => [
    { method: `GET/resource${i}/{id}`, scopes: [`r${i}`], roles: [] },
    { method: `PUT/resource${i}/{id}`, scopes: [`r${i}`], roles: [] },
    { method: `GET/resource${i}/{id}/keys`, scopes: ['admin'], roles: [] },
  ]).flat();
}
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

describe('GIVEN a route table whose whole-API policy can exceed MAX_POLICY_DOCUMENT_BYTES', () => {
  const routes = table(40);
  const methods = routes.map((r) => r.method);
  const everyScope = [...new Set(routes.flatMap((r) => r.scopes))];

  it('WHEN a token holds every scope THEN its policy covers the call alone, allows it and is not meant for caching', () => {
    const policy = buildPolicy(arnOf('GET/resource3/7'), grantedMethods(routes, everyScope, []), methods);
    expect(policy).toMatchObject({ allowsMethod: true, routeKnown: true, coversAllRoutes: false });
    expect(resourcesOf(policy.policyDocument, 'Allow')).toEqual([arnOf('GET/resource3/7')]);
    expect(policyAllows(policy.policyDocument, arnOf('GET/resource4/7'))).toBe(false);
  });

  it('WHEN a token holds a few scopes THEN it still gets the whole-API policy (under the limit), Deny included', () => {
    const policy = buildPolicy(arnOf('GET/resource3/7'), grantedMethods(routes, ['r1', 'r3'], []), methods);
    expect(policy.coversAllRoutes).toBe(true);
    expect(resourcesOf(policy.policyDocument, 'Allow')).toHaveLength(4);
    expect(resourcesOf(policy.policyDocument, 'Deny')).toEqual([arnOf('GET/resource1/*/keys'), arnOf('GET/resource3/*/keys')]);
    expect(bytes(policy.policyDocument)).toBeLessThanOrEqual(MAX_POLICY_DOCUMENT_BYTES);
  });

  it('WHEN a token lacks the scope for the call THEN the call-only policy denies it', () => {
    const policy = buildPolicy(
      arnOf('GET/resource3/7/keys'),
      grantedMethods(
        routes,
        everyScope.filter((s) => s !== 'admin'),
        [],
      ),
      methods,
    );
    expect(policy).toMatchObject({ allowsMethod: false, coversAllRoutes: false });
    expect(policyAllows(policy.policyDocument, arnOf('GET/resource3/7/keys'))).toBe(false);
  });
});

describe('GIVEN random tables and tokens (property)', () => {
  it('WHEN a whole-API policy is built THEN it is within MAX_POLICY_DOCUMENT_BYTES and within largestPolicyDocumentBytes of the table', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.array(fc.nat({ max: 60 }), { maxLength: 60 }), fc.boolean(), (count, held, admin) => {
        const routes = table(count);
        const methods = routes.map((r) => r.method);
        const policy = buildPolicy(
          arnOf('GET/resource0/7'),
          grantedMethods(routes, [...held.map((i) => `r${i}`), ...(admin ? ['admin'] : [])], []),
          methods,
        );
        expect(bytes(policy.policyDocument)).toBeLessThanOrEqual(MAX_POLICY_DOCUMENT_BYTES);
        if (policy.coversAllRoutes)
          expect(bytes(policy.policyDocument)).toBeLessThanOrEqual(largestPolicyDocumentBytes(methods, API_PREFIX));
      }),
      { numRuns: 100 },
    );
  });
});
