// Proxy targets that are Lambda functions, invoked through the real @aws-sdk/client-lambda against a loopback Invoke API: events, results, breakers, retries, fallbacks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyConfig, ProxyTarget } from '../../../lambdas/contract/proxy-config';
import type { HttpApiEvent } from '../../../lambdas/shared/apigw/payload-v2';
import { createProxy } from '../../../lambdas/proxy/proxy';
import { lambdaTargetLabel, type LambdaInvokeTarget } from '../../../lambdas/contract/lambda-target';
import { startLambdaInvokeServer, useLambdaEndpoint, type LambdaInvokeServer } from '../shared/support/lambda-invoke-server';
import { bodyOf, headerOf, jsonOf, manualClock, proxyConfig, quietDeps, restEvent, TEST_BREAKER } from './support/events';

let server: LambdaInvokeServer;
let restoreEnv: () => void;

beforeAll(async () => {
  server = await startLambdaInvokeServer();
  restoreEnv = useLambdaEndpoint(server.endpoint);
});

afterAll(async () => {
  restoreEnv();
  await server.close();
});

function lambdaTarget(functionName: string, payload: '1.0' | '2.0' = '2.0', name = 'default'): ProxyTarget {
  const lambda: LambdaInvokeTarget = { functionName, payload };
  return { name, url: lambdaTargetLabel(lambda), lambda, weight: 1 };
}

function proxyFor(functionName: string, overrides: Partial<ProxyConfig> = {}, payload: '1.0' | '2.0' = '2.0') {
  const clock = manualClock();
  return { clock, proxy: createProxy(proxyConfig([lambdaTarget(functionName, payload)], overrides), { ...quietDeps(), now: clock.now }) };
}

const get = (path: string, options: Parameters<typeof restEvent>[0] = {}) =>
  restEvent({ pathParameters: { proxy: path.slice(1) }, ...options });
const post = (path: string) =>
  restEvent({ method: 'POST', pathParameters: { proxy: path.slice(1) }, headers: { 'content-type': 'application/json' }, body: '{"n":1}' });

/** Retries on the statuses a failed invoke answers, with tiny backoff. */
const RETRY = { retries: 2, baseDelayMs: 1, maxDelayMs: 5, retryOnStatuses: [502, 503, 504] };
const FALLBACK = { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"orders":[],"stale":true}' };

describe('GIVEN a proxy whose target is a payload 1.0 function', () => {
  it('WHEN a client calls THEN the function gets the upstream path, query, forwarded headers and verified identity, and the client its answer', async () => {
    server.script('orders-v1', {
      kind: 'run',
      handler: () => ({
        statusCode: 201,
        headers: { 'Content-Type': 'application/json' },
        multiValueHeaders: { 'X-Trace': ['a', 'b'] },
        body: '{"ok":true}',
      }),
    });
    const { proxy } = proxyFor('orders-v1', {}, '1.0');
    const result = await proxy(
      get('/42', {
        query: { expand: ['items', 'notes'] },
        headers: { 'x-correlation-id': 'corr-1', 'x-user-id': 'spoofed', 'user-agent': 'curl/8' },
        authorizer: { sub: 'user-1', roles: 'admin', scopes: 'orders:read', clientId: 'web', email: 'not@forwarded' },
        requestId: 'gw-7',
      }),
    );
    expect(result.statusCode).toBe(201);
    expect(jsonOf(result)).toEqual({ ok: true });
    expect(headerOf(result, 'x-trace')).toEqual(['a', 'b']);
    const [invocation] = server.invocations('orders-v1');
    expect(invocation?.event).toMatchObject({
      version: '1.0',
      httpMethod: 'GET',
      path: '/42',
      multiValueQueryStringParameters: { expand: ['items', 'notes'] },
      requestContext: {
        requestId: 'gw-7',
        identity: { sourceIp: '203.0.113.7', userAgent: 'curl/8' },
        authorizer: { sub: 'user-1', roles: 'admin', scopes: 'orders:read', clientId: 'web', principalId: 'user-1' },
      },
    });
    const headers = invocation?.event.multiValueHeaders as Record<string, string[]>;
    expect(headers['x-correlation-id']).toEqual(['corr-1']);
    expect(headers['x-gateway-request-id']).toEqual(['gw-7']);
    expect(headers['x-user-id']).toEqual(['user-1']);
    expect(headers['x-forwarded-for']).toEqual(['203.0.113.7']);
    expect(JSON.stringify(invocation?.event)).not.toContain('not@forwarded');
  });

  it('WHEN the caller is not verified THEN the event carries no authorizer identity and no identity headers', async () => {
    server.script('anon-v1', { kind: 'run', handler: () => ({ statusCode: 200, body: '' }) });
    const { proxy } = proxyFor('anon-v1', {}, '1.0');
    await proxy(get('/1', { headers: { 'x-user-id': 'spoofed' } }));
    const event = server.invocations('anon-v1')[0]?.event;
    expect((event?.requestContext as { authorizer: unknown }).authorizer).toBeNull();
    expect(event?.multiValueHeaders).not.toHaveProperty('x-user-id');
  });

  it('WHEN the function answers an image base64-encoded THEN the client gets the same bytes, base64 in the proxy result', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff]);
    server.script('image-v1', {
      kind: 'run',
      handler: () => ({ statusCode: 200, headers: { 'content-type': 'image/png' }, body: png.toString('base64'), isBase64Encoded: true }),
    });
    const { proxy } = proxyFor('image-v1', {}, '1.0');
    const result = await proxy(get('/logo.png'));
    expect(result.isBase64Encoded).toBe(true);
    expect(bodyOf(result)).toEqual(png);
  });

  it('WHEN the client POSTs a binary body THEN the function receives it base64, byte for byte', async () => {
    server.script('upload-v1', { kind: 'run', handler: () => ({ statusCode: 204 }) });
    const { proxy } = proxyFor('upload-v1', {}, '1.0');
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x10]);
    await proxy(
      restEvent({
        method: 'POST',
        pathParameters: { proxy: 'upload' },
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
        base64: true,
      }),
    );
    const event = server.invocations('upload-v1')[0]?.event;
    expect(event?.isBase64Encoded).toBe(true);
    expect(Buffer.from(event?.body as string, 'base64')).toEqual(bytes);
  });
});

