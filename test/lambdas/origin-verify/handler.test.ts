// The origin-verify authorizer on payload 2.0 events, its verifier reading a real secret in moto_server through the real AWS SDK.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandler, METRIC } from '../../../lambdas/origin-verify/handler';
import { METRICS_NAMESPACE } from '../../../lambdas/shared/observability';
import { createOriginVerifier, ORIGIN_VERIFY_SECRET_ENV } from '../../../lambdas/shared/origin-verify';
import { captureOutput, decisions, metricCount, type CapturedOutput } from '../authorizer/support/fixtures';
import {
  createOriginSecret,
  findMotoServer,
  freePort,
  MOTO_MISSING,
  originSecretValue,
  secretsClient,
  startMotoServer,
  type MotoServer,
} from '../shared/support/secrets-moto';
import { CLOUDFRONT_EDGE_IP, originRequestEvent } from './support/events';
import { scaled } from '../../support/time-factor';

// The module builds its Lambda entry point from the environment at import (vi.hoisted runs before the imports):
// an ARN, so that import logs nothing; the entry point never reads it here.
vi.hoisted(() => {
  process.env.GATEHOUSE_ORIGIN_VERIFY_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:set-before-import-AbCdEf';
});

const SERVICE = 'orders-origin-verify';
const motoServer = findMotoServer();

function observability() {
  const logger = new Logger({ serviceName: SERVICE });
  return { logger, metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE, logger }) };
}

afterAll(() => {
  delete process.env[ORIGIN_VERIFY_SECRET_ENV];
});

// Without moto_server these tests fail (beforeAll throws, naming the fix) rather than skip.
describe('GIVEN the origin-verify authorizer and its secret in Secrets Manager (moto_server)', { timeout: scaled(20_000) }, () => {
  let moto: MotoServer;
  let client: SecretsManagerClient;
  let value: string;
  let handle: ReturnType<typeof createHandler>;
  let output: CapturedOutput;

  beforeAll(async () => {
    if (motoServer === undefined) throw new Error(MOTO_MISSING);
    moto = await startMotoServer(motoServer);
    client = secretsClient(moto.endpoint);
    value = originSecretValue();
    const secretId = await createOriginSecret(client, value);
    handle = createHandler({ verifier: createOriginVerifier({ secretId, client }), ...observability() });
    output = captureOutput();
  });

  afterAll(async () => {
    output?.restore();
    client?.destroy();
    await moto?.stop();
  });

  afterEach(() => output.clear());

  it('WHEN CloudFront forwards a request with the secret THEN it is authorized, and nothing is counted as refused', async () => {
    expect(await handle(originRequestEvent({ originVerify: value }))).toEqual({ isAuthorized: true });
    expect(metricCount(output, METRIC.refused)).toBe(0);
    expect(decisions(output)).toEqual([]);
  });

  it('WHEN a direct call carries a wrong value THEN it is refused, logged with request id, source IP and route, never the values', async () => {
    const wrong = originSecretValue();
    const event = originRequestEvent({
      originVerify: wrong,
      routeKey: 'POST /api/orders',
      sourceIp: '198.51.100.23',
      requestId: 'req-direct',
    });
    expect(await handle(event)).toEqual({ isAuthorized: false });
    expect(decisions(output)).toEqual([
      expect.objectContaining({
        level: 'INFO',
        service: SERVICE,
        requestId: 'req-direct',
        sourceIp: '198.51.100.23',
        routeKey: 'POST /api/orders',
        decision: 'deny',
        reason: 'header_mismatch',
      }),
    ]);
    expect(metricCount(output, METRIC.refused)).toBe(1);
    expect(output.text()).not.toContain(wrong);
    expect(output.text()).not.toContain(value);
  });

  it('WHEN a direct call has no origin-verify header THEN it is refused as missing', async () => {
    expect(await handle(originRequestEvent({ sourceIp: '198.51.100.24' }))).toEqual({ isAuthorized: false });
    expect(decisions(output)).toEqual([
      expect.objectContaining({ sourceIp: '198.51.100.24', routeKey: 'GET /api/orders', reason: 'header_missing' }),
    ]);
    expect(metricCount(output, METRIC.refused)).toBe(1);
  });

  it('WHEN the value comes in another header THEN it is refused: only X-Origin-Verify counts', async () => {
    const event = originRequestEvent();
    const misplaced = { ...event, headers: { ...event.headers, 'x-origin-verification': value } };
    expect(await handle(misplaced)).toEqual({ isAuthorized: false });
    expect(output.text()).not.toContain(value);
  });

  it('WHEN the secret cannot be read at cold start THEN the handler rejects (API Gateway answers 500, caching nothing) instead of refusing', async () => {
    const unreachable = secretsClient(`http://127.0.0.1:${await freePort()}`, { maxAttempts: 1 });
    try {
      const cold = createHandler({
        verifier: createOriginVerifier({ secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf', client: unreachable }),
        ...observability(),
      });
      await expect(cold(originRequestEvent({ originVerify: value }))).rejects.toMatchObject({ code: 'origin_secret_unavailable' });
      expect(metricCount(output, METRIC.refused)).toBe(0);
      expect(decisions(output)).toEqual([]);
    } finally {
      unreachable.destroy();
    }
  });
});

describe(`GIVEN the Lambda entry point deployed without ${ORIGIN_VERIFY_SECRET_ENV}`, () => {
  it('WHEN it loads THEN it logs an error once, and refuses every request, whatever it carries', async () => {
    const before = process.env[ORIGIN_VERIFY_SECRET_ENV];
    delete process.env[ORIGIN_VERIFY_SECRET_ENV];
    vi.resetModules();
    const output = captureOutput();
    try {
      const { handler } = await import('../../../lambdas/origin-verify/handler');
      expect(await handler(originRequestEvent({ originVerify: originSecretValue() }))).toEqual({ isAuthorized: false });
      expect(await handler(originRequestEvent({ sourceIp: CLOUDFRONT_EDGE_IP }))).toEqual({ isAuthorized: false });
      const errors = output.records().filter((record) => record.level === 'ERROR');
      expect(errors).toEqual([expect.objectContaining({ message: `${ORIGIN_VERIFY_SECRET_ENV} is not set: refusing every request` })]);
    } finally {
      output.restore();
      if (before !== undefined) process.env[ORIGIN_VERIFY_SECRET_ENV] = before;
    }
  });
});
