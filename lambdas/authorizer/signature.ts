// Checks a compact JWS signature with node:crypto's synchronous `verify`, on the key a key set resolved.
import { constants, createPublicKey, KeyObject, verify, type JsonWebKey } from 'node:crypto';
import type { CryptoKey, JWK, KeyObject as JoseKeyObject } from 'jose';
import { TokenRejected } from './errors';

/**
 * Why not jose's `jwtVerify`: jose 6 checks signatures through WebCrypto, an async job on libuv's
 * thread pool per token. On a busy 2-core host that hop costs more than the RSA check itself
 * (`npm run bench:authorizer`, "Floor" and unique-token rows), and its first call loads WebCrypto.
 * The checks are jose's (RFC 7518 §3: key type, curve, RSA size); key-set.ts picks the key and
 * claims-check.ts checks the claims.
 */

/** How each accepted algorithm is checked: the digest, the key types it needs and the node:crypto options. */
interface Scheme {
  readonly digest: string | null;
  readonly keyTypes: readonly string[];
  readonly namedCurve?: string;
  /** RSASSA-PSS padding with a salt as long as the digest (RFC 7518 §3.5), or JOSE's r||s form of an ECDSA signature (§3.4). */
  readonly options?: { readonly padding: number; readonly saltLength: number } | { readonly dsaEncoding: 'ieee-p1363' };
}

const RSA = ['rsa', 'rsa-pss'];
const PSS = { options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } };
const P1363 = { options: { dsaEncoding: 'ieee-p1363' } } as const;
/** RFC 7518 §3: the JWS algorithms, as jose checks them (RSA keys of 2048 bits or more, EC keys on the algorithm's curve). */
const SCHEMES: Readonly<Record<string, Scheme>> = {
  RS256: { digest: 'sha256', keyTypes: RSA },
  RS384: { digest: 'sha384', keyTypes: RSA },
  RS512: { digest: 'sha512', keyTypes: RSA },
  PS256: { digest: 'sha256', keyTypes: RSA, ...PSS },
  PS384: { digest: 'sha384', keyTypes: RSA, ...PSS },
  PS512: { digest: 'sha512', keyTypes: RSA, ...PSS },
  ES256: { digest: 'sha256', keyTypes: ['ec'], namedCurve: 'prime256v1', ...P1363 },
  ES384: { digest: 'sha384', keyTypes: ['ec'], namedCurve: 'secp384r1', ...P1363 },
  ES512: { digest: 'sha512', keyTypes: ['ec'], namedCurve: 'secp521r1', ...P1363 },
  EdDSA: { digest: null, keyTypes: ['ed25519'] },
  Ed25519: { digest: null, keyTypes: ['ed25519'] },
};

/** jose refuses shorter RSA keys for every RS and PS algorithm. */
const MIN_RSA_BITS = 2048;

/** What a key function may hand back (jose's sets, injected in tests, hand back CryptoKeys). */
export type ResolvedKey = CryptoKey | JoseKeyObject | JWK | Uint8Array;

/** Key sets return the same key object for the same JWK: its KeyObject is made once. */
const keyObjects = new WeakMap<object, KeyObject>();

/**
 * Throws `signature_invalid` when the signature does not verify, `TypeError` for a key that cannot
 * check `alg` (jose's answers at the same points). `token` is a compact JWS of base64url characters
 * (verify.ts's COMPACT_JWS) and `alg` one of the accepted algorithms (both checked by the caller).
 */
export function checkSignature(token: string, alg: string, key: ResolvedKey): void {
  const scheme = SCHEMES[alg];
  if (!scheme) throw new TokenRejected('algorithm_not_allowed', `Unsupported JWS algorithm: ${alg}`);
  const dot = token.lastIndexOf('.');
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  const keyObject = verificationKey(key, alg, scheme);
  let verified = false;
  try {
    // The signing input is the token's first two parts as they are: ASCII, checked by verify.ts's COMPACT_JWS.
    verified = verify(scheme.digest, Buffer.from(token.slice(0, dot), 'latin1'), { key: keyObject, ...scheme.options }, signature);
  } catch (cause) {
    throw new TokenRejected('signature_invalid', 'signature verification failed', { cause });
  }
  if (!verified) throw new TokenRejected('signature_invalid', 'signature verification failed');
}

function verificationKey(key: ResolvedKey, alg: string, scheme: Scheme): KeyObject {
  let keyObject = typeof key === 'object' && key !== null ? keyObjects.get(key) : undefined;
  if (!keyObject) {
    keyObject = toKeyObject(key, alg);
    keyObjects.set(key, keyObject);
  }
  if (keyObject.type !== 'public') throw new TypeError(`${alg} verification requires a public key`);
  const type = keyObject.asymmetricKeyType ?? '';
  if (!scheme.keyTypes.includes(type)) throw new TypeError(`key of type ${type} cannot verify ${alg}`);
  const details = keyObject.asymmetricKeyDetails ?? {};
  if (scheme.namedCurve && details.namedCurve !== scheme.namedCurve) throw new TypeError(`${alg} requires a key on its curve`);
  if (RSA.includes(type) && (details.modulusLength ?? 0) < MIN_RSA_BITS) {
    throw new TypeError(`${alg} requires key modulusLength to be ${MIN_RSA_BITS} bits or larger`);
  }
  return keyObject;
}

function toKeyObject(key: ResolvedKey, alg: string): KeyObject {
  if (key instanceof KeyObject) return key;
  if (key instanceof Uint8Array) throw new TypeError(`${alg} verification requires an asymmetric key`);
  if (isCryptoKey(key)) {
    if (!key.usages.includes('verify')) throw new TypeError(`CryptoKey does not support this operation, its usages must include verify`);
    return KeyObject.from(key);
  }
  return createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
}

function isCryptoKey(key: unknown): key is CryptoKey {
  return (key as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] === 'CryptoKey';
}
