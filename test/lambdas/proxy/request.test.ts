// What reaches the upstream: path mapping, query, body bytes, and the headers the gateway adds, drops or refuses to trust.
import { Logger } from '@aws-lambda-powertools/logger';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxy } from '../../../lambdas/proxy/proxy';
import { LAMBDA_PAYLOAD_LIMIT_BYTES } from '../../../lambdas/shared/http-client';
import { startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { bodyOf, echoOf, jsonOf, proxyConfig, quietDeps, restEvent } from './support/events';

let upstream: UpstreamServer;

beforeAll(async () => {
  upstream = await startUpstream();
});

afterAll(async () => {
  await upstream.close();
});

describe('GIVEN a proxy route with stripPath', () => {
  const proxy = () => createProxy(proxyConfig(upstream.url('/v1')), quietDeps());

  it('WHEN a greedy path is called THEN the prefix is stripped and the rest appended to the target base path', async () => {
    const result = await proxy()(restEvent({ pathParameters: { proxy: '42/items/7' } }));
    expect(result.statusCode).toBe(200);
    expect(echoOf(result).url).toBe('/v1/42/items/7');
  });

  it('WHEN the route itself is called THEN the upstream gets its base path', async () => {
    const result = await proxy()(restEvent({ resource: '/api/orders', pathParameters: null }));
    expect(echoOf(result).url).toBe('/v1/');
  });

  it('WHEN a segment holds spaces, unicode and reserved characters THEN it reaches the upstream percent-encoded', async () => {
    const result = await proxy()(restEvent({ pathParameters: { proxy: 'a b/é?#/x:y@z' } }));
    expect(echoOf(result).url).toBe('/v1/a%20b/%C3%A9%3F%23/x:y@z');
  });

  it('WHEN the query repeats a name THEN every value is forwarded, encoded, in order', async () => {
    const result = await proxy()(restEvent({ query: { tag: ['a', 'b c'], 'q&x': ['1=2'] } }));
    expect(echoOf(result).url).toBe('/v1/42?tag=a&tag=b%20c&q%26x=1%3D2');
  });

  it('WHEN the method and resource have no route THEN the proxy answers 502 route_not_configured', async () => {
    const result = await proxy()(restEvent({ resource: '/other/{proxy+}' }));
    expect(result.statusCode).toBe(502);
    expect(jsonOf(result)).toMatchObject({ code: 'route_not_configured' });
  });
});

describe('GIVEN a route without stripPath and a path rewrite', () => {
  const config = () =>
    proxyConfig(upstream.origin, {
      routes: {
        'GET /api/orders/{proxy+}': { prefix: '/api/orders', stripPath: false },
        'ANY /api/orders/{proxy+}': { prefix: '/api/orders', stripPath: true },
      },
      transform: { request: { path: [{ match: '/api/orders/{id}/lines', to: '/order-lines/{id}' }] } },
    });

  it('WHEN a GET matches the METHOD route THEN the full client path is forwarded', async () => {
    const result = await createProxy(config(), quietDeps())(restEvent({ pathParameters: { proxy: '9' } }));
    expect(echoOf(result).url).toBe('/api/orders/9');
  });

  it('WHEN a DELETE falls back to the ANY route THEN its stripPath applies', async () => {
    const result = await createProxy(config(), quietDeps())(restEvent({ method: 'DELETE', pathParameters: { proxy: '9' } }));
    expect(echoOf(result)).toMatchObject({ method: 'DELETE', url: '/9' });
  });

  it('WHEN the path matches a rewrite THEN the rewrite wins over the route', async () => {
    const result = await createProxy(config(), quietDeps())(restEvent({ pathParameters: { proxy: '9/lines' } }));
    expect(echoOf(result).url).toBe('/order-lines/9');
  });

  it('WHEN a rewritten segment would climb directories THEN the proxy answers 400 unsafe_path before any rewrite, without calling the upstream', async () => {
    const before = upstream.hits('/order-lines/..');
    const result = await createProxy(config(), quietDeps())(restEvent({ pathParameters: { proxy: '../lines' } }));
    expect(result.statusCode).toBe(400);
    expect(jsonOf(result).code).toBe('unsafe_path');
    expect(upstream.hits('/order-lines/..')).toBe(before);
  });

  it('WHEN a captured segment holds a separator THEN the rewrite itself refuses it (400 path_traversal)', async () => {
    const result = await createProxy(config(), quietDeps())(restEvent({ pathParameters: { proxy: 'a\\b/lines' } }));
    expect(result.statusCode).toBe(400);
    expect(jsonOf(result).code).toBe('path_traversal');
  });
});

describe('GIVEN request bodies', () => {
  const proxy = () => createProxy(proxyConfig(upstream.origin), quietDeps());

  it('WHEN 64 KiB of random bytes arrive base64-encoded THEN the upstream receives the same bytes', async () => {
    const bytes = randomBytes(64 * 1024);
    upstream.script('/binary-in', { kind: 'echo-body' });
    const result = await proxy()(
      restEvent({
        method: 'POST',
        pathParameters: { proxy: 'binary-in' },
        body: bytes,
        base64: true,
        headers: { 'Content-Type': 'application/octet-stream' },
      }),
    );
    expect(upstream.received('/binary-in').at(-1)?.body?.equals(bytes)).toBe(true);
    expect(result.isBase64Encoded).toBe(true);
    expect(bodyOf(result).equals(bytes)).toBe(true);
  });

  it('WHEN a text body arrives THEN it is forwarded as UTF-8 with its own Content-Length', async () => {
    const result = await proxy()(
      restEvent({ method: 'POST', body: '{"name":"café"}', headers: { 'Content-Type': 'application/json', 'Content-Length': '3' } }),
    );
    const echo = echoOf(result);
    expect(Buffer.from(echo.body, 'base64').toString('utf8')).toBe('{"name":"café"}');
    expect(echo.headers['content-length']).toEqual([String(Buffer.byteLength('{"name":"café"}'))]);
  });

  it('WHEN the decoded body exceeds 6 MB THEN the proxy answers 413 payload_too_large without calling the upstream', async () => {
    upstream.script('/too-big', { kind: 'echo' });
    const result = await proxy()(
      restEvent({
        method: 'POST',
        pathParameters: { proxy: 'too-big' },
        body: Buffer.alloc(LAMBDA_PAYLOAD_LIMIT_BYTES + 1, 1),
        base64: true,
      }),
    );
    expect(result.statusCode).toBe(413);
    expect(jsonOf(result)).toEqual({ message: expect.stringContaining('6291457 bytes'), code: 'payload_too_large' });
    expect(upstream.hits('/too-big')).toBe(0);
  });
});

describe('GIVEN the headers the gateway manages', () => {
  const proxy = () => createProxy(proxyConfig(upstream.origin), quietDeps());

  it('WHEN the client sends hop-by-hop headers and a Host THEN none reaches the upstream and Host names the target', async () => {
    const result = await proxy()(
      restEvent({
        headers: {
          Connection: 'keep-alive, X-Secret-Hop',
          'X-Secret-Hop': '1',
          'Keep-Alive': 'timeout=5',
          TE: 'trailers',
          Upgrade: 'h2c',
          'Proxy-Authorization': 'x',
          Host: 'api.example.com',
          'X-Kept': 'yes',
        },
      }),
    );
    const { headers } = echoOf(result);
    for (const name of ['x-secret-hop', 'keep-alive', 'te', 'upgrade', 'proxy-authorization']) expect(headers[name]).toBeUndefined();
    expect(headers.host).toEqual([`127.0.0.1:${upstream.port}`]);
    expect(headers['x-kept']).toEqual(['yes']);
  });

  it('WHEN the client sends no correlation id THEN it is set to the request id, and the gateway request id is always set', async () => {
    const { headers } = echoOf(await proxy()(restEvent({ requestId: 'gw-1', headers: { 'X-Gateway-Request-Id': 'forged' } })));
    expect(headers['x-correlation-id']).toEqual(['gw-1']);
    expect(headers['x-gateway-request-id']).toEqual(['gw-1']);
  });

  it('WHEN the client sends a correlation id THEN it is kept', async () => {
    const { headers } = echoOf(await proxy()(restEvent({ requestId: 'gw-2', headers: { 'x-correlation-id': 'client-7' } })));
    expect(headers['x-correlation-id']).toEqual(['client-7']);
  });

  it('WHEN the authorizer verified a JWT THEN the identity headers come from its context, replacing client copies', async () => {
    const authorizer = { sub: 'user-1', roles: 'admin,ops', scopes: 'orders:read orders:write', clientId: 'web', principalId: 'user-1' };
    const { headers } = echoOf(await proxy()(restEvent({ authorizer, headers: { 'X-User-Id': 'someone-else' } })));
    expect(headers['x-user-id']).toEqual(['user-1']);
    expect(headers['x-user-roles']).toEqual(['admin,ops']);
    expect(headers['x-user-scopes']).toEqual(['orders:read orders:write']);
    expect(headers['x-client-id']).toEqual(['web']);
  });

  it('WHEN no JWT authorized the request THEN client-sent identity headers are removed', async () => {
    const spoofed = { 'X-User-Id': 'admin', 'x-user-roles': 'admin', 'X-User-Scopes': 'all', 'X-Client-Id': 'root' };
    const { headers } = echoOf(await proxy()(restEvent({ authorizer: { principalId: 'api-key-user' }, headers: spoofed })));
    for (const name of ['x-user-id', 'x-user-roles', 'x-user-scopes', 'x-client-id']) expect(headers[name]).toBeUndefined();
  });

  it('WHEN the request passes through THEN X-Forwarded-For ends with the source IP once and X-Forwarded-Proto is https', async () => {
    const appended = echoOf(
      await proxy()(restEvent({ sourceIp: '198.51.100.4', headers: { 'X-Forwarded-For': '10.0.0.1', 'X-Forwarded-Proto': 'http' } })),
    ).headers;
    expect(appended['x-forwarded-for']).toEqual(['10.0.0.1, 198.51.100.4']);
    expect(appended['x-forwarded-proto']).toEqual(['https']);
    const already = echoOf(
      await proxy()(restEvent({ sourceIp: '198.51.100.4', headers: { 'X-Forwarded-For': '10.0.0.1, 198.51.100.4' } })),
    ).headers;
    expect(already['x-forwarded-for']).toEqual(['10.0.0.1, 198.51.100.4']);
  });

  it('WHEN the client sends its own X-Forwarded-Host and Forwarded THEN the upstream gets the host the client reached and one Forwarded element from the gateway', async () => {
    const spoofed = {
      Host: 'api.example.com',
      'X-Forwarded-Host': 'admin.internal',
      Forwarded: 'for=127.0.0.1;host=admin.internal;proto=http',
    };
    const { headers } = echoOf(await proxy()(restEvent({ sourceIp: '198.51.100.4', headers: spoofed })));
    expect(headers['x-forwarded-host']).toEqual(['api.example.com']);
    expect(headers.forwarded).toEqual(['for=198.51.100.4;host=api.example.com;proto=https']);
    const v6 = echoOf(await proxy()(restEvent({ sourceIp: '2001:db8::1', headers: { 'X-Forwarded-Host': 'admin.internal' } }))).headers;
    expect(v6['x-forwarded-host']).toBeUndefined();
    expect(v6.forwarded).toEqual(['for="[2001:db8::1]";proto=https']);
  });

  it('WHEN a header value is outside Latin-1 THEN it is left out (logged by name), the rest is forwarded, and nothing counts as an internal error', async () => {
    const lines: { level: string; message: string; extra: Record<string, unknown> }[] = [];
    const logger = new Logger({ logLevel: 'SILENT' });
    const record = (level: string) =>
      ((message: unknown, ...extra: unknown[]) =>
        void lines.push({ level, message: String(message), extra: (extra[0] ?? {}) as Record<string, unknown> })) as Logger['warn'];
    logger.warn = record('warn');
    logger.error = record('error');
    const result = await createProxy(proxyConfig(upstream.url('/v1')), { ...quietDeps(), logger })(
      restEvent({ headers: { 'X-Name': '日本', 'X-Latin': 'café', 'X-Correlation-Id': 'ü-日', 'X-Ok': 'yes' }, requestId: 'req-latin' }),
    );
    expect(result.statusCode).toBe(200);
    const { headers } = echoOf(result);
    expect(headers['x-name']).toBeUndefined();
    expect(headers['x-ok']).toEqual(['yes']);
    expect(Buffer.from(headers['x-latin']![0]!, 'latin1').toString('latin1')).toBe('café');
    expect(headers['x-correlation-id']).toEqual(['req-latin']); // an unusable correlation id is replaced, as a missing one is
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.extra.headers)).toEqual([['x-name']]);
  });

  it('WHEN a header is sent several times THEN every value reaches the upstream', async () => {
    const { headers } = echoOf(await proxy()(restEvent({ headers: { 'X-Multi': ['one', 'two'] } })));
    expect(headers['x-multi']).toEqual(['one', 'two']);
  });

  it('WHEN a request transform is configured THEN it applies after the gateway headers', async () => {
    const transformed = createProxy(
      proxyConfig(upstream.origin, {
        transform: { request: { set: { headers: { 'x-source': 'gatehouse' } }, remove: { querystring: ['debug'] } } },
      }),
      quietDeps(),
    );
    const echo = echoOf(await transformed(restEvent({ query: { debug: ['1'], keep: ['2'] } })));
    expect(echo.headers['x-source']).toEqual(['gatehouse']);
    expect(echo.url).toBe('/42?keep=2');
  });
});
