// The answer's shape on the wire: projection, gzip/br per Accept-Encoding, CORS on successes and errors.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AggregatorConfig } from '../../../lambdas/contract/aggregator-config';
import { createHandler } from '../../../lambdas/aggregator/handler';
import { startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { captureOutput, type CapturedOutput } from '../authorizer/support/fixtures';
import { aggregatorConfig, invoke, jsonReply, part } from './support/fixtures';

let upstream: UpstreamServer;
let output: CapturedOutput;

const PROFILE = { name: 'Ada', email: 'ada@example.com', segment: 'gold' };
const ORDERS = [
  { id: 1, total: 9.5, lines: [{ sku: 'a' }] },
  { id: 2, total: 20, lines: [] },
];

beforeAll(async () => {
  upstream = await startUpstream();
  upstream.script('/r/profile', jsonReply(PROFILE));
  upstream.script('/r/orders', jsonReply(ORDERS));
  upstream.script('/r/big', jsonReply({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, title: `item number ${i}` })) }));
  upstream.script('/r/down', { kind: 'respond', status: 500 });
});
afterAll(async () => {
  await upstream.close();
});
beforeEach(() => {
  output = captureOutput();
});
afterEach(() => {
  output.restore();
});

const dashboard = (overrides: Partial<AggregatorConfig> = {}) =>
  aggregatorConfig({ profile: part(upstream.origin, '/r/profile'), orders: part(upstream.origin, '/r/orders') }, overrides);

describe('GIVEN a mobile aggregate that selects profile.name, orders[].id and orders[].total', () => {
  it('WHEN it is requested THEN only those fields are returned, structure kept', async () => {
    const { body } = await invoke(createHandler(dashboard({ select: ['profile.name', 'orders[].id', 'orders[].total'] })));
    expect(body).toEqual({
      profile: { name: 'Ada' },
      orders: [
        { id: 1, total: 9.5 },
        { id: 2, total: 20 },
      ],
    });
  });

  it('WHEN a selected path does not exist THEN it is simply absent', async () => {
    const { body } = await invoke(
      createHandler(dashboard({ select: ['profile.name', 'profile.nope.deeper', 'orders[].missing', 'orders.id'] })),
    );
    expect(body).toEqual({ profile: { name: 'Ada' }, orders: [{}, {}] });
  });

  it('WHEN an optional part degrades THEN the partial marker survives the projection', async () => {
    const handler = createHandler(
      aggregatorConfig(
        { profile: part(upstream.origin, '/r/profile'), orders: part(upstream.origin, '/r/down', { optional: true, fallback: [] }) },
        { select: ['profile.name', 'orders[].id'] },
      ),
    );
    const { body } = await invoke(handler);
    expect(body).toEqual({ profile: { name: 'Ada' }, orders: [], partial: ['orders'] });
  });
});

describe('GIVEN an answer above compressMinBytes', () => {
  const big = () => createHandler(aggregatorConfig({ big: part(upstream.origin, '/r/big') }, { compressMinBytes: 1024 }));
  const expected = async () => JSON.parse((await invoke(big())).result.body) as unknown;

  it('WHEN the client accepts gzip THEN the body is gzip, base64-encoded, and decompresses to the same JSON', async () => {
    const { result, headers } = await invoke(big(), { headers: { 'Accept-Encoding': 'gzip, deflate' } });
    expect(result.isBase64Encoded).toBe(true);
    expect(headers).toMatchObject({ 'content-encoding': 'gzip', vary: 'Accept-Encoding', 'content-type': 'application/json' });
    expect(JSON.parse(gunzipSync(Buffer.from(result.body, 'base64')).toString('utf8'))).toEqual(await expected());
  });

  it('WHEN the client accepts br and gzip THEN br is chosen and decompresses to the same JSON', async () => {
    const { result, headers } = await invoke(big(), { headers: { 'accept-encoding': 'gzip, br' } });
    expect(headers['content-encoding']).toBe('br');
    const text = brotliDecompressSync(Buffer.from(result.body, 'base64')).toString('utf8');
    expect(JSON.parse(text)).toEqual(await expected());
    expect(Buffer.from(result.body, 'base64').length).toBeLessThan(text.length / 3);
  });

  it('WHEN the client prefers gzip by q-value THEN gzip is chosen over br', async () => {
    const { headers } = await invoke(big(), { headers: { 'accept-encoding': 'br;q=0.5, gzip' } });
    expect(headers['content-encoding']).toBe('gzip');
  });

  it('WHEN the client sends no Accept-Encoding THEN the body is identity JSON text, still with Vary', async () => {
    const { result, headers } = await invoke(big());
    expect(result.isBase64Encoded).toBe(false);
    expect(headers['content-encoding']).toBeUndefined();
    expect(headers.vary).toBe('Accept-Encoding');
    expect(result.body.length).toBeGreaterThan(1024);
  });

  it('WHEN the body is below compressMinBytes THEN it is not compressed even if gzip is accepted', async () => {
    const { result } = await invoke(createHandler(dashboard({ compressMinBytes: 100_000 })), { headers: { 'accept-encoding': 'gzip' } });
    expect(result.isBase64Encoded).toBe(false);
    expect(JSON.parse(result.body)).toEqual({ profile: PROFILE, orders: ORDERS });
  });
});

describe('GIVEN CORS for https://app.example with credentials', () => {
  const cors = { origins: ['https://app.example'], credentials: true, exposeHeaders: ['X-Request-Id'] };

  it('WHEN an allowed origin gets a 200 THEN the CORS headers are on it, exposing the partial and correlation headers', async () => {
    const { result, headers } = await invoke(createHandler(dashboard({ cors })), { headers: { Origin: 'https://app.example' } });
    expect(result.statusCode).toBe(200);
    expect(headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'X-Request-Id, X-Gatehouse-Partial, X-Correlation-Id',
      vary: 'Accept-Encoding, Origin',
    });
  });

  it('WHEN an allowed origin gets a 502 THEN the CORS headers are on the error too, so the browser can read it', async () => {
    const handler = createHandler(aggregatorConfig({ p: part(upstream.origin, '/r/down') }, { cors }));
    const { result, headers } = await invoke(handler, { headers: { origin: 'https://app.example' } });
    expect(result.statusCode).toBe(502);
    expect(headers['access-control-allow-origin']).toBe('https://app.example');
  });

  it('WHEN a missing claim gets a 400 THEN the CORS headers are on it too', async () => {
    const handler = createHandler(aggregatorConfig({ p: part(upstream.origin, '/u/{claims.sub}') }, { cors }));
    const { result, headers } = await invoke(handler, { headers: { origin: 'https://app.example' } });
    expect(result.statusCode).toBe(400);
    expect(headers['access-control-allow-origin']).toBe('https://app.example');
  });

  it('WHEN another origin asks THEN no CORS header is sent', async () => {
    const { headers } = await invoke(createHandler(dashboard({ cors })), { headers: { Origin: 'https://evil.example' } });
    expect(headers['access-control-allow-origin']).toBeUndefined();
  });

  it('WHEN origins is * without credentials THEN the answer allows *', async () => {
    const open = { origins: ['*'], credentials: false, exposeHeaders: [] };
    const { headers } = await invoke(createHandler(dashboard({ cors: open })), { headers: { Origin: 'https://any.example' } });
    expect(headers['access-control-allow-origin']).toBe('*');
    expect(headers['access-control-allow-credentials']).toBeUndefined();
  });
});
