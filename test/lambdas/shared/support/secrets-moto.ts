// Secrets in a real moto_server for the origin-verify tests: SDK clients with the handlers' own defaults and a fresh secret per test.
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
  type SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import { ORIGIN_VERIFY_SECRET_ENV } from '../../../../lambdas/contract/origin-verify';
import { createSecretsClient } from '../../../../lambdas/shared/secret-stages';
import { MOTO_CREDENTIALS, MOTO_REGION, motoMissing } from '../../../support/moto-server';
import { scaled } from '../../../support/time-factor';

export { findMotoServer, freePort, startMotoServer, type MotoServer } from '../../../support/moto-server';

export const MOTO_MISSING = motoMissing('the origin-verify tests');

/** Dummy credentials and us-east-1, as moto expects; `overrides` (e.g. `maxAttempts: 1`) on top. */
export function secretsClient(endpoint: string, overrides: SecretsManagerClientConfig = {}): SecretsManagerClient {
  return createSecretsClient({ endpoint, region: MOTO_REGION, credentials: { ...MOTO_CREDENTIALS }, ...overrides });
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A value shaped like the one the stack generates: 48 letters and digits. */
export function originSecretValue(): string {
  return Array.from({ length: 48 }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');
}

let secrets = 0;

/** A new secret whose AWSCURRENT is `value`; resolves to its ARN. */
export async function createOriginSecret(client: SecretsManagerClient, value: string): Promise<string> {
  secrets += 1;
  const { ARN } = await client.send(new CreateSecretCommand({ Name: `origin-verify-${process.pid}-${secrets}`, SecretString: value }));
  if (!ARN) throw new Error('moto returned no ARN');
  return ARN;
}

/** What a rotation does to the secret: a new AWSCURRENT; Secrets Manager moves the one before to AWSPREVIOUS. */
export async function rotateOriginSecret(client: SecretsManagerClient, arn: string, value: string): Promise<void> {
  await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: value }));
}

/** Where a bundle run in a fresh process finds the AWS SDK, as the Lambda runtime provides it outside the bundle. */
export const RUNTIME_SDK_PATH = resolve(__dirname, '../../../../node_modules');

/**
 * The environment of a built bundle run in a fresh process against moto: only PATH, the SDK on NODE_PATH,
 * the secret's ARN and moto's endpoint, region and credentials, plus the events the test script replays.
 */
export function bundleEnvAgainstMoto(options: {
  endpoint: string;
  secretArn: string;
  serviceName: string;
  events: unknown[];
}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_PATH: RUNTIME_SDK_PATH,
    POWERTOOLS_SERVICE_NAME: options.serviceName,
    [ORIGIN_VERIFY_SECRET_ENV]: options.secretArn,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: options.endpoint,
    AWS_REGION: MOTO_REGION,
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    GATEHOUSE_TEST_EVENTS: JSON.stringify(options.events),
  };
}

/** Counts the GetSecretValue calls a client sends, failed ones included (a middleware on the real client). */
export function countGetSecretValue(client: SecretsManagerClient): () => number {
  let calls = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetSecretValueCommand') calls += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countGetSecretValue' },
  );
  return () => calls;
}

/**
 * Runs a built handler bundle in a fresh Node process against moto, as Lambda would (SDK from NODE_PATH, config
 * from the environment), replays `events` through it, and returns the answers and everything it printed.
 */
export async function replayInBundle(
  bundleFile: string,
  options: { cwd: string; endpoint: string; secretArn: string; serviceName: string; events: unknown[] },
): Promise<{ answers: unknown; stdout: string }> {
  const script = `
    const { handler } = require(${JSON.stringify(bundleFile)});
    (async () => {
      const answers = [];
      for (const event of JSON.parse(process.env.GATEHOUSE_TEST_EVENTS)) answers.push(await handler(event));
      console.log('RESULT ' + JSON.stringify(answers));
    })().catch((error) => console.log('RESULT ' + JSON.stringify({ error: String(error) })));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    // Nothing to resolve from but what NODE_PATH offers, as in the Lambda runtime.
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: scaled(20_000),
    env: bundleEnvAgainstMoto(options),
  });
  const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
  return { answers: line === undefined ? undefined : JSON.parse(line.slice('RESULT '.length)), stdout };
}
