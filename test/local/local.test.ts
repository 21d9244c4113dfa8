// `gatehouse local` end to end: the synthesized assembly served on loopback, real bundles in workers, a real echo upstream and JWKS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type RunningLocal } from '../../lib/local/start';
import { startEchoUpstream, type EchoAnswer, type EchoUpstream } from '../../lib/local/echo-upstream';
import { startJwksServer, type JwksServer } from '../lambdas/authorizer/support/jwks-server';
import { jwksOf, signingKey, signToken, type SigningKey } from '../lambdas/authorizer/support/keys';

/** Synthesis and bundling take tens of seconds on a loaded machine: once per config, in beforeAll. */
const START_TIMEOUT_MS = 240_000;
const ORIGIN = 'https://app.example.com';

let echo: EchoUpstream;
let key: SigningKey;
let idp: JwksServer;
const logs: string[] = [];

beforeAll(async () => {
  echo = await startEchoUpstream();
  key = await signingKey('k1');
  idp = await startJwksServer(jwksOf(key));
});
afterAll(async () => {
  await echo?.close();
  await idp?.close();
});

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

describe('the shipped gatehouse.yaml (REST, proxy Lambdas, API key, Lambda JWT authorizer)', () => {
  let local: RunningLocal;
  let base: string;
  beforeAll(async () => {
    local = await startLocal({
      file: 'gatehouse.yaml',
      port: 0,
      upstreams: { 'user-service': echo.url, 'order-service': echo.url },
      state: 'off',
      log: (t) => void logs.push(t),
      quietHandlers: true,
    });
    base = local.url('public');
  }, START_TIMEOUT_MS);
  afterAll(async () => local?.close());

  it('GIVEN the banner THEN it lists the routes with their auth, the local API key, and what cannot match AWS', () => {
    expect(local.banner).toMatch(/GET\s+\/api\/orders\s+api_key\s+AWS_PROXY/);
    expect(local.banner).toMatch(/GET\s+\/api\/users\s+public-jwt\s+AWS_PROXY/);
    expect(local.banner).toContain(`x-api-key: ${local.gateways[0]!.keys[0]!.value}`);
    expect(local.banner).toMatch(/Not emulated: public: X-Ray tracing/);
    expect(local.banner).toMatch(/State for handlers: OFF \(--no-state\)/);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/prod$/);
  });

  it('GIVEN a path the API does not serve WHEN called THEN 403 Missing Authentication Token with the CORS headers of DEFAULT_4XX', async () => {
    const res = await call(`${base}/api/nothing`, { headers: { origin: ORIGIN } });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ message: 'Missing Authentication Token' });
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('GIVEN a method the resource lacks (DELETE /api/orders) WHEN called THEN 403 Missing Authentication Token', async () => {
    const res = await call(`${base}/api/orders`, { method: 'DELETE' });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('GIVEN a keyed route WHEN called without a key or with a wrong one THEN 403 Forbidden, and the upstream is not reached', async () => {
    expect((await call(`${base}/api/orders`)).status).toBe(403);
    const wrong = await call(`${base}/api/orders`, { headers: { 'x-api-key': 'not-a-key', origin: ORIGIN } });
    expect(wrong.status).toBe(403);
    expect(wrong.json()).toEqual({ message: 'Forbidden' });
    expect(wrong.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('GIVEN the printed key WHEN a keyed route is called THEN the order proxy bundle forwards to the overridden upstream', async () => {
    const res = await call(`${base}/api/orders/42?expand=1`, {
      method: 'POST',
      headers: { 'x-api-key': local.gateways[0]!.keys[0]!.value, 'content-type': 'application/json' },
      body: '{"qty":1}',
    });
    expect(res.status).toBe(200);
    const seen = res.json() as EchoAnswer;
    expect(seen).toMatchObject({ method: 'POST', path: '/api/orders/42', query: 'expand=1', body: '{"qty":1}' });
    expect(seen.headers['x-gateway-request-id']).toBeTruthy();
  });

  it('GIVEN a JWT route WHEN called without a token or with a forged one THEN 401 from the authorizer bundle with WWW-Authenticate and CORS headers', async () => {
    const none = await call(`${base}/api/users`, { headers: { origin: ORIGIN } });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(none.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const forged = await call(`${base}/api/users`, {
      headers: { authorization: `Bearer ${await signToken(key, { iss: 'https://login.example.com/', aud: 'gatehouse-api' })}` },
    });
    expect(forged.status).toBe(401);
  });

  it('GIVEN a CORS preflight WHEN sent without credentials THEN the MOCK integration answers 204 with the allowed origin and methods', async () => {
    const res = await call(`${base}/api/users`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-allow-methods')).toContain('GET');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('GIVEN requests WHEN served THEN each writes one access-log line in the deployed JSON format', () => {
    const lines = logs
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{"requestId"'))
      .map((l) => JSON.parse(l) as Record<string, string>);
    const refused = lines.find((l) => l.path === '/prod/api/nothing');
    expect(refused).toMatchObject({
      status: '403',
      errorType: 'MISSING_AUTHENTICATION_TOKEN',
      httpMethod: 'GET',
      stage: 'prod',
      route: '-',
    });
    expect(Object.keys(refused!)).toContain('wafResponseCode');
    expect(lines.find((l) => l.path === '/prod/api/orders/42')).toMatchObject({
      status: '200',
      route: '/api/orders/{proxy+}',
      apiKeyId: 'local0001',
    });
  });
});

/** A config the tests write: issuer on loopback, one direct route with scopes, one keyed route. */
function writtenConfig(flavor: 'rest' | 'http', issuer: string): Record<string, unknown> {
  return {
    services: { users: { url: 'https://users.internal.example.com' }, orders: { url: 'https://orders.internal.example.com' } },
    gateways: {
      api: {
        ...(flavor === 'http' ? { flavor: 'http' } : {}),
        cors: { origins: [ORIGIN] },
        // A loaded test machine can take seconds to answer a JWKS fetch: the authorizer bundle waits for it here.
        auth: { jwt: { issuers: [{ issuer, audience: ['shop-api'] }], jwks: { timeoutMs: 10_000, cooldownSeconds: 0 } } },
        routes: [
          { service: 'users', paths: ['/users'], methods: ['GET', 'POST'], auth: { jwt: { scopes: ['users:read'] } } },
          ...(flavor === 'rest' ? [{ service: 'orders', paths: ['/orders'], methods: ['GET'], apiKey: true }] : []),
        ],
        ...(flavor === 'rest'
          ? { plans: { basic: { throttle: { rate: 10, burst: 20 } } }, consumers: { acme: { plans: ['basic'] } } }
          : {}),
      },
    },
  };
}

describe.each(['rest', 'http'] as const)('a written %s config with a loopback issuer', (flavor) => {
  let local: RunningLocal;
  let base: string;
  let issuer: string;
  beforeAll(async () => {
    issuer = `${idp.origin}/`;
    idp.discovery = { issuer, jwks_uri: idp.jwksUri };
    local = await startLocal({
      config: writtenConfig(flavor, issuer),
      port: 0,
      upstreams: { users: echo.url, orders: echo.url },
      state: 'off',
      log: () => undefined,
      quietHandlers: true,
    });
    base = local.url('api');
  }, START_TIMEOUT_MS);
  afterAll(async () => local?.close());

  const token = (claims: Record<string, unknown> = {}) =>
    signToken(key, { iss: issuer, aud: 'shop-api', sub: 'alice', scope: 'users:read', ...claims });

  it('GIVEN a valid token with the scope WHEN called THEN the upstream gets the identity headers from the token and not the ones the client sent', async () => {
    const res = await call(`${base}/users`, {
      headers: { authorization: `Bearer ${await token()}`, 'X-User-Id': 'mallory', origin: ORIGIN },
    });
    expect(res.status).toBe(200);
    const seen = res.json() as EchoAnswer;
    expect(seen.headers['x-user-id']).toBe('alice');
    expect(seen.headers['x-user-scopes']).toContain('users:read');
    // An HTTP API adds its CORS headers to every answer; a REST HTTP_PROXY passes the upstream's headers through as they are.
    expect(res.headers.get('access-control-allow-origin')).toBe(flavor === 'http' ? ORIGIN : null);
  });

  it('GIVEN a token without the route scope WHEN called THEN 403, with CORS headers', async () => {
    const res = await call(`${base}/users`, {
      headers: { authorization: `Bearer ${await token({ scope: 'orders:read' })}`, origin: ORIGIN },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('GIVEN no token, an expired token or a token for another audience WHEN called THEN 401 with WWW-Authenticate', async () => {
    for (const authorization of [
      undefined,
      `Bearer ${await token({ exp: Math.floor(Date.now() / 1000) - 600 })}`,
      `Bearer ${await token({ aud: 'other' })}`,
    ]) {
      const res = await call(`${base}/users`, { headers: { ...(authorization ? { authorization } : {}), origin: ORIGIN } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    }
  });

  it("GIVEN a path no route serves WHEN called THEN the flavor's answer: REST 403 Missing Authentication Token, HTTP 404 Not Found", async () => {
    const res = await call(`${base}/nothing`);
    if (flavor === 'rest') expect([res.status, res.json()]).toEqual([403, { message: 'Missing Authentication Token' }]);
    else expect([res.status, res.json()]).toEqual([404, { message: 'Not Found' }]);
  });

  it('GIVEN a CORS preflight on an authorized route WHEN sent without a token THEN 204 with the allowed origin', async () => {
    const res = await call(`${base}/users`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  if (flavor === 'rest')
    it('GIVEN a keyed route WHEN called with the generated key THEN 200, without THEN 403', async () => {
      expect((await call(`${base}/orders`)).status).toBe(403);
      const ok = await call(`${base}/orders`, { headers: { 'x-api-key': local.gateways[0]!.keys[0]!.value } });
      expect(ok.status).toBe(200);
      expect((ok.json() as EchoAnswer).path).toBe('/orders');
    });
});

describe('a written HTTP config whose route needs a role: the Gatehouse Lambda authorizer with simple responses', () => {
  let local: RunningLocal;
  let base: string;
  let issuer: string;
  beforeAll(async () => {
    issuer = `${idp.origin}/`;
    idp.discovery = { issuer, jwks_uri: idp.jwksUri };
    local = await startLocal({
      config: lambdaAuthorizerConfig(issuer),
      port: 0,
      upstreams: { users: echo.url },
      state: 'off',
      log: () => undefined,
      quietHandlers: true,
    });
    base = local.url('api');
  }, START_TIMEOUT_MS);
  afterAll(async () => local?.close());

  const token = async (claims: Record<string, unknown> = {}, signer?: SigningKey) =>
    `Bearer ${await signToken(signer ?? key, { iss: issuer, aud: 'shop-api', sub: 'alice', roles: ['admin'], ...claims })}`;

  it('GIVEN a valid token with the role WHEN called THEN the upstream gets the identity from the authorizer\'s context, a claim the token lacks as "-"', async () => {
    const res = await call(`${base}/users`, { headers: { authorization: await token(), 'X-Client-Id': 'mallory' } });
    expect(res.status).toBe(200);
    const seen = res.json() as EchoAnswer;
    expect(seen.headers).toMatchObject({ 'x-user-id': 'alice', 'x-user-roles': 'admin', 'x-client-id': '-' });
  });

  it('GIVEN no token WHEN called THEN 401 from the API itself (a missing identity source), with CORS headers', async () => {
    const res = await call(`${base}/users`, { headers: { origin: ORIGIN } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('GIVEN a forged, expired or wrong-audience token, or one without the role WHEN called THEN 403 (isAuthorized false), with CORS headers', async () => {
    const forger = await signingKey('k1');
    for (const authorization of [
      await token({}, forger),
      await token({ exp: Math.floor(Date.now() / 1000) - 600 }),
      await token({ aud: 'other' }),
      await token({ roles: ['viewer'] }),
    ]) {
      const res = await call(`${base}/users`, { headers: { authorization, origin: ORIGIN } });
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    }
  });

  it('GIVEN a token of an issuer whose keys cannot be fetched WHEN called THEN 500 (the authorizer throws; nothing is cached as a deny)', async () => {
    const res = await call(`${base}/users`, {
      headers: { authorization: `Bearer ${await signToken(key, { iss: DOWN_ISSUER, aud: 'shop-api', sub: 'alice', roles: ['admin'] })}` },
    });
    expect(res.status).toBe(500);
  });
});

/** An issuer whose JWKS URL refuses connections. */
const DOWN_ISSUER = 'https://down.example.com/';

/** An HTTP API whose route needs a role, which the native JWT authorizer cannot check: the planner picks the Lambda authorizer. */
function lambdaAuthorizerConfig(issuer: string): Record<string, unknown> {
  return {
    services: { users: { url: 'https://users.internal.example.com' } },
    gateways: {
      api: {
        flavor: 'http',
        cors: { origins: [ORIGIN] },
        auth: {
          jwt: {
            issuers: [
              { issuer, audience: ['shop-api'] },
              { issuer: DOWN_ISSUER, audience: ['shop-api'], jwksUri: 'http://127.0.0.1:9/jwks' },
            ],
            jwks: { timeoutMs: 10_000, cooldownSeconds: 0 },
          },
        },
        routes: [{ service: 'users', paths: ['/users'], methods: ['GET'], auth: { jwt: { roles: ['admin'] } } }],
      },
    },
  };
}
