// The Lambda asset: bundled with the config baked in, under its size budget, and answering a real request when required.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleProxy, type ProxyBundle } from '../../../lib/constructs/bundling/proxy-bundle';
import { PROXY_CONFIG_GLOBAL } from '../../../lambdas/contract/proxy-config';
import type { ProxyHandler } from '../../../lambdas/proxy/proxy';
import { startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { METRIC } from '../../../lambdas/contract/proxy-metrics';
import { captureOutput } from '../authorizer/support/fixtures';
import { echoOf, proxyConfig, restEvent, TEST_BREAKER } from './support/events';

/** Regression budget for the minified bundle: Powertools Logger + Metrics, the shared runtime, the proxy and its transforms. */
const BUNDLE_BUDGET_BYTES = 400 * 1024;

let upstream: UpstreamServer;
let outdir: string;
let bundle: ProxyBundle;

beforeAll(async () => {
  upstream = await startUpstream();
  outdir = mkdtempSync(join(tmpdir(), 'gatehouse-proxy-'));
  bundle = bundleProxy(proxyConfig(upstream.url('/base'), { circuitBreaker: { ...TEST_BREAKER, store: 'dynamodb' } }), outdir);
});

afterAll(async () => {
  rmSync(outdir, { recursive: true, force: true });
  await upstream.close();
});

describe('GIVEN a proxy config', () => {
  it(`WHEN it is bundled THEN index.js is minified under ${BUNDLE_BUDGET_BYTES / 1024} KB with the config in place of the global`, () => {
    const source = readFileSync(bundle.file, 'utf8');
    console.info(`proxy bundle: ${bundle.bytes} bytes minified, ${gzipSync(source).length} bytes gzipped`);
    expect(bundle.bytes).toBeLessThan(BUNDLE_BUDGET_BYTES);
    expect(source).not.toContain(PROXY_CONFIG_GLOBAL);
    expect(source).toContain(upstream.url('/base'));
  });

  it('WHEN it is bundled THEN the AWS SDK stays external (the runtime has it) and Powertools is inside', () => {
    const source = readFileSync(bundle.file, 'utf8');
    expect(source).toContain('require("@aws-sdk/client-dynamodb")');
    expect(source).not.toMatch(/require\("(@aws-lambda-powertools\/[a-z]+)"\)/);
  });

  it('WHEN the built bundle is required with its baked config THEN it forwards one real request upstream', async () => {
    const previous = process.env.GATEHOUSE_BREAKER_TABLE;
    delete process.env.GATEHOUSE_BREAKER_TABLE; // no table here: the proxy logs once and keeps breakers in memory
    try {
      const { handler } = createRequire(bundle.file)(bundle.file) as { handler: ProxyHandler };
      const result = await handler(restEvent({ pathParameters: { proxy: 'from-bundle' }, requestId: 'bundle-1' }));
      expect(result.statusCode).toBe(200);
      expect(echoOf(result).url).toBe('/base/from-bundle');
      expect(echoOf(result).headers['x-gateway-request-id']).toEqual(['bundle-1']);
    } finally {
      if (previous !== undefined) process.env.GATEHOUSE_BREAKER_TABLE = previous;
    }
  });
});

describe('GIVEN the bundled proxy and a request header value outside Latin-1', () => {
  it('WHEN X-Name: 日本 arrives THEN the request is forwarded without it, and no internal error is logged or counted', async () => {
    const { handler } = createRequire(bundle.file)(bundle.file) as { handler: ProxyHandler };
    const output = captureOutput();
    let result;
    try {
      result = await handler(restEvent({ pathParameters: { proxy: 'latin' }, headers: { 'X-Name': '日本', 'X-Other': 'kept' } }));
    } finally {
      output.restore();
    }
    expect(result.statusCode).toBe(200);
    expect(echoOf(result).headers['x-name']).toBeUndefined();
    expect(echoOf(result).headers['x-other']).toEqual(['kept']);
    expect(output.text()).not.toContain(METRIC.internalError);
    expect(output.records().filter((r) => r.level === 'ERROR')).toEqual([]);
    expect(output.records().find((r) => r.level === 'WARN')).toMatchObject({ headers: ['x-name'] });
  });
});

describe('GIVEN a bundled proxy with lastGood and a fallback, on a route without gateway auth', () => {
  let dir: string;
  let handler: ProxyHandler;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-proxy-lastgood-'));
    const config = proxyConfig(upstream.url('/base'), {
      lastGood: { ttlSeconds: 60, maxEntries: 10, maxBodyBytes: 1024, varyHeaders: [], sharedAnswers: false },
      fallback: { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"degraded":true}' },
      circuitBreaker: { ...TEST_BREAKER, openSeconds: 30 },
    });
    const built = bundleProxy(config, dir);
    handler = (createRequire(built.file)(built.file) as { handler: ProxyHandler }).handler;
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("WHEN user A's personal answer was fine and the upstream then fails for user B THEN B never gets A's answer (issue 23 item 3)", async () => {
    upstream.script(
      '/base/me',
      { kind: 'respond', body: '{"user":"alice","card":"4111"}', headers: { 'content-type': 'application/json' } },
      { kind: 'respond', status: 503 },
    );
    const alice = await handler(restEvent({ pathParameters: { proxy: 'me' }, headers: { 'X-Auth-Token': 'alice-token' } }));
    expect(alice.body).toContain('alice');
    const bob = await handler(restEvent({ pathParameters: { proxy: 'me' }, headers: { 'X-Auth-Token': 'bob-token' } }));
    expect(bob.body).not.toContain('alice');
    expect(JSON.parse(bob.body)).toEqual({ degraded: true });
  });

  it('WHEN the circuit opens THEN the fallback carries Retry-After like the plain 503 (issue 23 item 7)', async () => {
    upstream.script('/base/down', { kind: 'respond', status: 503 });
    for (let i = 0; i < TEST_BREAKER.minimumRequests; i += 1) await handler(restEvent({ pathParameters: { proxy: 'down' } }));
    const hits = upstream.hits('/base/down');
    const result = await handler(restEvent({ pathParameters: { proxy: 'down' } }));
    expect(upstream.hits('/base/down')).toBe(hits);
    expect(result.multiValueHeaders?.['x-gatehouse-degraded']).toEqual(['fallback']);
    expect(Number(result.multiValueHeaders?.['retry-after']?.[0])).toBeGreaterThanOrEqual(1);
  });
});

describe('GIVEN the bundled proxy and a greedy path with dot segments', () => {
  it.each(['../admin', '..', 'echo/../../admin'])(
    'WHEN the path is %s THEN it answers 400 unsafe_path and the upstream sees nothing',
    async (greedy) => {
      const { handler } = createRequire(bundle.file)(bundle.file) as { handler: ProxyHandler };
      const before = [upstream.hits('/admin'), upstream.hits('/base/admin'), upstream.hits('/')];
      const result = await handler(restEvent({ pathParameters: { proxy: greedy } }));
      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body)).toMatchObject({ code: 'unsafe_path' });
      expect([upstream.hits('/admin'), upstream.hits('/base/admin'), upstream.hits('/')]).toEqual(before);
    },
  );
});

