// One log line per request without secrets, and metrics per outcome flushed at the end of each invocation.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { METRIC } from '../../../lambdas/contract/proxy-metrics';
import { createProxy } from '../../../lambdas/proxy/proxy';
import { METRICS_NAMESPACE } from '../../../lambdas/shared/observability';
import { captureOutput, metricCount, type CapturedOutput } from '../authorizer/support/fixtures';
import { freePort, startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { manualClock, proxyConfig, restEvent, TEST_BREAKER } from './support/events';

let upstream: UpstreamServer;
let output: CapturedOutput | undefined;

beforeAll(async () => {
  upstream = await startUpstream();
});

afterAll(async () => {
  await upstream.close();
});

afterEach(() => {
  output?.restore();
  output = undefined;
});

const observed = () => ({
  logger: new Logger({ serviceName: 'orders-proxy' }),
  metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'orders-proxy' }),
});
const requestLines = (captured: CapturedOutput) => captured.records().filter((record) => record.message === 'proxy request');

describe('GIVEN a proxy with the Powertools logger and metrics', () => {
  it('WHEN a request carries credentials THEN the one log line has status, target and timings but no credential value', async () => {
    const proxy = createProxy(proxyConfig(upstream.origin), observed());
    output = captureOutput();
    await proxy(
      restEvent({
        requestId: 'log-1',
        headers: { Authorization: 'Bearer secret-token', Cookie: 'sid=secret-cookie', 'X-Api-Key': 'secret-key' },
      }),
    );
    const lines = requestLines(output);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      requestId: 'log-1',
      status: 200,
      target: 'default',
      attempts: 1,
      upstreamStatus: 200,
      service: 'orders-proxy',
    });
    expect(lines[0]?.durationMs).toEqual(expect.any(Number));
    expect(output.text()).not.toMatch(/secret-(token|cookie|key)/);
    expect(metricCount(output, METRIC.forwarded)).toBe(1);
  });

  it("WHEN a request carries a correlation id, or none THEN the line has the caller's id, or the gateway request id sent in its place", async () => {
    const proxy = createProxy(proxyConfig(upstream.origin), observed());
    output = captureOutput();
    await proxy(restEvent({ requestId: 'gw-1', headers: { 'X-Correlation-Id': 'caller-7' } }));
    await proxy(restEvent({ requestId: 'gw-2' }));
    expect(requestLines(output).map((line) => [line.requestId, line.correlationId])).toEqual([
      ['gw-1', 'caller-7'],
      ['gw-2', 'gw-2'],
    ]);
  });

  it('WHEN the upstream is unreachable and then the circuit is open THEN errors, rejections and codes are counted', async () => {
    const clock = manualClock();
    const proxy = createProxy(proxyConfig(`http://127.0.0.1:${await freePort()}`, { circuitBreaker: TEST_BREAKER }), {
      ...observed(),
      now: clock.now,
    });
    output = captureOutput();
    for (let i = 0; i < TEST_BREAKER.minimumRequests + 2; i += 1) await proxy(restEvent());
    expect(metricCount(output, METRIC.upstreamError, { code: 'upstream_connect_failed' })).toBe(TEST_BREAKER.minimumRequests);
    expect(metricCount(output, METRIC.circuitOpenRejected)).toBe(2);
    expect(requestLines(output).map((line) => line.code)).toEqual([
      ...Array(TEST_BREAKER.minimumRequests).fill('upstream_connect_failed'),
      'circuit_open',
      'circuit_open',
    ]);
  });

  it('WHEN a fallback is served THEN Degraded is counted with reason fallback and the line says so', async () => {
    upstream.script('/obs-fb', { kind: 'respond', status: 503 });
    const fallback = { status: 200, headers: {}, body: 'later' };
    const proxy = createProxy(proxyConfig(upstream.origin, { fallback }), observed());
    output = captureOutput();
    await proxy(restEvent({ pathParameters: { proxy: 'obs-fb' } }));
    expect(metricCount(output, METRIC.degraded, { reason: 'fallback' })).toBe(1);
    expect(requestLines(output)[0]).toMatchObject({ degraded: 'fallback', upstreamStatus: 503, status: 200 });
  });

  it('WHEN the breaker table is named in the config but not in the environment THEN one error is logged at init and requests still work', async () => {
    output = captureOutput();
    const proxy = createProxy(proxyConfig(upstream.origin, { circuitBreaker: { ...TEST_BREAKER, store: 'dynamodb' } }), {
      ...observed(),
      env: {},
    });
    const result = await proxy(restEvent());
    const errors = output.records().filter((record) => record.level === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.message)).toContain('GATEHOUSE_BREAKER_TABLE');
    expect(result.statusCode).toBe(200);
  });
});
