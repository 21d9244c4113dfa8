// Issue 23 item 8 through the bundled handler: which issuers a route accepts, and what each issuer may grant, hold in the cached policy.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizerConfig } from '../../../lambdas/contract/authorizer-config';
import type { AuthorizerHandler } from '../../../lambdas/authorizer/handler';
import { bundledHandler, httpEvent, outcome, removeBundles } from './support/bundled';
import { arnOf, authorizerConfig, captureOutput, decisions, requestEvent, type CapturedOutput } from './support/fixtures';
import { policyAllows } from './support/iam';
import { startJwksServer, type JwksServer } from './support/jwks-server';
import { jwksOf, signingKey, signToken, type SigningKey } from './support/keys';

const AUDIENCE = 'orders-api';

let main: { server: JwksServer; key: SigningKey };
let partner: { server: JwksServer; key: SigningKey };
let config: AuthorizerConfig;
let handle: AuthorizerHandler;
let output: CapturedOutput;

beforeAll(async () => {
  const [mainKey, partnerKey] = await Promise.all([signingKey('main-1'), signingKey('partner-1', 'ES256')]);
  main = { key: mainKey, server: await startJwksServer(jwksOf(mainKey)) };
  partner = { key: partnerKey, server: await startJwksServer(jwksOf(partnerKey)) };
  config = authorizerConfig(
    [
      { issuer: main.server.origin, audiences: [AUDIENCE], jwksUri: main.server.jwksUri, name: 'main' },
      // The partner IdP may grant orders:read and nothing else: no admin scope, no role.
      {
        issuer: partner.server.origin,
        audiences: [AUDIENCE],
        jwksUri: partner.server.jwksUri,
        name: 'partner',
        grants: { scopes: ['orders:read'], roles: [] },
      },
    ],
    {
      routes: [
        { method: 'GET/api/orders', scopes: ['orders:read'], roles: [] },
        { method: 'ANY/admin/*', scopes: ['admin'], roles: [] },
        { method: 'GET/api/reports', scopes: [], roles: ['auditor'] },
        // Only the main IdP's tokens, whatever they carry.
        { method: 'GET/api/internal', scopes: [], roles: [], issuers: [main.server.origin] },
      ],
    },
  );
  handle = bundledHandler(config);
  output = captureOutput();
});
afterEach(() => output.clear());
afterAll(async () => {
  output.restore();
  removeBundles();
  await Promise.all([main.server.close(), partner.server.close()]);
});

const bearer = async (from: typeof main, claims: Record<string, unknown>) =>
  `Bearer ${await signToken(from.key, { iss: from.server.origin, aud: AUDIENCE, ...claims })}`;

describe('GIVEN a REST API whose partner issuer may grant only orders:read', () => {
  it('WHEN a partner token carries scope admin THEN the admin route is refused, and the policy API Gateway caches never allows it', async () => {
    const token = await bearer(partner, { scope: 'orders:read admin', roles: ['auditor'] });
    const { result } = await outcome(handle(requestEvent(token, arnOf('GET/admin/users'))));
    expect(policyAllows(result!.policyDocument, arnOf('GET/admin/users'))).toBe(false);
    // The same cached policy, reused for the next method of this token:
    const onOrders = await handle(requestEvent(token, arnOf('GET/api/orders')));
    expect(policyAllows(onOrders.policyDocument, arnOf('GET/api/orders'))).toBe(true);
    for (const method of ['GET/admin/users', 'DELETE/admin/users', 'GET/api/reports']) {
      expect(policyAllows(onOrders.policyDocument, arnOf(method)), method).toBe(false);
    }
    // What the issuer may not grant never reaches the identity headers either.
    expect(onOrders.context).toMatchObject({ scopes: 'orders:read', roles: '-' });
    expect(decisions(output).at(0)).toMatchObject({ decision: 'deny', reason: 'insufficient_scope' });
  });

  it('WHEN a main token carries scope admin THEN the admin route is allowed: the main issuer grants anything', async () => {
    const onAdmin = await handle(requestEvent(await bearer(main, { scope: 'admin', roles: ['auditor'] }), arnOf('POST/admin/users')));
    expect(policyAllows(onAdmin.policyDocument, arnOf('POST/admin/users'))).toBe(true);
    expect(policyAllows(onAdmin.policyDocument, arnOf('GET/api/reports'))).toBe(true);
    expect(onAdmin.context).toMatchObject({ scopes: 'admin', roles: 'auditor' });
  });

  it('WHEN a partner token calls a route that accepts only the main issuer THEN it is refused, and no policy of that token allows it', async () => {
    const token = await bearer(partner, { scope: 'orders:read' });
    const onInternal = await handle(requestEvent(token, arnOf('GET/api/internal')));
    expect(policyAllows(onInternal.policyDocument, arnOf('GET/api/internal'))).toBe(false);
    expect(decisions(output).at(-1)).toMatchObject({ decision: 'deny', reason: 'issuer_not_accepted', iss: partner.server.origin });
    const onOrders = await handle(requestEvent(token, arnOf('GET/api/orders')));
    expect(policyAllows(onOrders.policyDocument, arnOf('GET/api/internal'))).toBe(false);
    const mainToken = await bearer(main, {});
    expect(policyAllows((await handle(requestEvent(mainToken, arnOf('GET/api/internal')))).policyDocument, arnOf('GET/api/internal'))).toBe(
      true,
    );
  });
});

describe('GIVEN an HTTP API (simple responses, cached per token and route key)', () => {
  it('WHEN a partner token calls a route of the main issuer only, or carries a scope it may not grant THEN isAuthorized is false', async () => {
    const token = await bearer(partner, { scope: 'orders:read admin' });
    expect((await handle(httpEvent('GET /api/internal', token))).isAuthorized).toBe(false);
    expect(decisions(output).at(-1)).toMatchObject({ decision: 'deny', reason: 'issuer_not_accepted' });
    expect((await handle(httpEvent('ANY /admin/{proxy+}', token))).isAuthorized).toBe(false);
    expect(decisions(output).at(-1)).toMatchObject({ decision: 'deny', reason: 'insufficient_scope' });
    const onOrders = await handle(httpEvent('GET /api/orders', token));
    expect(onOrders).toMatchObject({ isAuthorized: true, context: { scopes: 'orders:read' } });
    expect((await handle(httpEvent('GET /api/internal', await bearer(main, {})))).isAuthorized).toBe(true);
  });
});
