// Lambda authorizers run in a real worker thread from a handler file: result cache by identity source and TTL, policy vs method ARN.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalFunction } from '../../lib/local/assembly';
import { FunctionRunner } from '../../lib/local/functions';
import { LambdaAuthorizer } from '../../lib/local/lambda-authorizer';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-local-authorizer-'));
// Counts its calls (so a cache hit is visible), allows GET /orders only, throws as the token says.
writeFileSync(
  join(dir, 'index.js'),
  `let calls = 0;
exports.handler = async (event, context) => {
  calls += 1;
  const token = event.headers.Authorization;
  if (token === 'expired') throw new Error('Unauthorized');
  if (token === 'broken') throw new Error('boom');
  if (token === 'malformed') return { hello: 'world' };
  if (token === 'simple-no') return { isAuthorized: false };
  if (token === 'simple-yes') return { isAuthorized: true, context: { sub: 'alice', calls } };
  const arn = 'arn:aws:execute-api:us-east-1:000000000000:api/prod';
  return {
    principalId: 'alice',
    policyDocument: { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: arn + '/GET/orders' },
      { Effect: token === 'deny-orders' ? 'Deny' : 'Allow', Action: 'execute-api:Invoke', Resource: arn + '/POST/orders' },
    ] },
    context: { sub: 'alice', calls, fn: context.functionName, remaining: context.getRemainingTimeInMillis() > 0 },
  };
};`,
);
const fn: LocalFunction = {
  logicalId: 'Auth',
  name: 'test-authorizer',
  codeDir: dir,
  handler: 'index.handler',
  runtime: 'nodejs22.x',
  timeoutSeconds: 5,
  memoryMb: 128,
  environment: {},
};
const runner = new FunctionRunner({ resolveFrom: join(__dirname, '../../package.json'), baseEnv: {}, log: () => undefined });
afterAll(() => runner.close());

const ARN = 'arn:aws:execute-api:us-east-1:000000000000:api/prod';
const event = (token?: string) => ({ type: 'REQUEST', headers: token === undefined ? {} : { Authorization: token } });
const lookup = (token?: string) => (source: string) => (source === 'method.request.header.Authorization' ? token : undefined);

describe('REST REQUEST Lambda authorizer', () => {
  const authorizer = (ttlSeconds: number, now: () => number = Date.now) =>
    new LambdaAuthorizer(
      { name: 'jwt', fn, identitySources: ['method.request.header.Authorization'], ttlSeconds, kind: 'rest' },
      runner,
      now,
    );

  it('GIVEN no identity source value THEN 401 without calling the function', async () => {
    expect(await authorizer(300).authorize(lookup(undefined), event(), `${ARN}/GET/orders`)).toMatchObject({ kind: 'unauthorized' });
    expect(await authorizer(300).authorize(lookup(''), event(''), `${ARN}/GET/orders`)).toMatchObject({ kind: 'unauthorized' });
  });

  it('GIVEN an allowing policy THEN allow with the context and a realistic Lambda context seen by the handler', async () => {
    const outcome = await authorizer(0).authorize(lookup('t1'), event('t1'), `${ARN}/GET/orders`);
    expect(outcome).toMatchObject({
      kind: 'allow',
      principalId: 'alice',
      context: { sub: 'alice', fn: 'test-authorizer', remaining: true },
      cached: false,
    });
  });

  it('GIVEN a cached result WHEN the same identity calls another method THEN the cached policy is evaluated against the new method ARN', async () => {
    let now = 0;
    const a = authorizer(300, () => now);
    const first = await a.authorize(lookup('t2'), event('t2'), `${ARN}/GET/orders`);
    expect(first).toMatchObject({ kind: 'allow', cached: false });
    expect(await a.authorize(lookup('t2'), event('t2'), `${ARN}/DELETE/orders`)).toEqual({ kind: 'denied', explicit: false });
    const again = await a.authorize(lookup('t2'), event('t2'), `${ARN}/GET/orders`);
    expect(again).toMatchObject({ kind: 'allow', cached: true, context: (first as { context: unknown }).context });
    now = 301_000; // past the TTL: the function runs again
    expect(await a.authorize(lookup('t2'), event('t2'), `${ARN}/GET/orders`)).toMatchObject({ kind: 'allow', cached: false });
  });

  it('GIVEN a policy with an Allow and a Deny on the same method THEN the Deny wins', async () => {
    expect(await authorizer(0).authorize(lookup('deny-orders'), event('deny-orders'), `${ARN}/POST/orders`)).toEqual({
      kind: 'denied',
      explicit: true,
    });
  });

  it('GIVEN the function throws "Unauthorized" THEN 401; another error THEN AUTHORIZER_FAILURE; no policy THEN AUTHORIZER_CONFIGURATION_ERROR', async () => {
    expect(await authorizer(0).authorize(lookup('expired'), event('expired'), `${ARN}/GET/orders`)).toMatchObject({ kind: 'unauthorized' });
    expect(await authorizer(0).authorize(lookup('broken'), event('broken'), `${ARN}/GET/orders`)).toMatchObject({
      kind: 'failure',
      type: 'AUTHORIZER_FAILURE',
    });
    expect(await authorizer(0).authorize(lookup('malformed'), event('malformed'), `${ARN}/GET/orders`)).toMatchObject({
      kind: 'failure',
      type: 'AUTHORIZER_CONFIGURATION_ERROR',
    });
  });
});

