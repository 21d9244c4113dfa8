// Issue 23 item 10 through the bundled handler: claims that would forge a header are refused, scopes split as RFC 6749 says, no token from the future.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizerHandler } from '../../../lambdas/authorizer/handler';
import { bundledHandler, httpEvent, outcome, removeBundles } from './support/bundled';
import { arnOf, authorizerConfig, captureOutput, decisions, requestEvent, type CapturedOutput } from './support/fixtures';
import { policyAllows } from './support/iam';
import { startJwksServer, type JwksServer } from './support/jwks-server';
import { jwksOf, nowSeconds, signingKey, signToken, type SigningKey } from './support/keys';

const AUDIENCE = 'orders-api';
const CLOCK_TOLERANCE_SECONDS = 5;

let server: JwksServer;
let key: SigningKey;
let handle: AuthorizerHandler;
let output: CapturedOutput;

beforeAll(async () => {
  key = await signingKey('k1');
  server = await startJwksServer(jwksOf(key));
  handle = bundledHandler(
    authorizerConfig([{ issuer: server.origin, audiences: [AUDIENCE], jwksUri: server.jwksUri }], {
      clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
      routes: [
        { method: 'GET/api/orders', scopes: ['orders:read'], roles: [] },
        { method: 'ANY/admin/*', scopes: ['admin'], roles: [] },
      ],
    }),
  );
  output = captureOutput();
});
afterEach(() => output.clear());
afterAll(async () => {
  output.restore();
  removeBundles();
  await server.close();
});

const bearer = async (claims: Record<string, unknown>) =>
  `Bearer ${await signToken(key, { iss: server.origin, aud: AUDIENCE, scope: 'orders:read', ...claims })}`;
const onOrders = async (claims: Record<string, unknown>) => outcome(handle(requestEvent(await bearer(claims), arnOf('GET/api/orders'))));

describe('GIVEN a signed token whose claims carry control characters', () => {
  it.each([
    ['sub with CRLF and a forged header', { sub: 'alice\r\nX-User-Roles: admin' }, 'sub'],
    ['sub with a NUL', { sub: 'alice\u0000' }, 'sub'],
    ['a role with a line feed', { roles: ['viewer\nadmin'] }, 'roles'],
    ['a scope with a tab', { scope: 'orders:read\tadmin' }, 'scope'],
    ['a scope with U+2028 (line separator)', { scope: 'orders:read\u2028admin' }, 'scope'],
    ['a client id with DEL', { client_id: 'cli\u007f' }, 'client_id'],
    ['a client id with a C1 control (NEL)', { client_id: 'cli\u0085' }, 'client_id'],
  ])('WHEN it carries %s THEN 401, the reason claim_invalid logged, and no context is returned', async (_what, claims, claim) => {
    const { result, thrown } = await onOrders(claims);
    expect(result).toBeUndefined();
    expect(thrown).toBe('Unauthorized');
    expect(decisions(output).at(-1)).toMatchObject({
      decision: 'deny',
      reason: 'claim_invalid',
      detail: `claim "${claim}" contains a control character`,
    });
  });

  it('WHEN the same token comes again THEN it is refused again (never cached as verified)', async () => {
    const token = await bearer({ sub: 'alice\r\nX-User-Roles: admin' });
    expect((await outcome(handle(requestEvent(token)))).thrown).toBe('Unauthorized');
    expect((await outcome(handle(requestEvent(token)))).thrown).toBe('Unauthorized');
    // An HTTP API gets the documented simple response instead: not authorized (403).
    expect((await outcome(handle(httpEvent('GET /api/orders', token)))).result).toMatchObject({ isAuthorized: false });
  });

  it('WHEN a sub carries non-ASCII letters but no control character THEN it passes unchanged', async () => {
    expect((await onOrders({ sub: 'zoë-日本' })).result?.context.sub).toBe('zoë-日本');
  });
});

describe('GIVEN scopes separated by something other than the ASCII space', () => {
  it('WHEN scope is "orders:read<NBSP>admin" THEN it is one scope: admin is not granted, orders:read is not either', async () => {
    const token = await bearer({ scope: 'orders:read\u00a0admin' });
    const { result } = await outcome(handle(requestEvent(token, arnOf('GET/admin/users'))));
    expect(policyAllows(result!.policyDocument, arnOf('GET/admin/users'))).toBe(false);
    expect(policyAllows(result!.policyDocument, arnOf('GET/api/orders'))).toBe(false);
    expect(result!.context.scopes).toBe('orders:read\u00a0admin');
  });

  it('WHEN scope is "orders:read admin" with ASCII spaces (doubled too) THEN both are granted', async () => {
    const { result } = await outcome(handle(requestEvent(await bearer({ scope: 'orders:read  admin' }), arnOf('GET/admin/users'))));
    expect(policyAllows(result!.policyDocument, arnOf('GET/admin/users'))).toBe(true);
    expect(result!.context.scopes).toBe('orders:read admin');
  });
});

describe('GIVEN no maxTokenAgeSeconds', () => {
  it('WHEN iat is in the future beyond the clock tolerance THEN 401 token_not_yet_valid', async () => {
    const { thrown } = await onOrders({ iat: nowSeconds() + 3600, exp: nowSeconds() + 7200 });
    expect(thrown).toBe('Unauthorized');
    expect(decisions(output).at(-1)).toMatchObject({ decision: 'deny', reason: 'token_not_yet_valid' });
  });

  it('WHEN iat is in the future within the clock tolerance THEN the token passes', async () => {
    expect((await onOrders({ iat: nowSeconds() + 1 })).result?.principalId).toBe('user-1');
  });
});
