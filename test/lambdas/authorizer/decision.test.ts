// decide(), pure: what was found out about a request and the route table in, allow or deny with its reason and the identity out.
import { describe, expect, it } from 'vitest';
import type { RouteGrant } from '../../../lambdas/contract/authorizer-config';
import type { Identity } from '../../../lambdas/authorizer/claims';
import { decide, isOperational, NO_IDENTITY, type AuthorizerRequest, type CheckedToken } from '../../../lambdas/authorizer/decision';
import { TokenRejected } from '../../../lambdas/authorizer/errors';
import { createRouteTable } from '../../../lambdas/authorizer/route-table';
import { arnOf } from './support/fixtures';
import { policyAllows } from './support/iam';

const GOOD = 'https://idp.example/';
const PARTNER = 'https://partner.example/';

const table = createRouteTable([
  { method: 'GET/api/orders', scopes: ['orders:read'], roles: [] },
  { method: 'POST/api/orders', scopes: ['orders:write'], roles: [] },
  // Only tokens of the good issuer may call the admin routes.
  { method: 'ANY/admin/*', scopes: [], roles: ['admin'], issuers: [GOOD] },
] satisfies RouteGrant[]);

/** A token as the token check hands it over: verified, its identity read, its grants worked out by the table. */
function checked(identity: Partial<Identity>, claims: { iss?: string; sub?: string } = {}): CheckedToken {
  const full: Identity = { scopes: [], roles: [], clientId: '', ...identity };
  const iss = claims.iss ?? GOOD;
  return {
    verified: { claims: { iss, sub: claims.sub ?? 'alice', exp: 2_000_000_000 }, issuer: { issuer: iss, audiences: ['api'] }, kid: 'k1' },
    fresh: true,
    identity: full,
    granted: table.granted(full, iss),
  };
}

const rest = (method: string): AuthorizerRequest => ({ kind: 'policy', requestId: 'r1', methodArn: arnOf(method) });
const http = (routeKey: string): AuthorizerRequest => ({ kind: 'simple', requestId: 'r2', routeKey });

describe.each([
  ['REST (policy for a method ARN)', rest('GET/api/orders'), rest('DELETE/api/orders'), rest('GET/admin/users')],
  ['HTTP API (route key)', http('GET /api/orders'), http('DELETE /api/orders'), http('ANY /admin/{proxy+}')],
] as const)('GIVEN a %s request', (_, orders, unknown, admin) => {
  it("WHEN the token has the route's scope THEN allow, with the identity as context and no reason", () => {
    const decision = decide({ token: checked({ scopes: ['orders:read'], clientId: 'web' }) }, table, orders);
    expect(decision).toMatchObject({
      allow: true,
      reason: undefined,
      context: { sub: 'alice', iss: GOOD, scopes: 'orders:read', clientId: 'web' },
    });
  });

  it('WHEN the token lacks some identity claims THEN they are "-" in the context, never empty', () => {
    const decision = decide({ token: checked({ scopes: ['orders:read'] }, { sub: '' }) }, table, orders);
    expect(decision.context).toEqual({ sub: '-', iss: GOOD, roles: '-', scopes: 'orders:read', clientId: '-' });
  });

  it('WHEN the token lacks the scope THEN deny with insufficient_scope, keeping its identity', () => {
    const decision = decide({ token: checked({ scopes: ['orders:write'] }) }, table, orders);
    expect(decision).toMatchObject({ allow: false, reason: 'insufficient_scope', context: { sub: 'alice', scopes: 'orders:write' } });
  });

  it('WHEN the route is not in the table THEN deny with route_not_configured', () => {
    expect(decide({ token: checked({ scopes: ['orders:read'] }) }, table, unknown)).toMatchObject({
      allow: false,
      reason: 'route_not_configured',
    });
  });

  it('WHEN the token has the role but the route does not accept its issuer THEN deny with issuer_not_accepted', () => {
    expect(decide({ token: checked({ roles: ['admin'] }, { iss: PARTNER }) }, table, admin)).toMatchObject({
      allow: false,
      reason: 'issuer_not_accepted',
    });
    expect(decide({ token: checked({ roles: ['admin'] }) }, table, admin)).toMatchObject({ allow: true });
    // Without the role it is the scope or role that is missing, whatever the issuer.
    expect(decide({ token: checked({}, { iss: PARTNER }) }, table, admin)).toMatchObject({ allow: false, reason: 'insufficient_scope' });
  });

  it('WHEN the token was refused THEN deny with its rejection code and no identity; operational only when the keys could not be checked', () => {
    const refused = decide({ rejection: new TokenRejected('token_expired', 'expired') }, table, orders);
    expect(refused).toMatchObject({ allow: false, reason: 'token_expired', context: NO_IDENTITY });
    expect(refused.token).toBeUndefined();
    expect(isOperational(refused)).toBe(false);
    const unavailable = decide({ rejection: new TokenRejected('jwks_unavailable', 'down') }, table, orders);
    expect(unavailable).toMatchObject({ allow: false, reason: 'jwks_unavailable' });
    expect(isOperational(unavailable)).toBe(true);
    expect(isOperational(decide({ rejection: new TokenRejected('internal_error', 'bug') }, table, orders))).toBe(true);
  });

  it("WHEN CloudFront's header was wrong or absent THEN deny with origin_verify and no identity", () => {
    expect(decide({ originHeader: 'mismatch' }, table, orders)).toMatchObject({
      allow: false,
      reason: 'origin_verify',
      originHeader: 'mismatch',
      context: NO_IDENTITY,
    });
    expect(decide({ originHeader: 'missing' }, table, orders)).toMatchObject({
      allow: false,
      reason: 'origin_verify',
      originHeader: 'missing',
    });
  });
});

describe('GIVEN a REST request', () => {
  it('WHEN decided THEN the decision carries the policy, right for every method the token may call', () => {
    const { policy } = decide({ token: checked({ scopes: ['orders:read', 'orders:write'] }) }, table, rest('GET/api/orders'));
    expect(policyAllows(policy!.policyDocument, arnOf('GET/api/orders'))).toBe(true);
    expect(policyAllows(policy!.policyDocument, arnOf('POST/api/orders'))).toBe(true);
    expect(policyAllows(policy!.policyDocument, arnOf('GET/admin/users'))).toBe(false);
  });

  it('WHEN the same grants ask for the same method twice THEN the policy is built once and shared, frozen', () => {
    const first = decide({ token: checked({ scopes: ['orders:read'] }) }, table, rest('GET/api/orders')).policy;
    const second = decide({ token: checked({ scopes: ['orders:read'] }, { sub: 'bob' }) }, table, rest('GET/api/orders')).policy;
    expect(second).toBe(first);
    expect(Object.isFrozen(first!.policyDocument.Statement)).toBe(true);
  });
});

describe('GIVEN an HTTP API request', () => {
  it('WHEN decided THEN no policy is built', () => {
    expect(decide({ token: checked({ scopes: ['orders:read'] }) }, table, http('GET /api/orders')).policy).toBeUndefined();
  });
});
