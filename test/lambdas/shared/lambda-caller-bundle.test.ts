// The Lambda caller in the shipped bundles: left out where no target is a function, inside and invoking through the bundled code where one is.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleAggregator } from '../../../lib/constructs/bundling/aggregator-bundle';
import type { AggregatorHandler } from '../../../lambdas/aggregator/handler';
import { bundleProxy } from '../../../lib/constructs/bundling/proxy-bundle';
import type { ProxyHandler } from '../../../lambdas/proxy/proxy';
import { lambdaTargetLabel } from '../../../lambdas/contract/lambda-target';
import { aggregatorConfig, part, proxyEvent } from '../aggregator/support/fixtures';
import { captureOutput } from '../authorizer/support/fixtures';
import { proxyConfig, restEvent } from '../proxy/support/events';
import { startLambdaInvokeServer, useLambdaEndpoint, type LambdaInvokeServer } from './support/lambda-invoke-server';

/** What only the caller's code says: present when it is bundled, absent when it is left out. */
const CALLER_MARK = 'function_throttled';
const LAMBDA = { functionName: 'bundled-fn', payload: '2.0' } as const;

let server: LambdaInvokeServer;
let restoreEnv: () => void;
let outdir: string;

beforeAll(async () => {
  server = await startLambdaInvokeServer();
  restoreEnv = useLambdaEndpoint(server.endpoint);
  // Under the repo's node_modules: the bundles leave @aws-sdk/* to the Lambda runtime, and here they resolve them from there.
  const cache = join(__dirname, '../../../node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  outdir = mkdtempSync(join(cache, 'gatehouse-lambda-caller-'));
});

afterAll(async () => {
  restoreEnv();
  await server.close();
  rmSync(outdir, { recursive: true, force: true });
});

const report = (name: string, file: string, bytes: number) =>
  console.info(`${name}: ${bytes} bytes minified, ${gzipSync(readFileSync(file)).length} bytes gzipped`);

describe('GIVEN a proxy', () => {
  it('WHEN no target is a function THEN its bundle leaves the caller out', () => {
    const bundle = bundleProxy(proxyConfig('https://orders.example.com'), join(outdir, 'proxy-http'));
    report('proxy bundle without Lambda targets', bundle.file, bundle.bytes);
    const source = readFileSync(bundle.file, 'utf8');
    expect(source).not.toContain(CALLER_MARK);
    expect(source).not.toContain('@aws-sdk/client-lambda');
  });

  it('WHEN a target is a function THEN the bundle has the caller, and the built bundle invokes the function with the SDK left to the runtime', async () => {
    const bundle = bundleProxy(
      proxyConfig([{ name: 'default', url: lambdaTargetLabel(LAMBDA), lambda: LAMBDA, weight: 1 }]),
      join(outdir, 'proxy-lambda'),
    );
    report('proxy bundle with a Lambda target', bundle.file, bundle.bytes);
    const source = readFileSync(bundle.file, 'utf8');
    expect(source).toContain(CALLER_MARK);
    expect(source).toContain('@aws-sdk/client-lambda');
    server.script('bundled-fn', {
      kind: 'run',
      handler: () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'from the function' }),
    });
    const { handler } = createRequire(bundle.file)(bundle.file) as { handler: ProxyHandler };
    const output = captureOutput();
    let result;
    try {
      result = await handler(restEvent({ pathParameters: { proxy: 'via-bundle' }, requestId: 'bundle-9' }));
    } finally {
      output.restore();
    }
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe('from the function');
    expect(server.invocations('bundled-fn').at(-1)?.event).toMatchObject({
      rawPath: '/via-bundle',
      requestContext: { requestId: 'bundle-9' },
    });
  });
});

describe('GIVEN an aggregator', () => {
  it('WHEN no part is a function THEN its bundle leaves the caller out', () => {
    const bundle = bundleAggregator(aggregatorConfig({ a: part('https://a.example.com', '/a') }), join(outdir, 'aggregator-http'));
    report('aggregator bundle without Lambda parts', bundle.file, bundle.bytes);
    expect(readFileSync(bundle.file, 'utf8')).not.toContain(CALLER_MARK);
  });

  it('WHEN a part is a function THEN the built bundle invokes it and merges its answer', async () => {
    const bundle = bundleAggregator(
      aggregatorConfig({ a: part(lambdaTargetLabel(LAMBDA), '/a', { lambda: LAMBDA }) }),
      join(outdir, 'aggregator-lambda'),
    );
    report('aggregator bundle with a Lambda part', bundle.file, bundle.bytes);
    expect(readFileSync(bundle.file, 'utf8')).toContain(CALLER_MARK);
    server.script('bundled-fn', { kind: 'run', handler: () => ({ answer: 42 }) });
    const { handler } = createRequire(bundle.file)(bundle.file) as { handler: AggregatorHandler };
    const output = captureOutput();
    let result;
    try {
      result = await handler(proxyEvent());
    } finally {
      output.restore();
    }
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ a: { answer: 42 } });
  });
});