describe('GIVEN a proxy config with a route body schema (an HTTP API validating requests)', () => {
  const schema = { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required: ['sku'] };
  let validating: ProxyBundle;
  let validatingDir: string;

  beforeAll(() => {
    validatingDir = mkdtempSync(join(tmpdir(), 'gatehouse-proxy-validating-'));
    const route = { prefix: '/api/orders', stripPath: true, validate: { body: schema, query: [], headers: [] } };
    validating = bundleProxy(
      proxyConfig(upstream.url('/base'), { routes: { 'ANY /api/orders': route, 'ANY /api/orders/{proxy+}': route } }),
      validatingDir,
    );
  });

  afterAll(() => rmSync(validatingDir, { recursive: true, force: true }));

  it(`WHEN it is bundled THEN ajv is inside, still under ${BUNDLE_BUDGET_BYTES / 1024} KB, and a proxy without a body schema leaves it out`, () => {
    console.info(`validating proxy bundle: ${validating.bytes} bytes minified`);
    expect(validating.bytes).toBeLessThan(BUNDLE_BUDGET_BYTES);
    expect(readFileSync(validating.file, 'utf8')).not.toContain('require("ajv-draft-04")');
    expect(readFileSync(bundle.file, 'utf8')).toContain('import("ajv-draft-04")');
    expect(bundle.bytes).toBeLessThan(validating.bytes - 50 * 1024);
  });

  it('WHEN the built bundle gets an invalid body THEN it answers 400 invalid_request without calling the upstream', async () => {
    const { handler } = createRequire(validating.file)(validating.file) as { handler: ProxyHandler };
    const result = await handler(
      restEvent({ method: 'POST', pathParameters: { proxy: 'never' }, body: '{}', headers: { 'Content-Type': 'application/json' } }),
    );
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toMatchObject({ code: 'invalid_request', errors: ["must have required property 'sku'"] });
    expect(upstream.hits('/base/never')).toBe(0);
  });
});

describe('GIVEN a proxy config that turns XML responses into JSON (xmlToJson)', () => {
  let xmlBundle: ProxyBundle;
  let xmlDir: string;

  beforeAll(() => {
    xmlDir = mkdtempSync(join(tmpdir(), 'gatehouse-proxy-xml-'));
    xmlBundle = bundleProxy(proxyConfig(upstream.url('/base'), { transform: { response: { xmlToJson: true } } }), xmlDir);
  });

  afterAll(() => rmSync(xmlDir, { recursive: true, force: true }));

  it('WHEN it is bundled THEN fast-xml-parser is inside, and a proxy without xmlToJson leaves it out', () => {
    expect(readFileSync(xmlBundle.file, 'utf8')).not.toContain('require("fast-xml-parser")');
    expect(readFileSync(bundle.file, 'utf8')).toContain('require("fast-xml-parser")');
    expect(bundle.bytes).toBeLessThan(xmlBundle.bytes - 30 * 1024);
  });

  it('WHEN the built bundle gets an XML answer THEN the client gets it as JSON', async () => {
    const xml = '<order id="7"><sku>007</sku></order>';
    upstream.script('/base/xml', {
      kind: 'raw',
      data: `HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: ${xml.length}\r\nConnection: close\r\n\r\n${xml}`,
    });
    const { handler } = createRequire(xmlBundle.file)(xmlBundle.file) as { handler: ProxyHandler };
    const result = await handler(restEvent({ pathParameters: { proxy: 'xml' } }));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ order: { '@_id': '7', sku: '007' } });
  });
});
