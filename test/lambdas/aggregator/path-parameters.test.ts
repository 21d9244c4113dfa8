// An aggregate on a templated path (`/api/orders/{id}/summary`): parts get `{path.id}` from API Gateway's pathParameters, URL-encoded, in both payload versions.
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../lambdas/aggregator/handler';
import type { HttpApiEvent } from '../../../lambdas/shared/apigw/payload-v2';
import type { UpstreamServer } from '../shared/support/upstream-server';
import { aggregatorConfig, invoke, part, useUpstreamAndOutput } from './support/fixtures';

let upstream: UpstreamServer;

useUpstreamAndOutput(
  (u) => (upstream = u),
  () => undefined,
);

const handler = () =>
  createHandler(
    aggregatorConfig(
      { order: part(upstream.origin, '/orders/{path.id}'), lines: part(upstream.origin, '/orders/{path.id}/lines?expand=sku') },
      { route: '/api/orders/{id}/summary' },
    ),
  );

/** What the echoing upstream says it received. */
const urlOf = (body: Record<string, unknown>, name: string) => (body[name] as { url: string }).url;

function httpEvent(id: string | undefined): HttpApiEvent {
  const path = `/api/orders/${encodeURIComponent(id ?? '')}/summary`;
  return {
    version: '2.0',
    routeKey: 'GET /api/orders/{id}/summary',
    rawPath: path,
    rawQueryString: '',
    headers: {},
    ...(id === undefined ? {} : { pathParameters: { id } }),
    isBase64Encoded: false,
    requestContext: {
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
      requestId: 'gw-v2',
      routeKey: 'GET /api/orders/{id}/summary',
      stage: '$default',
    },
  } as unknown as HttpApiEvent;
}

describe('GIVEN an aggregate on /api/orders/{id}/summary whose parts use {path.id}', () => {
  it('WHEN a REST API (payload 1.0) calls it with id 42 THEN every part gets the id in its path', async () => {
    const { result, body } = await invoke(handler(), { path: { id: '42' } });
    expect(result.statusCode).toBe(200);
    expect(urlOf(body, 'order')).toBe('/orders/42');
    expect(urlOf(body, 'lines')).toBe('/orders/42/lines?expand=sku');
  });

  it('WHEN an HTTP API (payload 2.0) calls it with id 42 THEN every part gets the id from pathParameters, and the answer is a 2.0 result', async () => {
    const result = await handler()(httpEvent('42'));
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body ?? '') as Record<string, unknown>;
    expect(urlOf(body, 'order')).toBe('/orders/42');
    expect(urlOf(body, 'lines')).toBe('/orders/42/lines?expand=sku');
  });

  for (const [id, encoded] of [
    ['a/b', 'a%2Fb'],
    ['../admin', '..%2Fadmin'],
    ['x y&z=1', 'x%20y%26z%3D1'],
    ['%2e%2e', '%252e%252e'],
  ] as const) {
    it(`WHEN the decoded id is ${JSON.stringify(id)} THEN it stays one URL-encoded segment (${encoded}) in both payload versions`, async () => {
      const rest = await invoke(handler(), { path: { id } });
      expect(rest.result.statusCode).toBe(200);
      expect(urlOf(rest.body, 'order')).toBe(`/orders/${encoded}`);
      const http = await handler()(httpEvent(id));
      expect(http.statusCode).toBe(200);
      expect(urlOf(JSON.parse(http.body ?? '') as Record<string, unknown>, 'lines')).toBe(`/orders/${encoded}/lines?expand=sku`);
    });
  }

  it('WHEN the id is exactly ".." THEN the answer is 400 unsafe_path and no part is called', async () => {
    const before = upstream.hits('/orders/..') + upstream.hits('/orders') + upstream.hits('/');
    for (const result of [(await invoke(handler(), { path: { id: '..' } })).result, await handler()(httpEvent('..'))]) {
      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body ?? '')).toMatchObject({ code: 'unsafe_path' });
    }
    expect(upstream.hits('/orders/..') + upstream.hits('/orders') + upstream.hits('/')).toBe(before);
  });

  it('WHEN the id is not valid Unicode (a lone surrogate) THEN the answer is 400 unsafe_path, not a 502', async () => {
    const { result, body } = await invoke(handler(), { path: { id: '\ud800' } });
    expect(result.statusCode).toBe(400);
    expect(body).toMatchObject({ code: 'unsafe_path' });
  });

  it('WHEN the event carries no path parameters THEN the answer is 400 missing_value, in both payload versions', async () => {
    expect((await invoke(handler())).result.statusCode).toBe(400);
    const http = await handler()(httpEvent(undefined));
    expect(http.statusCode).toBe(400);
    expect(JSON.parse(http.body ?? '')).toMatchObject({ code: 'missing_value' });
  });
});