describe('GIVEN a proxy whose target is a payload 2.0 function', () => {
  it("WHEN the function sets cookies THEN the client gets each as Set-Cookie, and the function saw the client's cookies in `cookies`", async () => {
    server.script('login-v2', {
      kind: 'run',
      handler: () => ({ statusCode: 200, cookies: ['session=abc; HttpOnly', 'theme=dark'], body: 'welcome' }),
    });
    const { proxy } = proxyFor('login-v2');
    const result = await proxy(get('/login', { headers: { cookie: 'old=1; other=2' } }));
    expect(headerOf(result, 'set-cookie')).toEqual(['session=abc; HttpOnly', 'theme=dark']);
    expect(bodyOf(result).toString()).toBe('welcome');
    expect(server.invocations('login-v2')[0]?.event).toMatchObject({ version: '2.0', rawPath: '/login', cookies: ['old=1', 'other=2'] });
  });

  it('WHEN the function returns a bare JSON value THEN the client gets it as a 200 application/json', async () => {
    server.script('simple-v2', { kind: 'run', handler: () => ({ orders: [1, 2, 3] }) });
    const { proxy } = proxyFor('simple-v2');
    const result = await proxy(get('/'));
    expect(result.statusCode).toBe(200);
    expect(headerOf(result, 'content-type')).toEqual(['application/json']);
    expect(jsonOf(result)).toEqual({ orders: [1, 2, 3] });
  });
});

describe('GIVEN a proxy behind an HTTP API (payload 2.0 in) whose target is a payload 2.0 function', () => {
  it("WHEN a JWT-verified client calls with cookies THEN the function sees them and the token's identity, and its cookies come back as 2.0 cookies", async () => {
    server.script('http-api-v2', {
      kind: 'run',
      handler: () => ({ statusCode: 200, cookies: ['s=2'], headers: { 'content-type': 'application/json' }, body: '{"ok":1}' }),
    });
    const { proxy } = proxyFor('http-api-v2');
    const event = {
      version: '2.0',
      routeKey: 'ANY /api/orders/{proxy+}',
      rawPath: '/api/orders/7',
      rawQueryString: 'q=1',
      cookies: ['a=1', 'b=2'],
      headers: { accept: 'application/json', 'user-agent': 'app/1' },
      pathParameters: { proxy: '7' },
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'GET', path: '/api/orders/7', protocol: 'HTTP/1.1', sourceIp: '198.51.100.4', userAgent: 'app/1' },
        requestId: 'req-h2',
        routeKey: 'ANY /api/orders/{proxy+}',
        stage: '$default',
        authorizer: { jwt: { claims: { sub: 'user-9', scope: 'orders:read', client_id: 'mobile' }, scopes: null } },
      },
    } as unknown as HttpApiEvent;
    const result = await proxy(event);
    expect(result.statusCode).toBe(200);
    expect(result.cookies).toEqual(['s=2']);
    expect(result.body).toBe('{"ok":1}');
    expect(server.invocations('http-api-v2')[0]?.event).toMatchObject({
      rawPath: '/7',
      rawQueryString: 'q=1',
      cookies: ['a=1', 'b=2'],
      requestContext: {
        requestId: 'req-h2',
        http: { sourceIp: '198.51.100.4', userAgent: 'app/1' },
        authorizer: { lambda: { sub: 'user-9', scopes: 'orders:read', clientId: 'mobile' } },
      },
    });
  });
});

