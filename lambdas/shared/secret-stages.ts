// Reads the current and previous values of a Secrets Manager secret: the only module of the origin-verify check that loads the AWS SDK.
import { GetSecretValueCommand, SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';

/**
 * Client settings for the secret read: it sits on the path of the first request of a container (and of
 * one per refresh period), which API Gateway waits for under its authorizer timeout, so it fails fast
 * and retries once.
 */
export const SECRETS_CLIENT_DEFAULTS = Object.freeze({
  maxAttempts: 2,
  connectionTimeoutMs: 1000,
  requestTimeoutMs: 2000,
});

/** A `SecretsManagerClient` with `SECRETS_CLIENT_DEFAULTS`; `config` (region, endpoint, credentials) goes on top. */
export function createSecretsClient(config: SecretsManagerClientConfig = {}): SecretsManagerClient {
  return new SecretsManagerClient({
    maxAttempts: SECRETS_CLIENT_DEFAULTS.maxAttempts,
    requestHandler: {
      connectionTimeout: SECRETS_CLIENT_DEFAULTS.connectionTimeoutMs,
      requestTimeout: SECRETS_CLIENT_DEFAULTS.requestTimeoutMs,
    },
    ...config,
  });
}

/**
 * The `AWSCURRENT` value, then the `AWSPREVIOUS` one when the secret has one (a secret never updated
 * has none: Secrets Manager answers ResourceNotFoundException). Any other failure of either read fails
 * the whole read, so a caller never mistakes a transient error for "there is no previous value".
 */
export async function readCurrentAndPrevious(client: SecretsManagerClient, secretId: string): Promise<string[]> {
  const [current, previous] = await Promise.all([
    readStage(client, secretId, 'AWSCURRENT'),
    readStage(client, secretId, 'AWSPREVIOUS').catch((error: unknown) => {
      if ((error as { name?: unknown } | undefined)?.name === 'ResourceNotFoundException') return undefined;
      throw error;
    }),
  ]);
  return previous === undefined ? [current] : [current, previous];
}

async function readStage(client: SecretsManagerClient, secretId: string, stage: string): Promise<string> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }));
  if (typeof SecretString !== 'string') throw new Error(`secret ${secretId} has no string value at ${stage}`);
  return SecretString;
}
