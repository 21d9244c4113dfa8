// `keys revoke`: deletes a consumer's keys (or one key by id) on a gateway, at once and for good.
import { DeleteApiKeyCommand } from '@aws-sdk/client-api-gateway';
import type { ApiGatewaySender } from '../../lambdas/shared/api-keys/client';
import { requireName } from './create-key';
import { keysOfConsumer } from '../../lambdas/shared/api-keys/consumer-keys';
import { explainingAwsErrors, KeyError } from '../../lambdas/shared/api-keys/errors';
import { fetchKeys } from '../../lambdas/shared/api-keys/fetch-keys';
import type { KeyInfo } from '../../lambdas/shared/api-keys/key-tags';

export type RevokeKeyInput =
  | { readonly gateway: string; readonly consumer: string; readonly keyId?: undefined }
  | { readonly gateway: string; readonly keyId: string; readonly consumer?: undefined };

/**
 * Deletes rather than disables: a revoked key is not meant to come back, and deleting also removes it
 * from every usage plan in one call, so nothing is left half-revoked. Create a new key to restore access.
 */
export async function revokeKey(client: ApiGatewaySender, input: RevokeKeyInput): Promise<KeyInfo[]> {
  requireName('gateway', input.gateway);
  return explainingAwsErrors(async () => {
    const all = await fetchKeys(client);
    const targets =
      input.keyId !== undefined ? [keyOfGateway(all, input.gateway, input.keyId)] : consumerTargets(all, input.gateway, input.consumer);
    for (const key of targets) await client.send(new DeleteApiKeyCommand({ apiKey: key.id }));
    return targets;
  });
}

function consumerTargets(all: readonly KeyInfo[], gateway: string, consumer: string): KeyInfo[] {
  requireName('consumer', consumer);
  return keysOfConsumer(all, gateway, consumer);
}

function keyOfGateway(all: readonly KeyInfo[], gateway: string, keyId: string): KeyInfo {
  const key = all.find((k) => k.id === keyId);
  if (!key) throw new KeyError('KEY_NOT_FOUND', `no API key with id "${keyId}" in this account and region`);
  const ofGateway = key.gateway !== undefined ? key.gateway === gateway : key.name.startsWith(`${gateway}-`);
  if (!ofGateway) throw new KeyError('KEY_NOT_FOUND', `API key "${keyId}" (${key.name}) is not a key of gateway "${gateway}"`);
  return key;
}