describe('GIVEN a function that fails', () => {
  it('WHEN it throws THEN the client gets a 502 function_error, never its message', async () => {
    server.script('throws', { kind: 'function-error', errorMessage: 'db password is hunter2' });
    const { proxy } = proxyFor('throws');
    const result = await proxy(get('/1'));
    expect(result.statusCode).toBe(502);
    expect(jsonOf(result).code).toBe('function_error');
    expect(result.body).not.toContain('hunter2');
  });

  it('WHEN it throws and a fallback is configured THEN the client gets the fallback marked degraded', async () => {
    server.script('throws-fb', { kind: 'function-error' });
    const { proxy } = proxyFor('throws-fb', { fallback: FALLBACK });
    const result = await proxy(get('/1'));
    expect(result.statusCode).toBe(200);
    expect(jsonOf(result)).toEqual({ orders: [], stale: true });
    expect(headerOf(result, 'x-gatehouse-degraded')).toEqual(['fallback']);
  });

  it('WHEN a GET succeeded and the function later fails THEN the last good copy is served', async () => {
    server.script(
      'flaky-lg',
      {
        kind: 'run',
        handler: () => ({
          statusCode: 200,
          headers: { 'content-type': 'application/json', 'cache-control': 'max-age=60' },
          body: '{"v":1}',
        }),
      },
      { kind: 'function-error' },
    );
    const { proxy, clock } = proxyFor('flaky-lg', {
      lastGood: { ttlSeconds: 60, maxEntries: 10, maxBodyBytes: 1024, varyHeaders: [], sharedAnswers: false },
    });
    expect((await proxy(get('/lg'))).statusCode).toBe(200);
    clock.advance(5_000);
    const result = await proxy(get('/lg'));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result).toString()).toBe('{"v":1}');
    expect(headerOf(result, 'x-gatehouse-degraded')).toEqual(['last-good']);
  });

  it("WHEN it throws on a GET with retries THEN the proxy invokes it again, up to the policy's attempts", async () => {
    server.script('throws-get', { kind: 'function-error' });
    const { proxy } = proxyFor('throws-get', { retry: RETRY });
    const result = await proxy(get('/1'));
    expect(result.statusCode).toBe(502);
    expect(server.invocations('throws-get')).toHaveLength(3);
  });

  it("WHEN it throws and then answers THEN the retry's answer reaches the client", async () => {
    server.script('recovers', { kind: 'function-error' }, { kind: 'run', handler: () => ({ statusCode: 200, body: 'second time lucky' }) });
    const { proxy } = proxyFor('recovers', { retry: RETRY });
    const result = await proxy(get('/1'));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result).toString()).toBe('second time lucky');
    expect(server.invocations('recovers')).toHaveLength(2);
  });

  it('WHEN it throws on a POST THEN it is invoked once: a POST is never retried', async () => {
    server.script('throws-post', { kind: 'function-error' });
    const { proxy } = proxyFor('throws-post', { retry: RETRY });
    const result = await proxy(post('/orders'));
    expect(result.statusCode).toBe(502);
    expect(server.invocations('throws-post')).toHaveLength(1);
  });

  it('WHEN it runs past the attempt timeout THEN the client gets a 504 upstream_timeout', async () => {
    server.script('hangs', { kind: 'hang' });
    const { proxy } = proxyFor('hangs', { timeoutMs: 200, deadlineMs: 5000 });
    const result = await proxy(get('/1'));
    expect(result.statusCode).toBe(504);
    expect(jsonOf(result).code).toBe('upstream_timeout');
  });

  it('WHEN it hangs on a POST with retries THEN it is invoked once and the client gets 504', async () => {
    server.script('hangs-post', { kind: 'hang' });
    const { proxy } = proxyFor('hangs-post', { timeoutMs: 200, deadlineMs: 5000, retry: RETRY });
    const result = await proxy(post('/orders'));
    expect(result.statusCode).toBe(504);
    expect(server.invocations('hangs-post')).toHaveLength(1);
  });
});

