// Issue 14 item 3 through the bundled handler: a Cognito issuer planned from a spec accepts Cognito-shaped access tokens (client_id, no aud) from its app clients only.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizerConfig } from '../../../lambdas/contract/authorizer-config';
import type { AuthorizerHandler } from '../../../lambdas/authorizer/handler';
import { planSpec } from '../../../lib/plan/plan';
import { validateConfig } from '../../../lib/config/load';
import { bundledHandler, outcome, removeBundles } from './support/bundled';
import { arnOf, captureOutput, decisions, requestEvent, type CapturedOutput } from './support/fixtures';
import { policyAllows } from './support/iam';
import { startJwksServer, type JwksServer } from './support/jwks-server';
import { jwksOf, signingKey, signToken, type SigningKey } from './support/keys';

const POOL = 'eu-west-1_AbCdEf123';
const ISS = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`;
const WEB = '1example23456789abcdefghijk';
const OTHER_APP = '9other87654321zyxwvutsrqpon';

let key: SigningKey;
let server: JwksServer;
let config: AuthorizerConfig;
let handle: AuthorizerHandler;
let output: CapturedOutput;

beforeAll(async () => {
  key = await signingKey('cognito-1');
  server = await startJwksServer(jwksOf(key));
  const plan = planSpec(
    validateConfig({
      services: { orders: { url: 'https://orders.example.com' } },
      gateways: {
        public: {
          auth: { jwt: { issuers: [{ cognito: { userPoolId: POOL, clientIds: [WEB] } }] } },
          routes: [
            { service: 'orders', paths: ['/api/orders'], methods: ['GET'], auth: { jwt: { scopes: ['orders/read'] } } },
            { service: 'orders', paths: ['/me'], methods: ['GET'], auth: 'jwt' },
          ],
        },
      },
    }),
  );
  const planned = plan.gateways[0]!.authorizer!.config;
  // The planned issuer and client check as they deploy; only the pool's JWKS URL points at the loopback server.
  config = { ...planned, issuers: planned.issuers.map((issuer) => ({ ...issuer, jwksUri: server.jwksUri })) };
  handle = bundledHandler(config);
  output = captureOutput();
});
afterEach(() => output.clear());
afterAll(async () => {
  output.restore();
  removeBundles();
  await server.close();
});

/** An access token as Cognito issues it: client_id and token_use, no aud. */
const accessToken = (claims: Record<string, unknown> = {}) =>
  signToken(key, { iss: ISS, client_id: WEB, token_use: 'access', scope: 'orders/read', 'cognito:groups': ['clerks'], ...claims });

describe('GIVEN a REST API trusting a Cognito user pool with one app client', () => {
  it('WHEN the planned config is read THEN it checks client_id for tokens without aud', () => {
    expect(config.issuers[0]).toMatchObject({ issuer: ISS, audiences: [WEB], audienceFromClientId: true });
  });

  it('WHEN an access token of that app client calls a scoped route THEN it is allowed, with the client id and groups as identity', async () => {
    const result = await handle(requestEvent(`Bearer ${await accessToken()}`, arnOf('GET/api/orders')));
    expect(policyAllows(result.policyDocument, arnOf('GET/api/orders'))).toBe(true);
    expect(result.context).toMatchObject({ sub: 'user-1', iss: ISS, clientId: WEB, scopes: 'orders/read', roles: 'clerks' });
  });

  it('WHEN an access token of another app client of the same pool calls THEN Unauthorized with audience_mismatch', async () => {
    const { thrown } = await outcome(
      handle(requestEvent(`Bearer ${await accessToken({ client_id: OTHER_APP })}`, arnOf('GET/api/orders'))),
    );
    expect(thrown).toBe('Unauthorized');
    expect(decisions(output).at(-1)).toMatchObject({ decision: 'deny', reason: 'audience_mismatch' });
  });

  it('WHEN an id token of that app client (aud, no client_id) calls THEN it is judged by aud and allowed on an unscoped route', async () => {
    const idToken = await signToken(key, { iss: ISS, aud: WEB, token_use: 'id', email: 'a@example.com' });
    const result = await handle(requestEvent(`Bearer ${idToken}`, arnOf('GET/me')));
    expect(policyAllows(result.policyDocument, arnOf('GET/me'))).toBe(true);
  });

  it('WHEN a token carries a foreign aud and the right client_id THEN aud decides: Unauthorized with audience_mismatch', async () => {
    const { thrown } = await outcome(handle(requestEvent(`Bearer ${await accessToken({ aud: 'someone-else' })}`, arnOf('GET/api/orders'))));
    expect(thrown).toBe('Unauthorized');
    expect(decisions(output).at(-1)).toMatchObject({ reason: 'audience_mismatch' });
  });

  it('WHEN a token carries neither aud nor client_id THEN Unauthorized with claim_missing', async () => {
    const { thrown } = await outcome(
      handle(requestEvent(`Bearer ${await accessToken({ client_id: undefined })}`, arnOf('GET/api/orders'))),
    );
    expect(thrown).toBe('Unauthorized');
    expect(decisions(output).at(-1)).toMatchObject({ reason: 'claim_missing' });
  });

  it('WHEN a token of the right app client names another pool as iss THEN Unauthorized with issuer_untrusted', async () => {
    const token = await accessToken({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' });
    const { thrown } = await outcome(handle(requestEvent(`Bearer ${token}`, arnOf('GET/api/orders'))));
    expect(thrown).toBe('Unauthorized');
    expect(decisions(output).at(-1)).toMatchObject({ reason: 'issuer_untrusted' });
  });
});
