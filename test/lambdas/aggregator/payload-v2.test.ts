// The aggregator behind an HTTP API: payload 2.0 in (claims from the native JWT authorizer, rawQueryString), 2.0 out.
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../lambdas/aggregator/handler';
import type { HttpApiEvent } from '../../../lambdas/shared/apigw/payload-v2';
import type { UpstreamServer } from '../shared/support/upstream-server';
import { aggregatorConfig, jsonReply, part, useUpstreamAndOutput } from './support/fixtures';

let upstream: UpstreamServer;

// Output is captured only to keep the handler's log lines out of the test report.
useUpstreamAndOutput(
  (u) => (upstream = u),
  () => undefined,
);

function httpEvent(claims: Record<string, unknown>): HttpApiEvent {
  return {
    version: '2.0',
    routeKey: 'GET /api/dashboard',
    rawPath: '/api/dashboard',
    rawQueryString: 'limit=1&limit=5',
    headers: { 'x-request-id': 'corr-9' },
    isBase64Encoded: false,
    requestContext: {
      http: { method: 'GET', path: '/api/dashboard', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
      requestId: 'gw-v2',
      routeKey: 'GET /api/dashboard',
      stage: '$default',
      authorizer: { jwt: { claims, scopes: null } },
    },
  } as unknown as HttpApiEvent;
}

describe('GIVEN an aggregate behind an HTTP API', () => {
  it('WHEN called with payload 2.0 THEN parts see the JWT claims and the last query value, and the answer is a 2.0 result', async () => {
    upstream.script('/users/user-2', jsonReply({ name: 'Ada' }));
    upstream.script('/orders', jsonReply([{ id: 1 }]));
    const handler = createHandler(
      aggregatorConfig({
        profile: part(upstream.origin, '/users/{claims.sub}'),
        orders: part(upstream.origin, '/orders?limit={query.limit}'),
      }),
    );
    const result = await handler(httpEvent({ sub: 'user-2', scope: 'dashboard' }));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ profile: { name: 'Ada' }, orders: [{ id: 1 }] });
    expect(result.headers?.['content-type']).toBe('application/json');
    expect(upstream.received('/orders').map((r) => r.url)).toContain('/orders?limit=5');
  });
});
