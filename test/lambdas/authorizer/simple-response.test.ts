// The authorizer behind an HTTP API: payload 2.0 REQUEST events in, simple responses ({ isAuthorized, context }) out.
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHandler, routeKeyMethod, type AuthorizerHandler } from '../../../lambdas/authorizer/handler';
import { authorizerConfig, captureOutput, decisions, type CapturedOutput } from './support/fixtures';
import { jwksOf, signingKey, signToken, type SigningKey } from './support/keys';

const ISSUER = 'https://idp.example/tenant';
const AUDIENCE = 'orders-api';

let key: SigningKey;
let output: CapturedOutput;
let handle: AuthorizerHandler;

beforeAll(async () => {
  key = await signingKey('k1');
  handle = createHandler(authorizerConfig([{ issuer: ISSUER, audiences: [AUDIENCE], jwks: jwksOf(key), jwksUri: 'http://127.0.0.1:9/jwks' }]));
  output = captureOutput();
});
afterEach(() => output.clear());
afterAll(() => output.restore());

function httpEvent(routeKey: string, authorization?: string): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/$default/GET/api/orders',
    identitySource: authorization ? [authorization, routeKey] : [routeKey],
    routeKey,
    rawPath: '/api/orders',
    rawQueryString: '',
    cookies: [],
    headers: authorization ? { authorization } : {},
    requestContext: { requestId: 'req-v2', routeKey, http: { method: 'GET', path: '/api/orders' } },
  } as unknown as APIGatewayRequestAuthorizerEventV2;
}

const bearer = async (claims: Record<string, unknown>) => `Bearer ${await signToken(key, { iss: ISSUER, aud: AUDIENCE, ...claims })}`;

describe('GIVEN an HTTP API route key', () => {
  it.each([
    ['GET /api/orders', 'GET/api/orders'],
    ['ANY /admin/{proxy+}', 'ANY/admin/*'],
    ['ANY /{proxy+}', 'ANY/*'],
  ])('WHEN it is %s THEN it is the route table method %s', (routeKey, method) => {
    expect(routeKeyMethod(routeKey)).toBe(method);
  });
});

describe('GIVEN a payload 2.0 REQUEST event', () => {
  it('WHEN the token has the route\'s scope THEN isAuthorized is true with the identity in the context', async () => {
    const result = await handle(httpEvent('GET /api/orders/{proxy+}', await bearer({ scope: 'orders:read', client_id: 'web' })));
    expect(result).toEqual({ isAuthorized: true, context: { sub: 'user-1', iss: ISSUER, roles: '', scopes: 'orders:read', clientId: 'web' } });
  });

  it('WHEN the token lacks the route\'s scope THEN isAuthorized is false (API Gateway answers 403)', async () => {
    const result = await handle(httpEvent('POST /api/orders', await bearer({ scope: 'orders:read' })));
    expect(result.isAuthorized).toBe(false);
    expect(decisions(output).at(-1)).toMatchObject({ decision: 'deny', reason: 'insufficient_scope' });
  });

  it('WHEN the route needs a role the token holds THEN isAuthorized is true', async () => {
    const result = await handle(httpEvent('ANY /admin/{proxy+}', await bearer({ roles: ['admin'] })));
    expect(result.isAuthorized).toBe(true);
  });

  it('WHEN there is no token THEN it throws Unauthorized (API Gateway answers 401)', async () => {
    await expect(handle(httpEvent('GET /api/orders'))).rejects.toThrow(/^Unauthorized$/);
    expect(decisions(output).at(-1)).toMatchObject({ decision: 'deny', reason: 'token_missing' });
  });
});
