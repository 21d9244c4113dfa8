// The API-key lifecycle (create, list, rotate, revoke, expiry) over API Gateway; only re-exports.
export { createKeysClient, KEYS_MAX_ATTEMPTS, type ApiGatewaySender, type KeysClientOptions } from '../../lambdas/shared/api-keys/client';
export { createKey, type CreateKeyInput } from './create-key';
export { parseDuration } from './duration';
export {
  DEFAULT_EXPIRY_WARNING_DAYS,
  enforceExpiry,
  type DisabledKey,
  type EnforceExpiryOptions,
  type ExpiryReport,
} from '../../lambdas/shared/api-keys/enforce-expiry';
export { KeyError, NO_CREDENTIALS_MESSAGE, type KeyErrorCode } from '../../lambdas/shared/api-keys/errors';
export type { IssuedKey } from './issue-key';
export { keyName, TAG, type KeyInfo } from '../../lambdas/shared/api-keys/key-tags';
export { listKeys, type ListedKey, type ListKeysInput } from './list-keys';
export { revokeKey, type RevokeKeyInput } from './revoke-key';
export { rotateKey, type RotateKeyInput, type RotateKeyResult } from './rotate-key';
