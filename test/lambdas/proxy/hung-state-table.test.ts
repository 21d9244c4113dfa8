// The bundled proxy and aggregator when their DynamoDB table accepts connections and never answers (moto_server under SIGSTOP).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleAggregator } from '../../../lib/constructs/bundling/aggregator-bundle';
import type { AggregatorHandler } from '../../../lambdas/aggregator/handler';
import { bundleProxy } from '../../../lib/constructs/bundling/proxy-bundle';
import { BREAKER_TABLE_ENV, type ProxyRoute } from '../../../lambdas/contract/proxy-config';
import type { ProxyHandler } from '../../../lambdas/proxy/proxy';
import { resolveRateLimitConfig } from '../../../lambdas/contract/rate-limit-config';
import { RATE_LIMIT_TABLE_ENV } from '../../../lambdas/contract/rate-limit-table';
import { MOTO_CREDENTIALS, MOTO_REGION } from '../../support/moto-server';
import { captureOutput, type CapturedOutput } from '../authorizer/support/fixtures';
import { aggregatorConfig, part, proxyEvent } from '../aggregator/support/fixtures';
import {
  createBreakerTable,
  findMotoServer,
  instanceClient,
  MOTO_MISSING,
  startMotoServer,
  type MotoServer,
} from '../shared/breaker/support/breaker-moto-server';
import { startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { jsonOf, proxyConfig, restEvent, TEST_BREAKER } from './support/events';

const motoServer = findMotoServer();
if (motoServer === undefined && !process.env.CI) console.warn(`SKIPPED hung state-table tests: ${MOTO_MISSING}`);

/** What the Lambda runtime gives a function: the table names from the construct, and (here) moto as the DynamoDB endpoint. */
function lambdaEnvironment(endpoint: string, tableName: string): Record<string, string> {
  return {
    [BREAKER_TABLE_ENV]: tableName,
    [RATE_LIMIT_TABLE_ENV]: tableName,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: MOTO_REGION,
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}

/** A fresh copy of the bundle, required as a new Lambda instance would load it (its own module scope, clients and breakers). */
function coldInstance<H>(bundleFile: string, root: string): H {
  const dir = mkdtempSync(join(root, 'instance-'));
  const file = join(dir, 'index.js');
  copyFileSync(bundleFile, file);
  return (createRequire(file)(file) as { handler: H }).handler;
}

const budgetLines = (output: CapturedOutput) =>
  output.records().filter((r) => /shared-state budget: going on with local state/.test(String(r.message)));

describe.skipIf(motoServer === undefined && !process.env.CI)(
  'GIVEN bundled handlers whose breaker and rate-limit table hangs (moto_server stopped)',
  () => {
    let moto: MotoServer;
    let upstream: UpstreamServer;
    let root: string;
    let proxyBundle: string;
    let aggregatorBundle: string;
    let output: CapturedOutput | undefined;
    const saved: Record<string, string | undefined> = {};

    beforeAll(async () => {
      if (motoServer === undefined) throw new Error(MOTO_MISSING);
      [moto, upstream] = await Promise.all([startMotoServer(motoServer), startUpstream()]);
      const admin = instanceClient(moto.endpoint);
      const tableName = await createBreakerTable(admin); // one table holds breakers and counters (both keyed by `pk`), as the stack's
      admin.destroy();
      for (const [name, value] of Object.entries(lambdaEnvironment(moto.endpoint, tableName))) {
        saved[name] = process.env[name];
        process.env[name] = value;
      }
      // Inside the worktree, so the bundle's external @aws-sdk/* resolve from the repo's node_modules as from Lambda's runtime.
      const scratch = join(__dirname, '../../../scratch');
      mkdirSync(scratch, { recursive: true });
      root = mkdtempSync(join(scratch, 'hung-table-'));
      // timeoutMs 300 with rate limits: the limiter's table calls must not eat the upstream's time (issue 23 item 4).
      const rateLimit = resolveRateLimitConfig({ minute: 1000, by: 'ip' }, 'shop#orders');
      const route: ProxyRoute = { prefix: '/api/orders', stripPath: true, rateLimit };
      const config = proxyConfig(upstream.origin, {
        timeoutMs: 300,
        deadlineMs: 300,
        circuitBreaker: { ...TEST_BREAKER, store: 'dynamodb' },
        routes: { 'ANY /api/orders': route, 'ANY /api/orders/{proxy+}': route },
      });
      proxyBundle = bundleProxy(config, mkdtempSync(join(root, 'proxy-'))).file;
      const breaker = { ...TEST_BREAKER, store: 'dynamodb' as const };
      aggregatorBundle = bundleAggregator(
        aggregatorConfig({ profile: part(upstream.origin, '/profile', { circuitBreaker: breaker }) }),
        mkdtempSync(join(root, 'aggregator-')),
      ).file;
    });

    afterEach(() => {
      moto?.resume(); // always: a stopped moto would hang the next test and its own shutdown
      output?.restore();
      output = undefined;
    });

    afterAll(async () => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await Promise.all([moto?.stop(), upstream?.close()]);
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('WHEN warm and cold proxy instances get requests THEN each reaches the upstream and is answered before the table comes back, none answered for the upstream without calling it, and the overrun is logged once per instance', async () => {
      const get = () => restEvent({ pathParameters: { proxy: 'hung' }, sourceIp: '198.51.100.9' });
      const warm = coldInstance<ProxyHandler>(proxyBundle, root);
      expect((await warm(get())).statusCode).toBe(200); // the table answers: warmed up

      output = captureOutput();
      moto.pause();
      const answers: { status: number; code: unknown; upstreamCalled: boolean }[] = [];
      const send = async (handler: ProxyHandler) => {
        const before = upstream.hits('/hung');
        const result = await handler(get());
        answers.push({
          status: result.statusCode,
          code: result.statusCode === 200 ? undefined : jsonOf(result).code,
          upstreamCalled: upstream.hits('/hung') > before,
        });
      };
      for (let i = 0; i < 3; i += 1) await send(warm);
      // A cold instance: its init read of the breakers and its first counter call both meet the hung table.
      const cold = coldInstance<ProxyHandler>(proxyBundle, root);
      for (let i = 0; i < 2; i += 1) await send(cold);
      // Still stopped here: every answer above came before the table did.

      // Each request reached the upstream (the limiter failed open within its budget, outside the upstream's
      // 300 ms); none was answered for the upstream without calling it (issue 23 item 4).
      expect(answers.filter((a) => !a.upstreamCalled)).toEqual([]);
      expect(answers.filter((a) => a.status !== 200 && a.code !== 'upstream_timeout')).toEqual([]);
      const lines = budgetLines(output);
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.length).toBeLessThanOrEqual(2); // once per instance, not once per request
      expect(
        output.records().filter((r) => r.message === 'proxy request' && r.code !== undefined && r.code !== 'upstream_timeout'),
      ).toEqual([]);
    });

    it('WHEN a cold aggregator instance gets a request THEN it is answered before the table comes back', async () => {
      output = captureOutput();
      moto.pause();
      const aggregate = coldInstance<AggregatorHandler>(aggregatorBundle, root);
      const result = await aggregate(proxyEvent());
      expect(result.statusCode).toBe(200);
      expect(JSON.parse(result.body)).toMatchObject({ profile: expect.anything() });
      expect(budgetLines(output)).toHaveLength(1);
    });
  },
);
