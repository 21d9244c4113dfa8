// The origin-verify check against Secrets Manager served by a real moto_server on loopback, reached through the real AWS SDK.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createOriginVerifier,
  DEFAULT_REFRESH_MS,
  MISMATCH_RECHECK_MS,
  OriginSecretUnavailable,
  READ_RETRY_MS,
  type OriginVerifier,
} from '../../../lambdas/shared/origin-verify';
import { readCurrentAndPrevious } from '../../../lambdas/shared/secret-stages';
import { captureOutput, type CapturedOutput } from '../authorizer/support/fixtures';
import { startFaultProxy, type FaultProxy } from './support/breaker-fault-proxy';
import {
  countGetSecretValue,
  createOriginSecret,
  findMotoServer,
  freePort,
  MOTO_MISSING,
  originSecretValue,
  rotateOriginSecret,
  secretsClient,
  startMotoServer,
  type MotoServer,
} from './support/secrets-moto';
import { scaled } from '../../support/time-factor';

const motoServer = findMotoServer();

interface Container {
  readonly verifier: OriginVerifier;
  /** The injected clock (epoch ms). */
  readonly clock: { t: number };
  /** Secrets Manager as this container reaches it: `mode = 'down'` resets every connection. */
  readonly network: FaultProxy;
  readonly calls: () => number;
}

