// Invoking a Lambda target through the real @aws-sdk/client-lambda against a loopback Invoke API: the events sent, the results read, the failures mapped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../lambdas/shared/http-client';
import { callLambda, lambdaSender, type LambdaFailure } from '../../../lambdas/shared/lambda-call';
import type { LambdaHttpRequest } from '../../../lambdas/shared/apigw/lambda-event';
import { startLambdaInvokeServer, useLambdaEndpoint, type LambdaInvokeServer } from './support/lambda-invoke-server';

let server: LambdaInvokeServer;
let restoreEnv: () => void;

beforeAll(async () => {
  server = await startLambdaInvokeServer();
  restoreEnv = useLambdaEndpoint(server.endpoint);
});

afterAll(async () => {
  restoreEnv();
  await server.close();
});

const OPTIONS = { timeoutMs: 5000 };
const IDENTITY = { sub: 'user-1', roles: 'admin', scopes: 'orders:read', clientId: 'web' };

function request(overrides: Partial<LambdaHttpRequest> = {}): LambdaHttpRequest {
  return {
    method: 'GET',
    path: '/orders/42',
    query: 'a=1&a=2&b=x%20y',
    headers: { accept: 'application/json', 'x-multi': ['one', 'two'], cookie: 'a=1; b=2', connection: 'keep-alive' },
    context: { requestId: 'req-1', sourceIp: '203.0.113.7', userAgent: 'curl/8', authorizer: IDENTITY },
    ...overrides,
  };
}

function run(name: string, result: unknown): void {
  server.script(name, { kind: 'run', handler: () => result });
}

async function failureOf(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

describe('GIVEN a function with payload 1.0', () => {
  it('WHEN it is called THEN it receives a REST proxy event: method, path, every header and query value, the identity, synchronously', async () => {
    run('orders-v1', { statusCode: 200, body: 'ok' });
    await callLambda(
      { functionName: 'orders-v1', payload: '1.0' },
      request({ method: 'POST', body: Buffer.from('{"n":1}'), headers: { 'content-type': 'application/json', 'x-multi': ['one', 'two'] } }),
      OPTIONS,
    );
    const [invocation] = server.invocations('orders-v1');
    expect(invocation?.invocationType).toBe('RequestResponse');
    expect(invocation?.signed).toBe(true);
    expect(invocation?.event).toMatchObject({
      version: '1.0',
      httpMethod: 'POST',
      path: '/orders/42',
      resource: '/{proxy+}',
      pathParameters: { proxy: 'orders/42' },
      headers: { 'content-type': 'application/json', 'x-multi': 'two' },
      multiValueHeaders: { 'x-multi': ['one', 'two'] },
      queryStringParameters: { a: '2', b: 'x y' },
      multiValueQueryStringParameters: { a: ['1', '2'], b: ['x y'] },
      body: '{"n":1}',
      isBase64Encoded: false,
      requestContext: {
        requestId: 'req-1',
        httpMethod: 'POST',
        identity: { sourceIp: '203.0.113.7', userAgent: 'curl/8' },
        authorizer: { ...IDENTITY, principalId: 'user-1' },
      },
    });
  });

  it('WHEN it is called without a body, query or identity THEN those fields are null, as API Gateway sends them', async () => {
    run('bare-v1', { statusCode: 204 });
    const answer = await callLambda(
      { functionName: 'bare-v1', payload: '1.0' },
      request({ path: '/', query: '', headers: {}, context: { requestId: 'r' } }),
      OPTIONS,
    );
    expect(answer.status).toBe(204);
    expect(server.invocations('bare-v1')[0]?.event).toMatchObject({
      resource: '/',
      pathParameters: null,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      body: null,
      requestContext: { authorizer: null },
    });
  });

  it('WHEN the request has hop-by-hop headers THEN the function never sees them', async () => {
    run('hop-v1', { statusCode: 200 });
    await callLambda({ functionName: 'hop-v1', payload: '1.0' }, request(), OPTIONS);
    expect(server.invocations('hop-v1')[0]?.event.multiValueHeaders).not.toHaveProperty('connection');
  });

  it("WHEN the proxy forwarded the client's host as X-Forwarded-Host THEN the event has it as Host, as API Gateway's would", async () => {
    run('host-v1', { statusCode: 200 });
    await callLambda({ functionName: 'host-v1', payload: '1.0' }, request({ headers: { 'x-forwarded-host': 'api.example.com' } }), OPTIONS);
    expect(server.invocations('host-v1')[0]?.event.headers).toMatchObject({
      host: 'api.example.com',
      'x-forwarded-host': 'api.example.com',
    });
  });

  it('WHEN the body is not UTF-8 THEN it goes base64 with isBase64Encoded, byte for byte', async () => {
    run('binary-v1', { statusCode: 200 });
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x80]);
    await callLambda(
      { functionName: 'binary-v1', payload: '1.0' },
      request({ method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } }),
      OPTIONS,
    );
    const event = server.invocations('binary-v1')[0]?.event;
    expect(event?.isBase64Encoded).toBe(true);
    expect(Buffer.from(event?.body as string, 'base64')).toEqual(bytes);
  });

  it('WHEN it returns headers and multiValueHeaders THEN the answer has both, a value in both once, names lower-case', async () => {
    run('headers-v1', {
      statusCode: 201,
      headers: { 'Content-Type': 'text/plain', 'X-Both': 'b', 'X-Count': 3 },
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'], 'X-Both': ['a', 'b'] },
      body: 'created',
    });
    const answer = await callLambda({ functionName: 'headers-v1', payload: '1.0' }, request(), OPTIONS);
    expect(answer.status).toBe(201);
    expect(answer.headers).toEqual({
      'content-type': ['text/plain'],
      'x-both': ['a', 'b'],
      'x-count': ['3'],
      'set-cookie': ['a=1', 'b=2'],
    });
    expect(answer.body.toString()).toBe('created');
  });

  it('WHEN it returns a base64 body THEN the answer is the decoded bytes', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    run('png-v1', { statusCode: 200, headers: { 'content-type': 'image/png' }, body: bytes.toString('base64'), isBase64Encoded: true });
    const answer = await callLambda({ functionName: 'png-v1', payload: '1.0' }, request(), OPTIONS);
    expect(answer.body).toEqual(bytes);
  });

  it('WHEN it returns a bare JSON value THEN the answer is upstream_bad_response: 1.0 has no simplified form', async () => {
    run('bare-json-v1', { hello: 'world' });
    const error = await failureOf(callLambda({ functionName: 'bare-json-v1', payload: '1.0' }, request(), OPTIONS));
    expect(error.code).toBe('upstream_bad_response');
    expect(error.statusCode).toBe(502);
  });
});

