// Aggregate parts that are Lambda functions, invoked through the real @aws-sdk/client-lambda against a loopback Invoke API: events, fallbacks, required failures, retries, breakers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../lambdas/aggregator/handler';
import type { PartConfig } from '../../../lambdas/contract/aggregator-config';
import { lambdaTargetLabel } from '../../../lambdas/contract/lambda-target';
import { startLambdaInvokeServer, useLambdaEndpoint, type LambdaInvokeServer } from '../shared/support/lambda-invoke-server';
import { captureOutput } from '../authorizer/support/fixtures';
import { aggregatorConfig, invoke, part } from './support/fixtures';

let server: LambdaInvokeServer;
let restoreEnv: () => void;
let restoreOutput: () => void;

beforeAll(async () => {
  server = await startLambdaInvokeServer();
  restoreEnv = useLambdaEndpoint(server.endpoint);
  restoreOutput = captureOutput().restore;
});

afterAll(async () => {
  restoreOutput();
  restoreEnv();
  await server.close();
});

function lambdaPart(
  functionName: string,
  pathTemplate: string,
  overrides: Partial<PartConfig> = {},
  payload: '1.0' | '2.0' = '2.0',
): PartConfig {
  const lambda = { functionName, payload } as const;
  return part(lambdaTargetLabel(lambda), pathTemplate, { lambda, ...overrides });
}

const json = (value: unknown) =>
  ({
    kind: 'run',
    handler: () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) }),
  }) as const;
const RETRY = { retries: 2, baseDelayMs: 1, maxDelayMs: 5, retryOnStatuses: [502, 503, 504] };
const BREAKER = {
  failureRate: 50,
  minimumRequests: 2,
  windowSeconds: 10,
  openSeconds: 30,
  halfOpenProbes: 1,
  failureStatuses: [502, 503, 504],
  store: 'memory',
} as const;

