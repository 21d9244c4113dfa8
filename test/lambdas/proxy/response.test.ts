// What the client gets back: every header value, no hop-by-hop headers, bodies byte for byte, the response transform, CORS.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxy } from '../../../lambdas/proxy/proxy';
import { isTextBody } from '../../../lambdas/shared/apigw/proxy-result';
import { freePort, startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { bodyOf, headerOf, jsonOf, proxyConfig, quietDeps, restEvent } from './support/events';

let upstream: UpstreamServer;

beforeAll(async () => {
  upstream = await startUpstream();
});

afterAll(async () => {
  await upstream.close();
});

const call = (path: string, config = proxyConfig(upstream.origin), headers: Record<string, string> = {}) =>
  createProxy(config, quietDeps())(restEvent({ pathParameters: { proxy: path.slice(1) }, headers }));

describe('GIVEN an upstream answer', () => {
  it('WHEN it sets two cookies and other multi-value headers THEN every value reaches the client apart', async () => {
    upstream.script('/cookies', {
      kind: 'respond',
      headers: { 'set-cookie': ['a=1; Path=/', 'b=2; HttpOnly'], 'x-trace': 'one' },
      body: 'ok',
    });
    const result = await call('/cookies');
    expect(headerOf(result, 'set-cookie')).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(headerOf(result, 'x-trace')).toEqual(['one']);
    expect(result.headers).toBeUndefined();
  });

  it('WHEN it sends hop-by-hop headers and a Content-Length THEN neither reaches the client', async () => {
    upstream.script('/hops', {
      kind: 'respond',
      headers: { connection: 'x-conn-only', 'x-conn-only': '1', 'keep-alive': 'timeout=5', 'content-type': 'text/plain', 'x-end': 'kept' },
      body: 'hello',
    });
    const result = await call('/hops');
    const names = Object.keys(result.multiValueHeaders ?? {});
    for (const name of ['connection', 'x-conn-only', 'keep-alive', 'content-length', 'transfer-encoding'])
      expect(names).not.toContain(name);
    expect(headerOf(result, 'x-end')).toEqual(['kept']);
    expect(result).toMatchObject({ statusCode: 200, body: 'hello', isBase64Encoded: false });
  });

  it('WHEN the body is 256 KiB of random bytes THEN it is returned base64-encoded and decodes to the same bytes', async () => {
    const bytes = randomBytes(256 * 1024);
    upstream.script('/image', { kind: 'respond', headers: { 'content-type': 'image/png' }, body: bytes });
    const result = await call('/image');
    expect(result.isBase64Encoded).toBe(true);
    expect(bodyOf(result).equals(bytes)).toBe(true);
  });

  it('WHEN a JSON body is gzip-encoded THEN it is returned as base64 bytes, not mangled into text', async () => {
    const bytes = randomBytes(100);
    upstream.script('/gz', { kind: 'respond', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bytes });
    const result = await call('/gz');
    expect(result.isBase64Encoded).toBe(true);
    expect(bodyOf(result).equals(bytes)).toBe(true);
  });

  it('WHEN a 404 comes back THEN status and body are the upstream’s', async () => {
    upstream.script('/missing', {
      kind: 'respond',
      status: 404,
      headers: { 'content-type': 'application/problem+json' },
      body: '{"title":"nope"}',
    });
    const result = await call('/missing');
    expect(result).toMatchObject({ statusCode: 404, body: '{"title":"nope"}', isBase64Encoded: false });
  });

  it('WHEN a response transform is configured THEN the client gets the transformed answer', async () => {
    upstream.script('/secret', {
      kind: 'respond',
      headers: { 'content-type': 'application/json', server: 'internal/1.2' },
      body: '{"id":1,"secret":"s"}',
    });
    const config = proxyConfig(upstream.origin, { transform: { response: { remove: { headers: ['server'], json: ['secret'] } } } });
    const result = await call('/secret', config);
    expect(jsonOf(result)).toEqual({ id: 1 });
    expect(headerOf(result, 'server')).toEqual([]);
  });
});

describe('GIVEN content types', () => {
  it.each([
    ['text/html; charset=utf-8', true],
    ['application/json', true],
    ['application/vnd.orders.v2+json', true],
    ['application/xml', true],
    ['application/javascript', true],
    ['application/x-www-form-urlencoded', true],
    ['image/png', false],
    ['application/octet-stream', false],
    ['application/pdf', false],
  ])('WHEN the upstream answers %s THEN text is %s', (type, text) => {
    expect(isTextBody({ 'content-type': [type] })).toBe(text);
  });

  it('WHEN there is no content type THEN the body is treated as bytes', () => {
    expect(isTextBody({})).toBe(false);
  });
});

describe('GIVEN CORS for https://app.example.com with credentials', () => {
  const cors = { origins: ['https://app.example.com'], credentials: true, exposeHeaders: ['X-Request-Id', 'X-Total'] };
  const origin = { Origin: 'https://app.example.com' };

  it('WHEN an allowed origin calls THEN the answer carries its origin, Vary, credentials and exposed headers', async () => {
    upstream.script('/cors', { kind: 'respond', headers: { vary: 'Accept-Encoding' }, body: 'x' });
    const result = await call('/cors', proxyConfig(upstream.origin, { cors }), origin);
    expect(headerOf(result, 'access-control-allow-origin')).toEqual(['https://app.example.com']);
    expect(headerOf(result, 'vary')).toEqual(['Accept-Encoding, Origin']);
    expect(headerOf(result, 'access-control-allow-credentials')).toEqual(['true']);
    expect(headerOf(result, 'access-control-expose-headers')).toEqual(['X-Request-Id, X-Total']);
  });

  it('WHEN another origin calls THEN no CORS header is added', async () => {
    const result = await call('/cors-other', proxyConfig(upstream.origin, { cors }), { Origin: 'https://evil.example.com' });
    expect(headerOf(result, 'access-control-allow-origin')).toEqual([]);
  });

  it('WHEN the upstream set its own Access-Control-Allow-Origin THEN it is left as the upstream sent it', async () => {
    upstream.script('/cors-own', { kind: 'respond', headers: { 'access-control-allow-origin': 'https://other.example.com' }, body: 'x' });
    const result = await call('/cors-own', proxyConfig(upstream.origin, { cors }), origin);
    expect(headerOf(result, 'access-control-allow-origin')).toEqual(['https://other.example.com']);
    expect(headerOf(result, 'access-control-allow-credentials')).toEqual([]);
  });

  it('WHEN the proxy answers an error itself THEN the error carries CORS headers too', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const result = await call('/x', proxyConfig(dead, { cors }), origin);
    expect(result.statusCode).toBe(502);
    expect(headerOf(result, 'access-control-allow-origin')).toEqual(['https://app.example.com']);
  });

  it('WHEN the request is refused with 413 THEN the refusal carries CORS headers too', async () => {
    const event = restEvent({ method: 'POST', body: Buffer.alloc(6 * 1024 * 1024 + 1), base64: true, headers: origin });
    const result = await createProxy(proxyConfig(upstream.origin, { cors }), quietDeps())(event);
    expect(result.statusCode).toBe(413);
    expect(headerOf(result, 'access-control-allow-origin')).toEqual(['https://app.example.com']);
  });
});

describe('GIVEN CORS for any origin without credentials', () => {
  it('WHEN any origin calls THEN Access-Control-Allow-Origin is *', async () => {
    const cors = { origins: ['*'], credentials: false, exposeHeaders: [] };
    const result = await call('/any', proxyConfig(upstream.origin, { cors }), { origin: 'https://x.example' });
    expect(headerOf(result, 'access-control-allow-origin')).toEqual(['*']);
    expect(headerOf(result, 'access-control-allow-credentials')).toEqual([]);
    expect(headerOf(result, 'access-control-expose-headers')).toEqual([]);
  });
});