describe('GIVEN a function with payload 2.0', () => {
  it('WHEN it is called THEN it receives an HTTP API event: raw path and query, joined headers, cookies apart, the identity under authorizer.lambda', async () => {
    run('orders-v2', { statusCode: 200 });
    await callLambda({ functionName: 'orders-v2', payload: '2.0' }, request(), OPTIONS);
    const event = server.invocations('orders-v2')[0]?.event;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/orders/42',
      rawQueryString: 'a=1&a=2&b=x%20y',
      cookies: ['a=1', 'b=2'],
      headers: { accept: 'application/json', 'x-multi': 'one,two' },
      queryStringParameters: { a: '1,2', b: 'x y' },
      isBase64Encoded: false,
      requestContext: {
        requestId: 'req-1',
        routeKey: '$default',
        stage: '$default',
        http: { method: 'GET', path: '/orders/42', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'curl/8' },
        authorizer: { lambda: IDENTITY },
      },
    });
    expect(event?.headers).not.toHaveProperty('cookie');
    expect(event).not.toHaveProperty('body');
    expect(typeof (event?.requestContext as { timeEpoch?: unknown }).timeEpoch).toBe('number');
  });

  it('WHEN it returns cookies THEN each becomes a Set-Cookie value', async () => {
    run('cookies-v2', { statusCode: 200, headers: { 'content-type': 'text/plain' }, cookies: ['s=1; Secure', 't=2'], body: 'hi' });
    const answer = await callLambda({ functionName: 'cookies-v2', payload: '2.0' }, request(), OPTIONS);
    expect(answer.headers['set-cookie']).toEqual(['s=1; Secure', 't=2']);
    expect(answer.body.toString()).toBe('hi');
  });

  it('WHEN it returns JSON without statusCode THEN the answer is 200 application/json with that JSON as the body', async () => {
    run('simple-v2', { orders: [1, 2] });
    const answer = await callLambda({ functionName: 'simple-v2', payload: '2.0' }, request(), OPTIONS);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toEqual(['application/json']);
    expect(JSON.parse(answer.body.toString())).toEqual({ orders: [1, 2] });
  });
});

