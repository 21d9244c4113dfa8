// Request validation in the proxy (HTTP APIs validate nothing themselves): a real upstream that an invalid request never reaches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyConfig, ProxyRoute } from '../../../lambdas/contract/proxy-config';
import type { HttpApiEvent } from '../../../lambdas/shared/apigw/payload-v2';
import { createProxy } from '../../../lambdas/proxy/proxy';
import { MAX_REPORTED_ERRORS } from '../../../lambdas/proxy/request-validation';
import { startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { echoOf, headerOf, jsonOf, proxyConfig, quietDeps, restEvent } from './support/events';

/** The draft-4 order schema of examples/schemas/order.json, with a draft-4 boolean exclusiveMinimum. */
const ORDER_SCHEMA = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  required: ['sku', 'quantity'],
  properties: {
    sku: { type: 'string', minLength: 1 },
    quantity: { type: 'integer', minimum: 0, exclusiveMinimum: true },
    note: { type: 'string', maxLength: 500 },
    lines: { type: 'array', items: { type: 'integer' } },
  },
  additionalProperties: false,
};

const CORS = { origins: ['https://app.example.com'], credentials: false, exposeHeaders: [] };

interface ValidationResult {
  message: string;
  code: string;
  errors: string[];
}

let upstream: UpstreamServer;

beforeAll(async () => {
  upstream = await startUpstream();
});

afterAll(async () => {
  await upstream.close();
});

/** `/api/orders/{proxy+}` validated (body, `tenant` query, `X-Tenant-Id` header); `/api/orders` not. */
function validatedConfig(path: string, validate: ProxyRoute['validate'] = { body: ORDER_SCHEMA, query: [], headers: [] }): ProxyConfig {
  return proxyConfig(upstream.url(path), {
    routes: {
      'ANY /api/orders': { prefix: '/api/orders', stripPath: true },
      'ANY /api/orders/{proxy+}': { prefix: '/api/orders', stripPath: true, validate },
    },
    cors: CORS,
  });
}