describe('HTTP API Lambda authorizer with simple responses', () => {
  const authorizer = (ttlSeconds = 0) =>
    new LambdaAuthorizer(
      { name: 'lambda', fn, identitySources: ['method.request.header.Authorization'], ttlSeconds, kind: 'http-simple' },
      runner,
    );

  it('GIVEN isAuthorized true THEN allow with its context; false THEN denied (403); no boolean THEN a configuration error', async () => {
    expect(await authorizer().authorize(lookup('simple-yes'), event('simple-yes'), 'GET /orders')).toMatchObject({
      kind: 'allow',
      context: { sub: 'alice' },
    });
    expect(await authorizer().authorize(lookup('simple-no'), event('simple-no'), 'GET /orders')).toEqual({
      kind: 'denied',
      explicit: true,
    });
    expect(await authorizer().authorize(lookup('malformed'), event('malformed'), 'GET /orders')).toMatchObject({
      kind: 'failure',
      type: 'AUTHORIZER_CONFIGURATION_ERROR',
    });
  });

  it('GIVEN no identity source value THEN 401 without calling the function', async () => {
    const a = authorizer();
    const callsSeen = async () =>
      ((await a.authorize(lookup('simple-yes'), event('simple-yes'), 'GET /orders')) as unknown as { context: { calls: number } }).context
        .calls;
    const before = await callsSeen();
    expect(await a.authorize(lookup(undefined), event(), 'GET /orders')).toMatchObject({ kind: 'unauthorized' });
    expect(await a.authorize(lookup(''), event(''), 'GET /orders')).toMatchObject({ kind: 'unauthorized' });
    // The function counts its calls: only the two allowed ones ran it.
    expect(await callsSeen()).toBe(before + 1);
  });

  it('GIVEN the function throws, even exactly "Unauthorized" THEN an authorizer failure (500): a 401 for a thrown Unauthorized is documented for REST only', async () => {
    expect(await authorizer().authorize(lookup('expired'), event('expired'), 'GET /orders')).toMatchObject({
      kind: 'failure',
      type: 'AUTHORIZER_FAILURE',
    });
    expect(await authorizer().authorize(lookup('broken'), event('broken'), 'GET /orders')).toMatchObject({
      kind: 'failure',
      type: 'AUTHORIZER_FAILURE',
    });
  });
});
