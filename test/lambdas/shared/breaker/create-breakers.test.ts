// createBreakers: one breaker per key, the layer only for `store: dynamodb`, and one loud, non-blocking answer to a missing table in both handlers.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../../lambdas/aggregator/handler';
import { STORE_UNAVAILABLE_METRIC } from '../../../../lambdas/contract/metric-names';
import { BREAKER_TABLE_ENV } from '../../../../lambdas/contract/proxy-config';
import { createProxy } from '../../../../lambdas/proxy/proxy';
import { createBreakers } from '../../../../lambdas/shared/breaker/create-breakers';
import { METRICS_NAMESPACE } from '../../../../lambdas/shared/observability';
import { captureOutput, metricCount, type CapturedOutput } from '../../authorizer/support/fixtures';
import { aggregatorConfig, invoke, part } from '../../aggregator/support/fixtures';
import { proxyConfig, restEvent, TEST_BREAKER } from '../../proxy/support/events';
import { MemoryBreakerStore } from './support/breaker-memory-store';
import { startUpstream, type UpstreamServer } from '../support/upstream-server';

const SHARED = { ...TEST_BREAKER, store: 'dynamodb' } as const;
const silent = () => new Logger({ logLevel: 'SILENT' });

let output: CapturedOutput | undefined;
afterEach(() => {
  output?.restore();
  output = undefined;
});

describe('GIVEN createBreakers', () => {
  it("WHEN two specs share a key THEN they get one breaker, with the first spec's settings", () => {
    const breakers = createBreakers(
      [
        { key: 'orders#default', config: TEST_BREAKER },
        { key: 'orders#default', config: { ...TEST_BREAKER, minimumRequests: 99 } },
        { key: 'users#default', config: TEST_BREAKER },
      ],
      { env: {}, logger: silent(), hooks: {} },
    );
    expect(breakers.get('orders#default')?.config.minimumRequests).toBe(TEST_BREAKER.minimumRequests);
    expect(breakers.get('users#default')).not.toBe(breakers.get('orders#default'));
    expect(breakers.get('other#default')).toBeUndefined();
  });

  it('WHEN a layer is given THEN only breakers with store dynamodb read and write it', async () => {
    const layer = new MemoryBreakerStore();
    const breakers = createBreakers(
      [
        { key: 'local', config: TEST_BREAKER },
        { key: 'shared', config: SHARED },
      ],
      { env: {}, persistence: layer, logger: silent(), hooks: {} },
    );
    await breakers.sync();
    expect(layer.reads).toBe(1);
    for (const key of ['local', 'shared']) {
      const breaker = breakers.get(key)!;
      for (let i = 0; i < TEST_BREAKER.minimumRequests; i += 1) breaker.onFailure(breaker.tryAcquire()!);
    }
    await breakers.settled();
    expect(layer.items.get('shared')?.state).toBe('open');
    expect(layer.items.get('local')).toBeUndefined();
  });

  it('WHEN every breaker is memory-only and no table is named THEN nothing is logged', () => {
    output = captureOutput();
    createBreakers([{ key: 'local', config: TEST_BREAKER }], { env: {}, logger: new Logger(), hooks: {} });
    expect(output.records()).toEqual([]);
  });
});

/** What both handlers must do when a breaker should share state and the environment names no table. */
function expectLoudButServing(captured: CapturedOutput, statuses: number[], names: Record<string, unknown>): void {
  expect(statuses).toEqual([200, 200]);
  const errors = captured.records().filter((record) => record.level === 'ERROR');
  expect(errors).toHaveLength(1); // at init, not per request
  expect(String(errors[0]?.message)).toContain(BREAKER_TABLE_ENV);
  expect(errors[0]).toMatchObject(names);
  expect(metricCount(captured, STORE_UNAVAILABLE_METRIC)).toBe(1);
}

describe('GIVEN breakers with store dynamodb and no GATEHOUSE_BREAKER_TABLE in the environment', () => {
  let upstream: UpstreamServer;
  beforeAll(async () => {
    upstream = await startUpstream();
  });
  afterAll(async () => {
    await upstream.close();
  });
  const observed = (service: string) => ({
    logger: new Logger({ serviceName: service }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service }),
  });

  it('WHEN the proxy is built and serves two requests THEN one error line and one StoreUnavailable count, and both are answered', async () => {
    output = captureOutput();
    const proxy = createProxy(proxyConfig(upstream.origin, { circuitBreaker: SHARED }), { ...observed('orders-proxy'), env: {} });
    const statuses = [(await proxy(restEvent())).statusCode, (await proxy(restEvent())).statusCode];
    expectLoudButServing(output, statuses, { breakers: ['orders#default'] });
  });

  it('WHEN the aggregator is built and serves two requests THEN the same error line and count as the proxy, and both are answered', async () => {
    output = captureOutput();
    const config = aggregatorConfig({ orders: part(upstream.origin, '/orders', { circuitBreaker: SHARED }) });
    const aggregate = createHandler(config, { ...observed('home-aggregator'), env: {} });
    const statuses = [(await invoke(aggregate)).result.statusCode, (await invoke(aggregate)).result.statusCode];
    expectLoudButServing(output, statuses, { route: config.route, breakers: [`svc ${upstream.origin}`] });
  });
});
