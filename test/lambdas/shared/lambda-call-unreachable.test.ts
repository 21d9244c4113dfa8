// A Lambda endpoint nothing listens on: the invoke fails as an HTTP upstream that refuses connections does, and a POST is still sent once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../lambdas/shared/http-client';
import { callLambda, type LambdaFailure } from '../../../lambdas/shared/lambda-call';
import { freePort } from './support/upstream-server';
import { useLambdaEndpoint } from './support/lambda-invoke-server';

// Its own file: the caller keeps one SDK client per container (here: per test file), built with the endpoint it first saw.
let restoreEnv: () => void;

beforeAll(async () => {
  restoreEnv = useLambdaEndpoint(`http://127.0.0.1:${await freePort()}`);
});

afterAll(() => restoreEnv());

describe('GIVEN AWS_ENDPOINT_URL_LAMBDA pointing at a port nothing listens on', () => {
  it('WHEN a function is invoked THEN the call fails with upstream_connect_failed (502), nothing sent, and the hook hears the cause', async () => {
    const failures: LambdaFailure[] = [];
    const error = await callLambda(
      { functionName: 'fn', payload: '2.0' },
      { method: 'GET', path: '/', query: '', headers: {}, context: { requestId: 'r' } },
      { timeoutMs: 5000 },
      { onFailure: (failure) => failures.push(failure) },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).code).toBe('upstream_connect_failed');
    expect((error as UpstreamError).statusCode).toBe(502);
    expect((error as UpstreamError).partial).toBe(false);
    expect(failures).toEqual([{ functionName: 'fn', kind: 'upstream_connect_failed', detail: 'ECONNREFUSED' }]);
  });
});