describe('GIVEN parts that are Lambda functions', () => {
  it('WHEN the aggregate is requested THEN each function gets its rendered path, query and forwarded headers, and the answers are merged', async () => {
    server.script('profile-v2', { kind: 'run', handler: () => ({ name: 'Ada' }) });
    server.script('orders-v1', json([{ id: 1 }]));
    const handler = createHandler(
      aggregatorConfig({
        profile: lambdaPart('profile-v2', '/users/{claims.sub}?lang={query.lang}', { forwardHeaders: ['accept-language'] }),
        orders: lambdaPart('orders-v1', '/orders/{claims.sub}', {}, '1.0'),
      }),
    );
    const { result, body } = await invoke(handler, {
      claims: { sub: 'u 1' },
      query: { lang: 'de' },
      headers: { 'accept-language': 'de-CH', 'x-correlation-id': 'corr-5' },
    });
    expect(result.statusCode).toBe(200);
    expect(body).toEqual({ profile: { name: 'Ada' }, orders: [{ id: 1 }] });
    expect(server.invocations('profile-v2').at(-1)?.event).toMatchObject({
      version: '2.0',
      rawPath: '/users/u%201',
      rawQueryString: 'lang=de',
      headers: { 'accept-language': 'de-CH', accept: 'application/json', 'x-correlation-id': 'corr-5', 'x-gateway-request-id': 'gw-req-1' },
      requestContext: { requestId: 'gw-req-1', http: { method: 'GET', path: '/users/u%201' } },
    });
    expect(server.invocations('orders-v1').at(-1)?.event).toMatchObject({
      version: '1.0',
      httpMethod: 'GET',
      path: '/orders/u%201',
      pathParameters: { proxy: 'orders/u 1' },
    });
  });

  it("WHEN an optional part's function throws THEN its fallback stands in and the answer lists it as partial", async () => {
    server.script('profile-ok', { kind: 'run', handler: () => ({ name: 'Ada' }) });
    server.script('recs-throws', { kind: 'function-error' });
    const handler = createHandler(
      aggregatorConfig({
        profile: lambdaPart('profile-ok', '/p'),
        recs: lambdaPart('recs-throws', '/r', { optional: true, fallback: { items: [] } }),
      }),
    );
    const { result, body, headers } = await invoke(handler);
    expect(result.statusCode).toBe(200);
    expect(body).toEqual({ profile: { name: 'Ada' }, recs: { items: [] }, partial: ['recs'] });
    expect(headers['x-gatehouse-partial']).toBe('recs');
  });

  it("WHEN a required part's function throws THEN the aggregate answers 502 naming the part", async () => {
    server.script('required-throws', { kind: 'function-error' });
    const handler = createHandler(aggregatorConfig({ profile: lambdaPart('required-throws', '/p') }));
    const { result, body } = await invoke(handler);
    expect(result.statusCode).toBe(502);
    expect(body).toMatchObject({ code: 'upstream_status', part: 'profile' });
  });

  it("WHEN a required part's function runs past its timeout THEN the aggregate answers 504", async () => {
    server.script('required-hangs', { kind: 'hang' });
    const handler = createHandler(aggregatorConfig({ profile: lambdaPart('required-hangs', '/p', { timeoutMs: 200 }) }));
    const { result, body } = await invoke(handler);
    expect(result.statusCode).toBe(504);
    expect(body).toMatchObject({ code: 'upstream_timeout', part: 'profile' });
  });

  it("WHEN a required part's function answers something other than JSON THEN the aggregate answers 502 not_json", async () => {
    server.script('text-answer', {
      kind: 'run',
      handler: () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'hi' }),
    });
    const handler = createHandler(aggregatorConfig({ profile: lambdaPart('text-answer', '/p') }));
    const { result, body } = await invoke(handler);
    expect(result.statusCode).toBe(502);
    expect(body).toMatchObject({ code: 'not_json' });
  });

  it("WHEN a part's function is throttled once THEN the retry policy invokes it again and the answer is whole", async () => {
    server.script('throttled-once', { kind: 'throttle' }, { kind: 'run', handler: () => ({ ok: true }) });
    const handler = createHandler(aggregatorConfig({ profile: lambdaPart('throttled-once', '/p', { retry: RETRY }) }));
    const { result, body } = await invoke(handler);
    expect(result.statusCode).toBe(200);
    expect(body).toEqual({ profile: { ok: true } });
    expect(server.invocations('throttled-once')).toHaveLength(2);
  });

  it("WHEN an optional part's function keeps throwing THEN its breaker opens and later requests get the fallback without an invoke", async () => {
    server.script('recs-down', { kind: 'function-error' });
    const handler = createHandler(aggregatorConfig({ recs: lambdaPart('recs-down', '/r', { optional: true, circuitBreaker: BREAKER }) }));
    for (let i = 0; i < BREAKER.minimumRequests; i += 1) await invoke(handler);
    const { result, body } = await invoke(handler);
    expect(result.statusCode).toBe(200);
    expect(body).toEqual({ recs: null, partial: ['recs'] });
    expect(server.invocations('recs-down')).toHaveLength(BREAKER.minimumRequests);
  });
});

describe('GIVEN a baked config with a Lambda part', () => {
  it("WHEN the function name is malformed THEN init fails naming the part's lambda.functionName", () => {
    const lambda = { functionName: 'not a name', payload: '2.0' } as const;
    expect(() => createHandler(aggregatorConfig({ a: part('lambda:not a name', '/a', { lambda }) }))).toThrow(
      /part "a"\.lambda\.functionName/,
    );
  });

  it('WHEN the payload is unknown THEN init fails naming lambda.payload', () => {
    const lambda = { functionName: 'fn', payload: '1.1' as '1.0' } as const;
    expect(() => createHandler(aggregatorConfig({ a: part('lambda:fn', '/a', { lambda }) }))).toThrow(
      /lambda\.payload must be "1\.0" or "2\.0"/,
    );
  });

  it('WHEN the url is not the label THEN init fails showing the label', () => {
    const lambda = { functionName: 'fn', payload: '2.0' } as const;
    expect(() => createHandler(aggregatorConfig({ a: part('https://fn.example.com', '/a', { lambda }) }))).toThrow(
      /must be its label "lambda:fn"/,
    );
  });

  it('WHEN a url is a lambda: label without a lambda field THEN init fails saying what is missing', () => {
    expect(() => createHandler(aggregatorConfig({ a: part('lambda:fn', '/a') }))).toThrow(
      /is a Lambda label, but the part has no lambda field/,
    );
  });
});
