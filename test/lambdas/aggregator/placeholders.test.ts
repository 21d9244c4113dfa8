// Placeholders against a real upstream: hostile claim values arrive URL-encoded and never change the path; missing ones are the client's 400.
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../lambdas/aggregator/handler';
import type { UpstreamServer } from '../shared/support/upstream-server';
import { type CapturedOutput } from '../authorizer/support/fixtures';
import { aggregatorConfig, invoke, part, useUpstreamAndOutput } from './support/fixtures';

let upstream: UpstreamServer;
let output: CapturedOutput;

useUpstreamAndOutput(
  (u) => (upstream = u),
  (o) => (output = o),
);

/** What the echoing upstream says it received. */
interface Echo {
  readonly url: string;
  readonly headers: Record<string, string[]>;
}

describe('GIVEN a part whose path holds {claims.sub}', () => {
  const handler = () => createHandler(aggregatorConfig({ profile: part(upstream.origin, '/users/{claims.sub}?view=full') }));

  const hostile = [
    '../admin',
    '../../etc/passwd',
    'a%2F..%2Fadmin',
    'x\r\nX-Injected: 1',
    'ünïcødé 😀',
    'a?b=c#d',
    'a/b',
    '%2e%2e',
    '..%2f',
  ];
  for (const sub of hostile) {
    it(`WHEN sub is ${JSON.stringify(sub)} THEN the upstream receives it URL-encoded in one segment under /users/`, async () => {
      const { result, body } = await invoke(handler(), { claims: { sub } });
      expect(result.statusCode).toBe(200);
      const received = (body.profile as Echo).url;
      expect(received).toBe(`/users/${encodeURIComponent(sub)}?view=full`);
      expect(received.split('?')[0]!.split('/')).toHaveLength(3);
      expect(received).not.toMatch(/[\r\n]/);
      expect(upstream.received(`/users/${encodeURIComponent(sub)}`).at(-1)?.headers['x-injected']).toBeUndefined();
    });
  }

  for (const sub of ['..', '.']) {
    it(`WHEN sub is exactly ${JSON.stringify(sub)} THEN the answer is 400 unsafe_path naming the part, and nothing is sent`, async () => {
      const before = upstream.hits('/users/..') + upstream.hits('/users/.') + upstream.hits('/');
      const { result, body } = await invoke(handler(), { claims: { sub } });
      expect(result.statusCode).toBe(400);
      expect(body).toEqual({ message: 'part "profile" failed: unsafe_path', code: 'unsafe_path', part: 'profile' });
      expect(upstream.hits('/users/..') + upstream.hits('/users/.') + upstream.hits('/')).toBe(before);
    });
  }

  it('WHEN the request carries no claims THEN the answer is 400 missing_value naming the part', async () => {
    const { result, body } = await invoke(handler());
    expect(result.statusCode).toBe(400);
    expect(body).toEqual({ message: 'part "profile" failed: missing_value', code: 'missing_value', part: 'profile' });
    const failed = output.records().find((r) => r.message === 'aggregate failed: a required part failed');
    expect(failed).toMatchObject({ status: 400, part: 'profile', code: 'missing_value' });
  });

  it('WHEN sub is empty THEN it counts as missing: /users/ would be the whole collection', async () => {
    const { result, body } = await invoke(handler(), { claims: { sub: '' } });
    expect(result.statusCode).toBe(400);
    expect(body).toMatchObject({ code: 'missing_value' });
  });
});

describe('GIVEN parts with path, query and part placeholders', () => {
  it('WHEN the request has them THEN each lands encoded where the template puts it', async () => {
    const handler = createHandler(
      aggregatorConfig({
        orders: part(upstream.origin, '/orders?user={claims.sub}&limit=5&q={query.q}'),
        item: part(upstream.origin, '/items/{path.id}'),
        again: part(upstream.origin, '/echo/{item.method}/{orders.url}'),
      }),
    );
    const { result, body } = await invoke(handler, { claims: { sub: 'u&1' }, query: { q: 'a b&c=d' }, path: { id: '../42' } });
    expect(result.statusCode).toBe(200);
    expect((body.orders as Echo).url).toBe('/orders?user=u%261&limit=5&q=a%20b%26c%3Dd');
    expect((body.item as Echo).url).toBe('/items/..%2F42');
    expect((body.again as Echo).url).toBe(`/echo/GET/${encodeURIComponent('/orders?user=u%261&limit=5&q=a%20b%26c%3Dd')}`);
  });

  it('WHEN a value taken from a part is absent THEN the required part fails 502 missing_value: the upstream, not the client, is at fault', async () => {
    upstream.script('/absent/profile', { kind: 'respond', headers: { 'content-type': 'application/json' }, body: '{"name":"Ada"}' });
    const handler = createHandler(
      aggregatorConfig({ profile: part(upstream.origin, '/absent/profile'), recs: part(upstream.origin, '/recs/{profile.segment}') }),
    );
    const { result, body } = await invoke(handler);
    expect(result.statusCode).toBe(502);
    expect(body).toEqual({ message: 'part "recs" failed: missing_value', code: 'missing_value', part: 'recs' });
  });

  it('WHEN a part forwards headers THEN it gets those, the correlation id and the gateway request id, and no others', async () => {
    const handler = createHandler(
      aggregatorConfig({ p: part(upstream.origin, '/fwd', { forwardHeaders: ['authorization', 'accept-language'] }) }),
    );
    const { body, headers: answered } = await invoke(handler, {
      headers: {
        Authorization: 'Bearer t',
        'Accept-Language': 'fr',
        Cookie: 'secret=1',
        'X-Correlation-Id': 'corr-9',
        'Accept-Encoding': 'gzip',
      },
    });
    const headers = (body.p as Echo).headers;
    expect(headers.authorization).toEqual(['Bearer t']);
    expect(headers['accept-language']).toEqual(['fr']);
    expect(headers['x-correlation-id']).toEqual(['corr-9']);
    expect(headers['x-gateway-request-id']).toEqual(['gw-req-1']);
    expect(headers.accept).toEqual(['application/json']);
    expect(headers.cookie).toBeUndefined();
    expect(headers['accept-encoding']).toBeUndefined();
    expect(answered['x-correlation-id']).toBe('corr-9');
  });

  it('WHEN the client sends no correlation id THEN the gateway request id is used for it', async () => {
    const { body } = await invoke(createHandler(aggregatorConfig({ p: part(upstream.origin, '/fwd2') })));
    expect((body.p as Echo).headers['x-correlation-id']).toEqual(['gw-req-1']);
  });
});
