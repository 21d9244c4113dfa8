// Templated route paths in the proxy (`/api/users/{id}`): matching, stripPath of the matched prefix, and `{path.id}` in rewrites and transforms, against a real upstream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyConfig, ProxyRoute } from '../../../lambdas/contract/proxy-config';
import type { HttpApiEvent } from '../../../lambdas/shared/apigw/payload-v2';
import { createProxy } from '../../../lambdas/proxy/proxy';
import { startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { echoOf, jsonOf, proxyConfig, quietDeps, restEvent } from './support/events';

let upstream: UpstreamServer;

beforeAll(async () => {
  upstream = await startUpstream();
});

afterAll(async () => {
  await upstream.close();
});

const USERS = '/api/users/{id}';

/** Routes as the planner bakes them for `/api/users/{id}`: the path and its greedy child. */
function usersRoutes(stripPath: boolean): Record<string, ProxyRoute> {
  return {
    [`ANY ${USERS}`]: { prefix: USERS, stripPath },
    [`ANY ${USERS}/{proxy+}`]: { prefix: USERS, stripPath },
  };
}

const proxyOf = (overrides: Partial<ProxyConfig> = {}, base = '/v1') =>
  createProxy(proxyConfig(upstream.url(base), { routes: usersRoutes(true), ...overrides }), quietDeps());

/** A REST event for the greedy child: `/api/users/<id>/<rest>`, parameters as API Gateway decodes them. */
const below = (id: string, rest: string, extra: Parameters<typeof restEvent>[0] = {}) =>
  restEvent({ resource: `${USERS}/{proxy+}`, pathParameters: { id, proxy: rest }, ...extra });

describe('GIVEN a route on /api/users/{id} with stripPath', () => {
  it('WHEN /api/users/7/keys is called THEN the matched /api/users/7 is stripped and /keys appended to the target', async () => {
    const result = await proxyOf()(below('7', 'keys'));
    expect(result.statusCode).toBe(200);
    expect(echoOf(result).url).toBe('/v1/keys');
  });

  it('WHEN /api/users/7 itself is called THEN the upstream gets the target base path', async () => {
    const result = await proxyOf()(restEvent({ resource: USERS, pathParameters: { id: '7' } }));
    expect(echoOf(result).url).toBe('/v1/');
  });

  it('WHEN the id holds an encoded slash THEN it is stripped as one segment, never leaking into the upstream path', async () => {
    const result = await proxyOf()(below('a/b', 'keys'));
    expect(echoOf(result).url).toBe('/v1/keys');
  });

  it('WHEN the route does not strip THEN the whole client path is forwarded, the id re-encoded', async () => {
    const result = await proxyOf({ routes: usersRoutes(false) })(below('a b', 'keys'));
    expect(echoOf(result).url).toBe('/v1/api/users/a%20b/keys');
  });

  it('WHEN an HTTP API (payload 2.0) calls it THEN the same route strips the same way', async () => {
    const event = {
      version: '2.0',
      routeKey: `ANY ${USERS}/{proxy+}`,
      rawPath: '/api/users/7/keys/2',
      rawQueryString: '',
      headers: {},
      pathParameters: { id: '7', proxy: 'keys/2' },
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'GET', path: '/api/users/7/keys/2', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 't' },
        requestId: 'r2',
      },
    } as unknown as HttpApiEvent;
    const result = await proxyOf()(event);
    expect(result.statusCode).toBe(200);
    expect((JSON.parse(result.body ?? '') as { url: string }).url).toBe('/v1/keys/2');
  });
});

describe('GIVEN a route on a greedy template /files/{key+} with stripPath', () => {
  it('WHEN /files/a/b.txt is called THEN the whole matched path is stripped', async () => {
    const proxy = createProxy(
      proxyConfig(upstream.url('/store'), { routes: { 'GET /files/{key+}': { prefix: '/files/{key+}', stripPath: true } } }),
      quietDeps(),
    );
    const result = await proxy(restEvent({ resource: '/files/{key+}', pathParameters: { key: 'a/b.txt' } }));
    expect(echoOf(result).url).toBe('/store/');
  });
});

