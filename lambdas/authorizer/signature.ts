// Checks a compact JWS signature with node:crypto's synchronous `verify`, on keys jose's key sets resolved.
import { constants, createPublicKey, KeyObject, verify, type JsonWebKey } from 'node:crypto';
import { base64url, errors, type CryptoKey, type JWK, type KeyObject as JoseKeyObject } from 'jose';

/**
 * Why not jose's `jwtVerify`: jose 6 checks signatures through WebCrypto, an async job on libuv's
 * thread pool per token. On a busy 2-core host that hop costs more than the RSA check itself
 * (`npm run bench:authorizer`, "Floor" and unique-token rows), and its first call loads WebCrypto.
 * jose still parses the header, picks and imports the key (its JWKS sets, their caches and
 * cooldowns) and validates the claims (`UnsecuredJWT.decode`, see verify.ts).
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

/** What a jose key function may hand back. */
export type ResolvedKey = CryptoKey | JoseKeyObject | JWK | Uint8Array;

/** jose's key sets return the same CryptoKey for the same JWK: its KeyObject is made once. */
const keyObjects = new WeakMap<object, KeyObject>();

/**
 * Throws what jose's `jwtVerify` throws at the same points: `JWSInvalid` for a signature that is not
 * base64url, `TypeError` for a key that cannot check `alg`, `JWSSignatureVerificationFailed` when it
 * does not verify. `alg` is one of the accepted algorithms (checked by the caller).
 */
export function checkSignature(token: string, alg: string, key: ResolvedKey): void {
  const scheme = SCHEMES[alg];
  if (!scheme) throw new errors.JOSENotSupported(`Unsupported JWS algorithm: ${alg}`);
  const dot = token.lastIndexOf('.');
  let signature: Uint8Array;
  try {
    signature = base64url.decode(token.slice(dot + 1));
  } catch (cause) {
    throw new errors.JWSInvalid('Failed to base64url decode the signature', { cause });
  }
  const keyObject = verificationKey(key, alg, scheme);
  let verified = false;
  try {
    // The signing input is the token's first two parts as they are: ASCII, checked by verify.ts's COMPACT_JWS.
    verified = verify(scheme.digest, Buffer.from(token.slice(0, dot), 'latin1'), { key: keyObject, ...scheme.options }, signature);
  } catch (cause) {
    throw new errors.JWSSignatureVerificationFailed(undefined, { cause });
  }
  if (!verified) throw new errors.JWSSignatureVerificationFailed();
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