const post = (body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  restEvent({ method: 'POST', body, headers });

describe('GIVEN a route whose body must match a draft-4 JSON Schema', () => {
  it('WHEN a valid JSON body is posted THEN it reaches the upstream unchanged', async () => {
    const proxy = createProxy(validatedConfig('/valid'), quietDeps());
    const body = JSON.stringify({ sku: 'A-1', quantity: 2 });
    const result = await proxy(post(body));
    expect(result.statusCode).toBe(200);
    expect(echoOf(result).body).toBe(Buffer.from(body).toString('base64'));
    expect(upstream.hits('/valid/42')).toBe(1);
  });

  it("WHEN the body breaks the schema THEN 400 invalid_request lists ajv's errors with their paths, with CORS, and the upstream is never called", async () => {
    const proxy = createProxy(validatedConfig('/invalid'), quietDeps());
    const result = await proxy(
      post(JSON.stringify({ sku: '', quantity: 0, extra: true }), {
        'Content-Type': 'application/json',
        Origin: 'https://app.example.com',
      }),
    );
    expect(result.statusCode).toBe(400);
    const answer = jsonOf<ValidationResult>(result);
    expect(answer).toMatchObject({ message: 'Invalid request body', code: 'invalid_request' });
    expect(answer.errors).toEqual(
      expect.arrayContaining([
        'must NOT have additional properties',
        '/sku must NOT have fewer than 1 characters',
        '/quantity must be > 0',
      ]),
    );
    expect(headerOf(result, 'access-control-allow-origin')).toEqual(['https://app.example.com']);
    expect(headerOf(result, 'content-type')).toEqual(['application/json']);
    expect(upstream.hits('/invalid/42')).toBe(0);
  });

  it(`WHEN the body has more than ${MAX_REPORTED_ERRORS} errors THEN the answer lists ${MAX_REPORTED_ERRORS}`, async () => {
    const proxy = createProxy(validatedConfig('/many'), quietDeps());
    const result = await proxy(post(JSON.stringify({ sku: 'A', quantity: 1, lines: Array.from({ length: 30 }, () => 'x') })));
    expect(result.statusCode).toBe(400);
    expect(jsonOf<ValidationResult>(result).errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(jsonOf<ValidationResult>(result).errors[0]).toBe('/lines/0 must be integer');
    expect(upstream.hits('/many/42')).toBe(0);
  });

  it('WHEN the body is not JSON, does not parse or is missing THEN 400 invalid_request and the upstream is never called', async () => {
    const proxy = createProxy(validatedConfig('/not-json'), quietDeps());
    const cases = [
      {
        event: post('sku=A-1', { 'Content-Type': 'application/x-www-form-urlencoded' }),
        error: 'body must be JSON (Content-Type application/json), not application/x-www-form-urlencoded',
      },
      { event: post('{"sku": "A-1",'), error: 'body is not valid JSON' },
      { event: restEvent({ method: 'PUT' }), error: 'body is required (JSON)' },
    ];
    for (const { event, error } of cases) {
      const result = await proxy(event);
      expect(result.statusCode).toBe(400);
      expect(jsonOf<ValidationResult>(result)).toEqual({ message: 'Invalid request body', code: 'invalid_request', errors: [error] });
    }
    expect(upstream.hits('/not-json/42')).toBe(0);
  });

  it('WHEN a GET comes without a body THEN the body schema does not apply (POST, PUT and PATCH only, as on REST APIs)', async () => {
    const proxy = createProxy(validatedConfig('/get'), quietDeps());
    const result = await proxy(restEvent());
    expect(result.statusCode).toBe(200);
    expect(upstream.hits('/get/42')).toBe(1);
  });

  it('WHEN the route without validate is called with an invalid body THEN it is forwarded untouched', async () => {
    const proxy = createProxy(validatedConfig('/plain'), quietDeps());
    const result = await proxy(restEvent({ method: 'POST', resource: '/api/orders', body: 'not json at all' }));
    expect(result.statusCode).toBe(200);
    expect(Buffer.from(echoOf(result).body, 'base64').toString()).toBe('not json at all');
  });

  it('WHEN the API is an HTTP API (payload 2.0) THEN the same 400 comes back in a 2.0 result', async () => {
    const proxy = createProxy(validatedConfig('/v2'), quietDeps());
    const event = {
      version: '2.0',
      routeKey: 'ANY /api/orders/{proxy+}',
      rawPath: '/api/orders/42',
      rawQueryString: '',
      headers: { 'content-type': 'application/json', origin: 'https://app.example.com' },
      pathParameters: { proxy: '42' },
      body: JSON.stringify({ sku: 'A-1' }),
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'POST', path: '/api/orders/42', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
        requestId: 'req-v2',
        routeKey: 'ANY /api/orders/{proxy+}',
        stage: '$default',
      },
    } as unknown as HttpApiEvent;
    const result = await proxy(event);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body ?? '')).toEqual({
      message: 'Invalid request body',
      code: 'invalid_request',
      errors: ["must have required property 'quantity'"],
    });
    expect(result.headers?.['access-control-allow-origin']).toBe('https://app.example.com');
    expect(upstream.hits('/v2/42')).toBe(0);
  });
});

describe('GIVEN a route that requires a query parameter and a header', () => {
  const rules = { query: ['tenant'], headers: ['X-Tenant-Id'] };

  it('WHEN both are missing THEN 400 names them, with CORS, and the upstream is never called', async () => {
    const proxy = createProxy(validatedConfig('/params', rules), quietDeps());
    const result = await proxy(restEvent({ headers: { Origin: 'https://app.example.com' } }));
    expect(result.statusCode).toBe(400);
    expect(jsonOf<ValidationResult>(result)).toEqual({
      message: 'Missing required request parameters: [tenant, X-Tenant-Id]',
      code: 'invalid_request',
      errors: ['query parameter tenant is required', 'header X-Tenant-Id is required'],
    });
    expect(headerOf(result, 'access-control-allow-origin')).toEqual(['https://app.example.com']);
    expect(upstream.hits('/params/42')).toBe(0);
  });

  it('WHEN both are present, the header in another case THEN the request reaches the upstream', async () => {
    const proxy = createProxy(validatedConfig('/params-ok', rules), quietDeps());
    const result = await proxy(restEvent({ query: { tenant: ['acme'] }, headers: { 'x-tenant-id': 'acme' } }));
    expect(result.statusCode).toBe(200);
    expect(upstream.hits('/params-ok/42')).toBe(1);
  });
});