// Without moto_server these tests fail (beforeAll throws, naming the fix) rather than skip.
describe('GIVEN an origin-verify secret in Secrets Manager (moto_server)', { timeout: scaled(20_000) }, () => {
  let moto: MotoServer;
  let admin: SecretsManagerClient;
  const clients: SecretsManagerClient[] = [];
  const proxies: FaultProxy[] = [];
  let output: CapturedOutput | undefined;

  beforeAll(async () => {
    if (motoServer === undefined) throw new Error(MOTO_MISSING);
    moto = await startMotoServer(motoServer);
    admin = secretsClient(moto.endpoint);
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    admin?.destroy();
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await moto?.stop();
  });

  afterEach(() => {
    output?.restore();
    output = undefined;
  });

  function clientAt(endpoint: string): SecretsManagerClient {
    // One attempt, so a Secrets Manager that cannot be reached fails at once.
    const client = secretsClient(endpoint, { maxAttempts: 1 });
    clients.push(client);
    return client;
  }

  /** One simulated Lambda container: its own client, reaching moto through a loopback proxy, and its own clock. */
  async function container(secretId: string, refreshMs?: number): Promise<Container> {
    const network = await startFaultProxy(moto.port);
    proxies.push(network);
    const client = clientAt(network.endpoint);
    const calls = countGetSecretValue(client);
    const clock = { t: 1_700_000_000_000 };
    const verifier = createOriginVerifier({ secretId, client, now: () => clock.t, ...(refreshMs === undefined ? {} : { refreshMs }) });
    return { verifier, clock, network, calls };
  }

  it('WHEN CloudFront sends the current value THEN it matches; a wrong, truncated, padded, missing or empty value does not', async () => {
    const value = originSecretValue();
    const { verifier } = await container(await createOriginSecret(admin, value));
    expect(await verifier.matches(value)).toBe(true);
    expect(await verifier.matches(originSecretValue())).toBe(false);
    expect(await verifier.matches(value.slice(0, -1))).toBe(false);
    expect(await verifier.matches(`${value} `)).toBe(false);
    expect(await verifier.matches(value.toLowerCase())).toBe(false);
    expect(await verifier.matches(undefined)).toBe(false);
    expect(await verifier.matches('')).toBe(false);
  });

  it('WHEN the secret is rotated twice THEN after each refresh the new and the previous value match, and one two rotations old does not', async () => {
    const [first, second, third] = [originSecretValue(), originSecretValue(), originSecretValue()];
    const arn = await createOriginSecret(admin, first);
    // A secret never rotated has no AWSPREVIOUS: only the current value is read.
    expect(await readCurrentAndPrevious(admin, arn)).toEqual([first]);
    const { verifier, clock } = await container(arn);
    expect(await verifier.matches(first)).toBe(true);

    await rotateOriginSecret(admin, arn, second);
    // moto does what Secrets Manager does: the value before becomes AWSPREVIOUS.
    const previous = await admin.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS' }));
    expect(previous.SecretString).toBe(first);
    clock.t += DEFAULT_REFRESH_MS;
    expect(await verifier.matches(second)).toBe(true);
    // CloudFront may still send this until its distribution is updated.
    expect(await verifier.matches(first)).toBe(true);

    await rotateOriginSecret(admin, arn, third);
    expect(await readCurrentAndPrevious(admin, arn)).toEqual([third, second]);
    clock.t += DEFAULT_REFRESH_MS;
    expect(await verifier.matches(third)).toBe(true);
    expect(await verifier.matches(second)).toBe(true);
    expect(await verifier.matches(first)).toBe(false);
  });

  it('WHEN requests keep coming THEN the values are read once (AWSCURRENT and AWSPREVIOUS) and again only once refreshMs has passed', async () => {
    const value = originSecretValue();
    const { verifier, clock, calls, network } = await container(await createOriginSecret(admin, value), 60_000);
    expect(await verifier.matches(value)).toBe(true);
    expect(calls()).toBe(2);
    // The middleware counts what the SDK sent, and the proxy confirms it reached the network.
    expect(network.requests).toBe(2);
    for (let i = 0; i < 20; i += 1) expect(await verifier.matches(value)).toBe(true);
    clock.t += 59_999;
    expect(await verifier.matches(value)).toBe(true);
    expect(calls()).toBe(2);
    clock.t += 1;
    expect(await verifier.matches(value)).toBe(true);
    expect(calls()).toBe(4);
    expect(network.requests).toBe(4);
  });

  it('WHEN the first requests of a container arrive together THEN they share one read', async () => {
    const value = originSecretValue();
    const { verifier, calls } = await container(await createOriginSecret(admin, value));
    const wrong = originSecretValue();
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => verifier.matches(i % 5 === 0 ? wrong : value)));
    expect(answers).toEqual(Array.from({ length: 25 }, (_, i) => i % 5 !== 0));
    expect(calls()).toBe(2);
  });

  it(`WHEN CloudFront sends a rotated value before the refresh is due THEN the secret is read again, at most once per ${MISMATCH_RECHECK_MS} ms`, async () => {
    const [first, second] = [originSecretValue(), originSecretValue()];
    const arn = await createOriginSecret(admin, first);
    const { verifier, clock, calls } = await container(arn);
    expect(await verifier.matches(first)).toBe(true);
    await rotateOriginSecret(admin, arn, second);

    // Just read: a value matching nothing is refused without another read.
    expect(await verifier.matches(second)).toBe(false);
    expect(calls()).toBe(2);

    clock.t += MISMATCH_RECHECK_MS;
    expect(await Promise.all([1, 2, 3, 4, 5].map(() => verifier.matches(second)))).toEqual([true, true, true, true, true]);
    expect(await verifier.matches(first)).toBe(true);
    expect(calls()).toBe(4);

    // A caller making values up costs one read per period, however many it sends.
    const madeUp = () => verifier.matches(originSecretValue());
    expect(await Promise.all([madeUp(), madeUp(), madeUp()])).toEqual([false, false, false]);
    expect(calls()).toBe(4);
    clock.t += MISMATCH_RECHECK_MS;
    expect(await Promise.all([madeUp(), madeUp(), madeUp()])).toEqual([false, false, false]);
    expect(await madeUp()).toBe(false);
    expect(calls()).toBe(6);
  });

  it('WHEN Secrets Manager cannot be reached at cold start THEN matches rejects (no deny to cache), and a missing header is still refused', async () => {
    const value = originSecretValue();
    const arn = await createOriginSecret(admin, value);
    const client = clientAt(`http://127.0.0.1:${await freePort()}`);
    const verifier = createOriginVerifier({ secretId: arn, client });
    output = captureOutput();

    const failure = await verifier.matches(value).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(OriginSecretUnavailable);
    expect(failure).toMatchObject({ code: 'origin_secret_unavailable' });
    expect(String(failure)).not.toMatch(/Unauthorized/);
    expect((failure as Error).cause).toBeInstanceOf(Error);
    // Without the header there is nothing to compare: no read is needed to refuse it.
    expect(await verifier.matches(undefined)).toBe(false);

    const warnings = output.records().filter((record) => record.level === 'WARN');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ message: expect.stringMatching(/no value is known/), secretId: arn });
    expect(output.text()).not.toContain(value);
  });

  it(`WHEN a cold read fails THEN requests fail without another read for ${READ_RETRY_MS} ms, and match once Secrets Manager is back`, async () => {
    const value = originSecretValue();
    const { verifier, clock, calls, network } = await container(await createOriginSecret(admin, value));
    network.mode = 'down';
    output = captureOutput();
    await expect(verifier.matches(value)).rejects.toBeInstanceOf(OriginSecretUnavailable);
    expect(calls()).toBe(2);
    clock.t += READ_RETRY_MS - 1;
    await expect(verifier.matches(value)).rejects.toBeInstanceOf(OriginSecretUnavailable);
    expect(calls()).toBe(2);

    network.mode = 'pass';
    clock.t += 1;
    expect(await verifier.matches(value)).toBe(true);
    expect(calls()).toBe(4);
    expect(output.records().map((record) => record.message)).toEqual([
      expect.stringMatching(/could not be read and no value is known/),
      'origin-verify secret read again',
    ]);
  });

  it('WHEN Secrets Manager becomes unreachable after a read THEN the known values keep answering, with one warning per refresh period', async () => {
    const value = originSecretValue();
    const { verifier, clock, calls, network } = await container(await createOriginSecret(admin, value));
    expect(await verifier.matches(value)).toBe(true);
    network.mode = 'down';
    output = captureOutput();

    clock.t += DEFAULT_REFRESH_MS;
    expect(await verifier.matches(value)).toBe(true);
    expect(await verifier.matches(originSecretValue())).toBe(false);
    expect(calls()).toBe(4);
    clock.t += READ_RETRY_MS - 1;
    expect(await verifier.matches(value)).toBe(true);
    expect(calls()).toBe(4);
    clock.t += 1;
    expect(await verifier.matches(value)).toBe(true);
    expect(calls()).toBe(6);

    const warnings = output.records().filter((record) => record.level === 'WARN');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      message: expect.stringMatching(/checking against the values read before/),
      error: { name: expect.any(String) },
    });
    expect(output.text()).not.toContain(value);

    network.mode = 'pass';
    clock.t += READ_RETRY_MS;
    expect(await verifier.matches(value)).toBe(true);
    expect(calls()).toBe(8);
    expect(output.records().at(-1)).toMatchObject({ level: 'INFO', message: 'origin-verify secret read again' });
  });

  it('WHEN the secret does not exist THEN matches rejects rather than refuse CloudFront', async () => {
    const verifier = createOriginVerifier({
      secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:never-created-AbCdEf',
      client: clientAt(moto.endpoint),
    });
    output = captureOutput();
    await expect(verifier.matches(originSecretValue())).rejects.toMatchObject({
      code: 'origin_secret_unavailable',
      cause: { name: 'ResourceNotFoundException' },
    });
  });
});
