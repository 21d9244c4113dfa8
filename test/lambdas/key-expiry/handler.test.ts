// The scheduled key-expiry function against moto_server: disables what is due, reports what is near, logs and counts, never a value.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetApiKeyCommand, type APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKeyExpiryHandler, METRIC } from '../../../lambdas/key-expiry/handler';
import { ENV, KEY_EXPIRY_IAM_ACTIONS, KEY_EXPIRY_SERVICE_NAME, keyExpiryIamResources } from '../../../lambdas/contract/key-expiry';
import { METRICS_NAMESPACE } from '../../../lambdas/shared/observability';
import { createKey } from '../../../lib/keys/create-key';
import { deployGateway, failingOn, MOTO_MISSING, motoKeysClient } from '../../keys/support/api-gateway-moto';
import { findMotoServer, startMotoServer, type MotoServer } from '../../support/moto-server';
import { captureOutput, metricCount, type CapturedOutput } from '../authorizer/support/fixtures';

const DAY = 86_400_000;
const motoServer = findMotoServer();
if (motoServer === undefined && !process.env.CI) console.warn(`SKIPPED key-expiry handler tests: ${MOTO_MISSING}`);

function observability() {
  const logger = new Logger({ serviceName: KEY_EXPIRY_SERVICE_NAME });
  return { logger, metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: KEY_EXPIRY_SERVICE_NAME, logger }) };
}

describe('GIVEN what the construct needs from the key-expiry function', () => {
  it('THEN metric names, env var names and IAM actions are plain data', () => {
    expect(METRIC).toEqual({ disabled: 'ApiKeysDisabled', expiringSoon: 'ApiKeysExpiringSoon', disableFailed: 'ApiKeyDisableFailures' });
    expect(ENV.warningDays).toBe('GATEHOUSE_KEY_EXPIRY_WARNING_DAYS');
    expect(KEY_EXPIRY_IAM_ACTIONS).toEqual(['apigateway:GET', 'apigateway:PATCH']);
    expect(keyExpiryIamResources('aws-cn', 'cn-north-1')).toEqual([
      'arn:aws-cn:apigateway:cn-north-1::/apikeys',
      'arn:aws-cn:apigateway:cn-north-1::/apikeys/*',
    ]);
  });

  it('WHEN the warning window in the environment is not a whole number THEN creating the handler names the variable', () => {
    process.env[ENV.warningDays] = 'soon';
    try {
      expect(() => createKeyExpiryHandler({ client: { send: async () => ({}) } as never })).toThrow(
        /GATEHOUSE_KEY_EXPIRY_WARNING_DAYS must be a whole number of days, got "soon"/,
      );
    } finally {
      delete process.env[ENV.warningDays];
    }
  });
});

describe.skipIf(motoServer === undefined && !process.env.CI)('GIVEN keys in API Gateway (moto_server) and a scheduled run', () => {
  let moto: MotoServer;
  let client: APIGatewayClient;
  let output: CapturedOutput | undefined;

  beforeAll(async () => {
    if (motoServer === undefined) throw new Error(MOTO_MISSING);
    moto = await startMotoServer(motoServer);
    client = motoKeysClient(moto.endpoint);
    await deployGateway(client, 'partner', ['standard']);
  });

  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
  });

  afterEach(() => {
    output?.restore();
    output = undefined;
  });

  it('WHEN a key is past its expiry and another near it THEN the first is disabled, both are logged and counted, and no value is printed', async () => {
    const now = new Date();
    const expired = await createKey(client, {
      gateway: 'partner',
      plans: ['standard'],
      consumer: 'acme',
      now: new Date(now.getTime() - 10 * DAY),
      expires: new Date(now.getTime() - DAY),
    });
    const near = await createKey(client, {
      gateway: 'partner',
      plans: ['standard'],
      consumer: 'globex',
      now,
      expires: new Date(now.getTime() + 5 * DAY),
    });
    const handler = createKeyExpiryHandler({ client, ...observability(), warningDays: 7, now: () => now });

    output = captureOutput();
    const summary = await handler({ time: now.toISOString() });
    const text = output.text();
    output.restore();

    expect(summary).toEqual({ disabled: 1, expiringSoon: 1, failed: 0 });
    expect((await client.send(new GetApiKeyCommand({ apiKey: expired.id }))).enabled).toBe(false);
    expect((await client.send(new GetApiKeyCommand({ apiKey: near.id }))).enabled).toBe(true);
    const records = output.records();
    expect(records).toContainEqual(
      expect.objectContaining({
        message: 'api key disabled',
        keyId: expired.id,
        consumer: 'acme',
        reason: 'expired',
        service: KEY_EXPIRY_SERVICE_NAME,
      }),
    );
    expect(records).toContainEqual(expect.objectContaining({ message: 'api key expiring soon', keyId: near.id, consumer: 'globex' }));
    expect(metricCount(output, METRIC.disabled)).toBe(1);
    expect(metricCount(output, METRIC.expiringSoon)).toBe(1);
    expect(metricCount(output, METRIC.disableFailed)).toBe(0);
    expect(text).not.toContain(expired.value);
    expect(text).not.toContain(near.value);
  });

  it('WHEN disabling a due key fails THEN the run fails after counting it, and the next run disables it', async () => {
    const now = new Date();
    const due = await createKey(client, {
      gateway: 'partner',
      plans: ['standard'],
      consumer: 'initech',
      now: new Date(now.getTime() - 10 * DAY),
      expires: new Date(now.getTime() - DAY),
    });
    const broken = createKeyExpiryHandler({ client: failingOn(client, 'UpdateApiKeyCommand', 1), ...observability(), now: () => now });

    output = captureOutput();
    await expect(broken({})).rejects.toThrow(/1 API key\(s\) could not be disabled/);
    expect(metricCount(output, METRIC.disableFailed)).toBe(1);
    expect(output.records()).toContainEqual(expect.objectContaining({ message: 'api key could not be disabled', keyId: due.id }));
    output.restore();
    expect((await client.send(new GetApiKeyCommand({ apiKey: due.id }))).enabled).toBe(true);

    output = captureOutput();
    const retry = await createKeyExpiryHandler({ client, ...observability(), now: () => now })({});
    expect(retry).toMatchObject({ disabled: 1, failed: 0 });
    expect((await client.send(new GetApiKeyCommand({ apiKey: due.id }))).enabled).toBe(false);
  });
});
