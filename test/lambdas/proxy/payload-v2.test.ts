// The proxy behind an HTTP API: payload format 2.0 events in (rawPath, rawQueryString, cookies, JWT claims), 2.0 results out.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApiEvent } from '../../../lambdas/shared/apigw/payload-v2';
import { createProxy } from '../../../lambdas/proxy/proxy';
import { startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { proxyConfig, quietDeps, type Echo } from './support/events';

let upstream: UpstreamServer;

beforeAll(async () => {
  upstream = await startUpstream();
});

afterAll(async () => {
  await upstream.close();
});

/** An event as an HTTP API builds it for route `ANY /api/orders/{proxy+}`. */
function httpEvent(overrides: Partial<HttpApiEvent> & { method?: string; claims?: Record<string, unknown> } = {}): HttpApiEvent {
  const { method = 'GET', claims, ...rest } = overrides;
  return {
    version: '2.0',
    routeKey: 'ANY /api/orders/{proxy+}',
    rawPath: '/api/orders/42',
    rawQueryString: 'tag=a&tag=b%20c',
    cookies: ['session=abc', 'theme=dark'],
    headers: { 'x-request-id': 'corr-1', accept: 'application/json, text/plain' },
    queryStringParameters: { tag: 'a,b c' },
    pathParameters: { proxy: '42' },
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path: '/api/orders/42', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
      requestId: 'req-v2',
      routeKey: 'ANY /api/orders/{proxy+}',
      stage: '$default',
      time: '',
      timeEpoch: 0,
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
    ...rest,
  } as HttpApiEvent;
}

const echoOf = (r: APIGatewayProxyStructuredResultV2) => JSON.parse(r.body ?? '') as Echo;

describe('GIVEN the proxy behind an HTTP API (payload 2.0)', () => {
  const proxy = () => createProxy(proxyConfig(upstream.url('/v1')), quietDeps());

  it('WHEN a greedy route is called THEN the route key finds the baked route and the stripped path reaches the upstream with every query value', async () => {
    const result = await proxy()(httpEvent());
    expect(result.statusCode).toBe(200);
    expect(echoOf(result).url).toBe('/v1/42?tag=a&tag=b%20c');
  });

  it('WHEN the client sends cookies THEN the upstream gets them in one Cookie header', async () => {
    const echo = echoOf(await proxy()(httpEvent()));
    expect(echo.headers.cookie).toEqual(['session=abc; theme=dark']);
    expect(echo.headers['x-request-id']).toEqual(['corr-1']);
  });

  it('WHEN the upstream sets several cookies THEN the 2.0 result carries them in cookies and the other headers as strings', async () => {
    upstream.script('/v1/cookies', {
      kind: 'respond',
      status: 201,
      headers: { 'set-cookie': ['a=1; Path=/', 'b=2; Path=/'], 'content-type': 'text/plain' },
      body: 'ok',
    });
    const result = await proxy()(httpEvent({ rawPath: '/api/orders/cookies', pathParameters: { proxy: 'cookies' } }));
    expect(result.statusCode).toBe(201);
    expect(result.cookies).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(result.headers?.['content-type']).toBe('text/plain');
    expect(result.headers).not.toHaveProperty('set-cookie');
    expect(result.isBase64Encoded).toBe(false);
    expect(result.body).toBe('ok');
  });

  it("WHEN the native JWT authorizer verified the caller THEN the identity headers come from its claims and the client's own are dropped", async () => {
    const result = await proxy()(
      httpEvent({ claims: { sub: 'user-1', scope: 'orders:read', client_id: 'web' }, headers: { 'x-user-id': 'spoofed' } }),
    );
    const echo = echoOf(result);
    expect(echo.headers['x-user-id']).toEqual(['user-1']);
    expect(echo.headers['x-user-scopes']).toEqual(['orders:read']);
    expect(echo.headers['x-client-id']).toEqual(['web']);
  });

  it('WHEN the Gatehouse Lambda authorizer allowed the call THEN its context (roles included) becomes the identity headers', async () => {
    const event = httpEvent();
    const withLambda = {
      ...event,
      requestContext: {
        ...event.requestContext,
        authorizer: { lambda: { sub: 'user-3', roles: 'admin,ops', scopes: 'a b', clientId: 'cli' } },
      },
    } as HttpApiEvent;
    const echo = echoOf(await proxy()(withLambda));
    expect(echo.headers['x-user-id']).toEqual(['user-3']);
    expect(echo.headers['x-user-roles']).toEqual(['admin,ops']);
  });

  it('WHEN the upstream answers binary THEN the 2.0 result carries it base64-encoded', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251]);
    upstream.script('/v1/bin', { kind: 'respond', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    const result = await proxy()(httpEvent({ rawPath: '/api/orders/bin', pathParameters: { proxy: 'bin' } }));
    expect(result.isBase64Encoded).toBe(true);
    expect(Buffer.from(result.body ?? '', 'base64')).toEqual(bytes);
  });

  it('WHEN the client posts a base64 body THEN the upstream gets the bytes', async () => {
    const result = await proxy()(httpEvent({ method: 'POST', body: Buffer.from('héllo').toString('base64'), isBase64Encoded: true }));
    const echo = echoOf(result);
    expect(echo.method).toBe('POST');
    expect(Buffer.from(echo.body, 'base64').toString('utf8')).toBe('héllo');
  });

  it('WHEN no route matches the route key THEN the proxy answers its own 502 as a 2.0 result', async () => {
    const result = await proxy()(httpEvent({ routeKey: 'ANY /other/{proxy+}' }));
    expect(result.statusCode).toBe(502);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ code: 'route_not_configured' });
    expect(result.headers?.['content-type']).toBe('application/json');
  });
});