describe('GIVEN a function that Lambda throttles (429)', () => {
  it("WHEN a GET is throttled with retries THEN it is retried as a 503 and the client gets the 503 with Lambda's Retry-After", async () => {
    server.script('throttled-get', { kind: 'throttle', retryAfterSeconds: 3 });
    const { proxy } = proxyFor('throttled-get', { retry: RETRY });
    const result = await proxy(get('/1'));
    expect(result.statusCode).toBe(503);
    expect(jsonOf(result).code).toBe('function_throttled');
    expect(headerOf(result, 'retry-after')).toEqual(['3']);
    expect(server.invocations('throttled-get')).toHaveLength(3);
  });

  it('WHEN a POST is throttled THEN it is not retried', async () => {
    server.script('throttled-post', { kind: 'throttle' });
    const { proxy } = proxyFor('throttled-post', { retry: RETRY });
    expect((await proxy(post('/orders'))).statusCode).toBe(503);
    expect(server.invocations('throttled-post')).toHaveLength(1);
  });

  it("WHEN throttles fill the breaker's window THEN the circuit opens and the next request is refused without an invoke", async () => {
    server.script('throttled-cb', { kind: 'throttle' });
    const { proxy } = proxyFor('throttled-cb', { circuitBreaker: TEST_BREAKER });
    for (let i = 0; i < TEST_BREAKER.minimumRequests; i += 1) expect((await proxy(get('/1'))).statusCode).toBe(503);
    const refused = await proxy(get('/1'));
    expect(refused.statusCode).toBe(503);
    expect(jsonOf(refused).code).toBe('circuit_open');
    expect(server.invocations('throttled-cb')).toHaveLength(TEST_BREAKER.minimumRequests);
  });

  it("WHEN function errors fill the breaker's window and a fallback is set THEN the open circuit serves the fallback", async () => {
    server.script('errors-cb', { kind: 'function-error' });
    const { proxy } = proxyFor('errors-cb', { circuitBreaker: TEST_BREAKER, fallback: FALLBACK });
    for (let i = 0; i < TEST_BREAKER.minimumRequests; i += 1) await proxy(get('/1'));
    const result = await proxy(get('/1'));
    expect(headerOf(result, 'x-gatehouse-degraded')).toEqual(['fallback']);
    expect(server.invocations('errors-cb')).toHaveLength(TEST_BREAKER.minimumRequests);
  });
});

describe('GIVEN a baked config with a Lambda target', () => {
  const config = (target: Partial<ProxyTarget>) => proxyConfig([{ ...lambdaTarget('fn'), ...target } as ProxyTarget]);

  it('WHEN it is well formed (name, name:alias, ARN) THEN the proxy accepts it', () => {
    for (const functionName of ['fn', 'fn:live', 'arn:aws:lambda:eu-west-1:123456789012:function:fn:3', '123456789012:function:fn']) {
      const lambda = { functionName, payload: '1.0' } as const;
      expect(() => createProxy(config({ lambda, url: lambdaTargetLabel(lambda) }), quietDeps()), functionName).not.toThrow();
    }
  });

  it('WHEN the function name is malformed THEN init fails naming lambda.functionName', () => {
    for (const functionName of ['', 'has space', 'a'.repeat(171), 'arn:aws:s3:::bucket']) {
      const lambda = { functionName, payload: '2.0' } as const;
      expect(() => createProxy(config({ lambda, url: `lambda:${functionName}` }), quietDeps()), functionName).toThrow(
        /targets\.default\.lambda\.functionName/,
      );
    }
  });

  it('WHEN the payload is not 1.0 or 2.0 THEN init fails naming lambda.payload', () => {
    expect(() => createProxy(config({ lambda: { functionName: 'fn', payload: '3.0' as '2.0' } }), quietDeps())).toThrow(
      /lambda\.payload must be "1\.0" or "2\.0"/,
    );
  });

  it('WHEN the url is not the label THEN init fails showing the expected label', () => {
    expect(() => createProxy(config({ url: 'https://fn.example.com' }), quietDeps())).toThrow(
      /url of a Lambda target must be its label "lambda:fn"/,
    );
  });

  it('WHEN a url is a lambda: label without a lambda field THEN init fails saying what is missing', () => {
    expect(() => createProxy(proxyConfig('lambda:fn'), quietDeps())).toThrow(/is a Lambda label, but the target has no lambda field/);
  });
});
