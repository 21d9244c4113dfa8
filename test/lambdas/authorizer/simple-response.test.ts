// The authorizer behind an HTTP API: payload 2.0 REQUEST events in, simple responses ({ isAuthorized, context }) out.
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHandler, METRIC, routeKeyMethod, UNAUTHORIZED, type AuthorizerHandler } from '../../../lambdas/authorizer/handler';
import { authorizerConfig, captureOutput, decisions, metricCount, type CapturedOutput } from './support/fixtures';
import { jwksOf, nowSeconds, signingKey, signToken, type SigningKey } from './support/keys';

const ISSUER = 'https://idp.example/tenant';
const AUDIENCE = 'orders-api';
/** The context of a refused request: every field the non-empty sentinel, so no mapping ever sees ''. */
const NO_IDENTITY = { sub: '-', iss: '-', roles: '-', scopes: '-', clientId: '-' };

let key: SigningKey;
let output: CapturedOutput;
let handle: AuthorizerHandler;

beforeAll(async () => {
  key = await signingKey('k1');
  handle = createHandler(
    authorizerConfig([{ issuer: ISSUER, audiences: [AUDIENCE], jwks: jwksOf(key), jwksUri: 'http://127.0.0.1:9/jwks' }]),
  );
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
  it('WHEN the token has the route\'s scope THEN isAuthorized is true with the identity in the context, a claim it lacks as "-" (never empty)', async () => {
    const result = await handle(httpEvent('GET /api/orders/{proxy+}', await bearer({ scope: 'orders:read', client_id: 'web' })));
    expect(result).toEqual({
      isAuthorized: true,
      context: { sub: 'user-1', iss: ISSUER, roles: '-', scopes: 'orders:read', clientId: 'web' },
    });
  });

  it("WHEN the token lacks the route's scope THEN isAuthorized is false (API Gateway answers 403)", async () => {
    const result = await handle(httpEvent('POST /api/orders', await bearer({ scope: 'orders:read' })));
    expect(result.isAuthorized).toBe(false);
    expect(decisions(output).at(-1)).toMatchObject({ decision: 'deny', reason: 'insufficient_scope' });
  });

  it('WHEN the route needs a role the token holds THEN isAuthorized is true', async () => {
    const result = await handle(httpEvent('ANY /admin/{proxy+}', await bearer({ roles: ['admin'] })));
    expect(result.isAuthorized).toBe(true);
  });
});

describe('GIVEN a payload 2.0 REQUEST event with a token the authorizer refuses', () => {
  // AWS documents `isAuthorized: false` (403) for HTTP APIs; a thrown Unauthorized is documented as 401 for REST only.
  it.each([
    [
      'there is no token (API Gateway itself answers 401 before invoking, when Authorization is an identity source)',
      async () => undefined,
      'token_missing',
    ],
    ['it is no JWT', async () => 'Bearer not-a.jwt.at-all', 'token_malformed'],
    [
      'it is signed by another key under the same kid',
      async () => `Bearer ${await signToken(await signingKey('k1'), { iss: ISSUER, aud: AUDIENCE })}`,
      'signature_invalid',
    ],
    ['it has expired', async () => bearer({ exp: nowSeconds() - 600 }), 'token_expired'],
    ['another issuer signed it', async () => bearer({ iss: 'https://evil.example/' }), 'issuer_untrusted'],
    ['it is for another audience', async () => bearer({ aud: 'other-api' }), 'audience_mismatch'],
  ] satisfies [string, () => Promise<string | undefined>, string][])(
    'WHEN %s THEN isAuthorized is false with no identity, logged and counted as %s',
    async (_, authorization, reason) => {
      const result = await handle(httpEvent('GET /api/orders', await authorization()));
      expect(result).toEqual({ isAuthorized: false, context: NO_IDENTITY });
      expect(decisions(output).at(-1)).toMatchObject({ level: 'INFO', decision: 'deny', reason });
      expect(metricCount(output, METRIC.denied, { reason })).toBe(1);
    },
  );

  it("WHEN the issuer's keys cannot be fetched and none are baked in THEN it throws a plain error (API Gateway answers 500 and caches no deny), logged at ERROR", async () => {
    const unreachable = createHandler(authorizerConfig([{ issuer: ISSUER, audiences: [AUDIENCE], jwksUri: 'http://127.0.0.1:9/jwks' }]));
    const failure = await unreachable(httpEvent('GET /api/orders', await bearer({ scope: 'orders:read' }))).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(failure?.message).not.toBe(UNAUTHORIZED);
    expect(failure?.cause).toMatchObject({ code: 'jwks_unavailable' });
    expect(decisions(output).at(-1)).toMatchObject({ level: 'ERROR', decision: 'deny', reason: 'jwks_unavailable' });
    expect(metricCount(output, METRIC.denied, { reason: 'jwks_unavailable' })).toBe(1);
  });
});