describe('GIVEN a rewrite using {path.id} of the route /api/users/{id}', () => {
  const proxy = () =>
    proxyOf(
      { transform: { request: { path: [{ match: '/api/users/{uid}/keys/{rest+}', to: '/accounts/{path.id}/credentials/{rest+}' }] } } },
      '',
    );

  it('WHEN /api/users/42/keys/k1 is called THEN the upstream path carries the parameter', async () => {
    expect(echoOf(await proxy()(below('42', 'keys/k1'))).url).toBe('/accounts/42/credentials/k1');
  });

  it.each([
    ['a/b', 'a%2Fb'],
    ['x y?z#', 'x%20y%3Fz%23'],
    ['ünï', '%C3%BCn%C3%AF'],
    ['..%2Fadmin', '..%252Fadmin'],
  ])('WHEN the decoded id is %j THEN it is URL-encoded into one segment (%s)', async (id, encoded) => {
    const result = await proxy()(below(id, 'keys/k1'));
    expect(result.statusCode).toBe(200);
    expect(echoOf(result).url).toBe(`/accounts/${encoded}/credentials/k1`);
  });

  it.each(['..', '.', 'a/..'])('WHEN the id is %j THEN the proxy answers 400 and the upstream is never called', async (id) => {
    const before = upstream.hits('/accounts/..') + upstream.hits('/accounts/.') + upstream.hits('/credentials/k1');
    const result = await proxy()(below(id, 'keys/k1'));
    expect(result.statusCode).toBe(400);
    expect(['unsafe_path', 'path_traversal']).toContain(jsonOf(result).code);
    expect(upstream.hits('/accounts/..') + upstream.hits('/accounts/.') + upstream.hits('/credentials/k1')).toBe(before);
  });

  it('WHEN the event has no pathParameters for id THEN the value comes from matching the path, decoded then re-encoded', async () => {
    const event = below('', 'keys/k1', { path: '/api/users/a%20b/keys/k1' });
    const result = await proxy()({ ...event, resource: `${USERS}/{proxy+}`, pathParameters: { proxy: 'keys/k1' } });
    expect(echoOf(result).url).toBe('/accounts/a%20b/credentials/k1');
  });
});

describe('GIVEN a request transform using {path.id} in a header, a query parameter and a JSON field', () => {
  const proxy = () =>
    proxyOf({
      transform: {
        request: {
          set: {
            headers: { 'X-User': '{path.id}' },
            querystring: { owner: 'user:{path.id}' },
            json: { owner: { id: '{path.id}', literal: '{query.x}' } },
          },
        },
      },
    });

  it('WHEN /api/users/a&b=c/keys is posted THEN each gets the decoded id, encoded only where the query string needs it', async () => {
    const result = await proxy()(
      below('a&b=c', 'keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"k"}' }),
    );
    expect(result.statusCode).toBe(200);
    const echo = echoOf(result);
    expect(echo.url).toBe('/v1/keys?owner=user%3Aa%26b%3Dc');
    expect(echo.headers['x-user']).toEqual(['a&b=c']);
    expect(JSON.parse(Buffer.from(echo.body, 'base64').toString('utf8'))).toEqual({
      name: 'k',
      owner: { id: 'a&b=c', literal: '{query.x}' },
    });
  });

  it('WHEN the id decodes to CR LF THEN no header is injected: the unsendable value is dropped', async () => {
    const result = await proxy()(below('x\r\nX-Injected: 1', 'keys'));
    expect(result.statusCode).toBe(200);
    expect(echoOf(result).headers['x-injected']).toBeUndefined();
    expect(echoOf(result).headers['x-user']).toBeUndefined();
  });
});

describe('GIVEN a rewrite or transform naming a parameter the route does not have', () => {
  it('WHEN called THEN the proxy answers 502 proxy_error (a config the planner refuses) and calls nothing', async () => {
    const proxy = proxyOf({ transform: { request: { set: { headers: { 'X-Org': '{path.org}' } } } } });
    const result = await proxy(below('7', 'never-sent'));
    expect(result.statusCode).toBe(502);
    expect(jsonOf(result).code).toBe('proxy_error');
    expect(upstream.hits('/v1/never-sent')).toBe(0);
  });
});

describe('GIVEN a baked route prefix that is not a template', () => {
  it('WHEN the proxy is built THEN it refuses at init, naming the route', () => {
    expect(() =>
      createProxy(proxyConfig(upstream.origin, { routes: { 'ANY /a/v{x}': { prefix: '/a/v{x}', stripPath: true } } }), quietDeps()),
    ).toThrow(/routes\["ANY \/a\/v\{x\}"\]\.prefix "\/a\/v\{x\}" segment 2 must be literal/);
  });
});

describe('GIVEN a bundle whose templated route prefix does not fit the resource it is keyed by', () => {
  it('WHEN called THEN the proxy answers 502 route_not_configured rather than guessing a path, and calls nothing', async () => {
    const proxy = createProxy(
      proxyConfig(upstream.origin, { routes: { 'ANY /other/{proxy+}': { prefix: USERS, stripPath: true } } }),
      quietDeps(),
    );
    const result = await proxy(restEvent({ resource: '/other/{proxy+}', pathParameters: { proxy: 'misfit' } }));
    expect(result.statusCode).toBe(502);
    expect(jsonOf(result).code).toBe('route_not_configured');
    expect(upstream.hits('/misfit')).toBe(0);
  });
});