describe('GIVEN a function that does not answer with a result', () => {
  it('WHEN it throws (Unhandled) THEN the answer is a 502 function_error without its message or stack, and the hook hears why', async () => {
    server.script('throws', { kind: 'function-error', errorMessage: 'secret db password in message' });
    const failures: LambdaFailure[] = [];
    const answer = await callLambda({ functionName: 'throws', payload: '2.0' }, request(), OPTIONS, { onFailure: (f) => failures.push(f) });
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body.toString())).toEqual({ message: expect.any(String), code: 'function_error' });
    expect(answer.body.toString()).not.toContain('secret');
    expect(failures).toEqual([{ functionName: 'throws', kind: 'function_error', detail: 'Unhandled' }]);
  });

  it('WHEN it reports a Handled error THEN the answer is a 502 function_error as well', async () => {
    server.script('handled', { kind: 'function-error', type: 'Handled' });
    const answer = await callLambda({ functionName: 'handled', payload: '1.0' }, request(), OPTIONS);
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body.toString()).code).toBe('function_error');
  });

  it("WHEN Lambda throttles it (429) THEN the answer is a 503 function_throttled with Lambda's Retry-After, after one attempt (the SDK does not retry)", async () => {
    server.script('busy', { kind: 'throttle', retryAfterSeconds: 7 });
    const answer = await callLambda({ functionName: 'busy', payload: '2.0' }, request(), OPTIONS);
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toEqual(['7']);
    expect(JSON.parse(answer.body.toString()).code).toBe('function_throttled');
    expect(server.invocations('busy')).toHaveLength(1);
  });

  it('WHEN the function does not exist THEN the answer is a 502 invoke_refused', async () => {
    const failures: LambdaFailure[] = [];
    const answer = await callLambda({ functionName: 'nobody-home', payload: '2.0' }, request(), OPTIONS, {
      onFailure: (f) => failures.push(f),
    });
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body.toString()).code).toBe('invoke_refused');
    expect(failures[0]).toMatchObject({ kind: 'invoke_refused', detail: 'ResourceNotFoundException' });
  });

  it("WHEN Invoke refuses the event as too large (413) THEN the answer is a 413 request_too_large, the client's problem", async () => {
    server.script('too-large', { kind: 'service-error', status: 413, type: 'RequestTooLargeException' });
    const answer = await callLambda({ functionName: 'too-large', payload: '1.0' }, request(), OPTIONS);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body.toString()).code).toBe('request_too_large');
  });

  it('WHEN the Lambda service fails (500 ServiceException) THEN the answer is a 502 lambda_unavailable', async () => {
    server.script('service-down', { kind: 'service-error', status: 500, type: 'ServiceException' });
    const answer = await callLambda({ functionName: 'service-down', payload: '2.0' }, request(), OPTIONS);
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body.toString()).code).toBe('lambda_unavailable');
  });

  it('WHEN it runs past the attempt timeout THEN the invoke is aborted with upstream_timeout (504), nothing received', async () => {
    server.script('slow', { kind: 'hang' });
    const error = await failureOf(callLambda({ functionName: 'slow', payload: '2.0' }, request(), { timeoutMs: 150 }));
    expect(error.code).toBe('upstream_timeout');
    expect(error.statusCode).toBe(504);
    expect(error.partial).toBe(false);
  });

  it('WHEN its result is not a proxy result THEN upstream_bad_response, for every malformed shape', async () => {
    const shapes = [
      'not json',
      JSON.stringify({ statusCode: 'two hundred' }),
      JSON.stringify({ statusCode: 200, body: { a: 1 } }),
      JSON.stringify({ statusCode: 200, headers: { a: { b: 1 } } }),
      JSON.stringify({ statusCode: 200, multiValueHeaders: { a: 'x' } }),
      JSON.stringify({ statusCode: 200, body: '!!', isBase64Encoded: true }),
      JSON.stringify({ statusCode: 700 }),
    ];
    for (const [index, payload] of shapes.entries()) {
      server.script(`malformed-${index}`, { kind: 'raw-payload', payload });
      const error = await failureOf(callLambda({ functionName: `malformed-${index}`, payload: '2.0' }, request(), OPTIONS));
      expect(error.code, payload).toBe('upstream_bad_response');
    }
  });

  it('WHEN its body is over the cap THEN upstream_too_large', async () => {
    run('big', { statusCode: 200, body: 'x'.repeat(2000) });
    const error = await failureOf(
      callLambda({ functionName: 'big', payload: '1.0' }, request(), { timeoutMs: 5000, maxResponseBytes: 1000 }),
    );
    expect(error.code).toBe('upstream_too_large');
  });
});

describe('GIVEN lambdaSender', () => {
  it('WHEN the retry wrappers hand it a label URL THEN the path and query after the label go into the event', async () => {
    run('arn-fn', { statusCode: 200 });
    const send = lambdaSender({ functionName: 'arn-fn', payload: '2.0' }, { requestId: 'r-9' });
    await send({ method: 'GET', url: 'lambda:arn-fn/v1/items?x=1' }, OPTIONS);
    expect(server.invocations('arn-fn')[0]?.event).toMatchObject({
      rawPath: '/v1/items',
      rawQueryString: 'x=1',
      requestContext: { requestId: 'r-9' },
    });
  });

  it('WHEN the function is named by ARN THEN the ARN is what Invoke is called with', async () => {
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:by-arn:live';
    run(arn, { statusCode: 200 });
    const send = lambdaSender({ functionName: arn, payload: '1.0' }, { requestId: 'r' });
    const answer = await send({ method: 'GET', url: `lambda:${arn}/` }, OPTIONS);
    expect(answer.status).toBe(200);
    expect(server.invocations(arn)).toHaveLength(1);
  });

  it('WHEN the URL does not start with the label THEN it refuses with a TypeError (a wiring bug)', () => {
    const send = lambdaSender({ functionName: 'a', payload: '1.0' }, { requestId: 'r' });
    expect(() => send({ method: 'GET', url: 'https://example.com/' }, OPTIONS)).toThrow(TypeError);
  });
});
