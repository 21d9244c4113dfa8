// The Lambda asset: bundled with the config baked in, and answering a real request through a real upstream in a fresh Node process.
import type { APIGatewayProxyResult } from 'aws-lambda';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleAggregator, type AggregatorBundle } from '../../../lib/constructs/bundling/aggregator-bundle';
import { AGGREGATOR_CONFIG_GLOBAL, type AggregatorConfig } from '../../../lambdas/contract/aggregator-config';
import { startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { aggregatorConfig, headersOf, jsonReply, part, proxyEvent } from './support/fixtures';
import { scaled } from '../../support/time-factor';

/** Regression budget for the minified bundle: Powertools (~34 kB) and the shared client, breaker and retries; the AWS SDK stays external. */
const BUNDLE_BUDGET_BYTES = 80 * 1024;

const run = promisify(execFile);
let upstream: UpstreamServer;
let outdir: string;
let config: AggregatorConfig;
let bundle: AggregatorBundle;

beforeAll(async () => {
  upstream = await startUpstream();
  upstream.script('/users/user-7', jsonReply({ name: 'Ada', segment: 'gold' }));
  upstream.script('/recs/gold', jsonReply({ items: ['a', 'b'] }));
  upstream.script('/orders', { kind: 'respond', status: 503 });
  // Under the repo's node_modules: the bundle leaves @aws-sdk/* to the Lambda runtime, and here it must resolve them from there.
  const cache = join(__dirname, '../../../node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  outdir = mkdtempSync(join(cache, 'gatehouse-aggregator-'));
  config = aggregatorConfig(
    {
      profile: part(upstream.origin, '/users/{claims.sub}'),
      orders: part(upstream.origin, '/orders?user={claims.sub}', { optional: true, fallback: [] }),
      recs: part(upstream.origin, '/recs/{profile.segment}', { optional: true }),
    },
    { select: ['profile.name', 'orders', 'recs.items'] },
  );
  bundle = bundleAggregator(config, outdir);
});

afterAll(async () => {
  await upstream.close();
  rmSync(outdir, { recursive: true, force: true });
});

describe('GIVEN an aggregator config', () => {
  it(`WHEN it is bundled THEN index.js is written, under ${BUNDLE_BUDGET_BYTES / 1024} kB, with the config in place of the global`, () => {
    const source = readFileSync(bundle.file, 'utf8');
    console.info(`aggregator bundle: ${bundle.bytes} bytes minified, ${gzipSync(source).length} bytes gzipped`);
    expect(bundle.file).toBe(join(outdir, 'index.js'));
    expect(bundle.bytes).toBeLessThan(BUNDLE_BUDGET_BYTES);
    expect(source).not.toContain(AGGREGATOR_CONFIG_GLOBAL);
    expect(source).toContain('/recs/{profile.segment}');
    expect(source).not.toMatch(/require\("@aws-lambda-powertools\/[a-z]+"\)/);
  });

  it('WHEN it is bundled twice THEN the bytes are identical, so the asset hash only moves with the config', () => {
    const again = bundleAggregator(config, mkdtempSync(join(outdir, 'again-')));
    expect(readFileSync(again.file, 'utf8')).toBe(readFileSync(bundle.file, 'utf8'));
  });

  it('WHEN the bundle is required in a fresh Node process THEN it answers one real request through the upstream', async () => {
    const script = `
      const { handler } = require(${JSON.stringify(bundle.file)});
      handler(JSON.parse(process.env.GATEHOUSE_TEST_EVENT)).then(
        (result) => {
          const sdkLoaded = Object.keys(require.cache).some((file) => file.includes('client-dynamodb'));
          console.log('RESULT ' + JSON.stringify({ ...result, sdkLoaded }));
        },
        (error) => console.log('RESULT ' + JSON.stringify({ error: String(error) })),
      );`;
    const event = proxyEvent({ claims: { sub: 'user-7' }, headers: { 'X-Correlation-Id': 'c-1' } });
    const child = await run(process.execPath, ['-e', script], {
      cwd: outdir,
      timeout: scaled(20_000),
      env: { PATH: process.env.PATH, GATEHOUSE_TEST_EVENT: JSON.stringify(event), POWERTOOLS_SERVICE_NAME: 'dashboard-aggregator' },
    });
    const line = child.stdout.split('\n').find((text) => text.startsWith('RESULT '));
    const result = JSON.parse(line!.slice('RESULT '.length)) as APIGatewayProxyResult & { sdkLoaded: boolean };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ profile: { name: 'Ada' }, orders: [], recs: { items: ['a', 'b'] }, partial: ['orders'] });
    expect(headersOf(result)['x-gatehouse-partial']).toBe('orders');
    expect(upstream.received('/users/user-7').at(-1)?.headers['x-correlation-id']).toEqual(['c-1']);
    expect(child.stdout).toContain('"service":"dashboard-aggregator"');
    // No breaker shares state through DynamoDB here, so the SDK (~300 ms to require) was never loaded.
    expect(result.sdkLoaded).toBe(false);
  });
});
