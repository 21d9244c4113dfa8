// Secrets in a real moto_server for the origin-verify tests: SDK clients with the handlers' own defaults and a fresh secret per test.
import { CreateSecretCommand, PutSecretValueCommand, type SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import { randomInt } from 'node:crypto';
import { createSecretsClient } from '../../../../lambdas/shared/secret-stages';
import { MOTO_CREDENTIALS, MOTO_REGION, motoMissing } from '../../../support/moto-server';

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
