// A JSON Web Key Set as node:crypto verification keys: the key a token's `kid` and `alg` select, live (fetched) or baked.
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import { TokenRejected } from './errors';

/**
 * Why not jose's `createLocalJWKSet` / `createRemoteJWKSet`: they import every key through WebCrypto
 * (`crypto.subtle.importKey`, which loads Node's WebCrypto on a cold start) for a signature that
 * signature.ts checks with node:crypto anyway, and they are most of what jose added to the bundle
 * (`npm run bench:authorizer`). These follow jose's rules (its `isUsableJWK`, refetch on an unknown
 * `kid` after the cooldown, a set older than `cacheMaxAge` refetched before it answers) on `KeyObject`s
 * made once per JWK.
 */

/** A key function in jose's shape (`jwtVerify`'s second argument), so jose's own sets can be injected in tests. */
export type KeyFunction = JWTVerifyGetKey;

/**
 * What the algorithm needs of a JWK (RFC 7518 §6, RFC 8037): its `kty`, and its `crv` where the algorithm
 * fixes the curve. EdDSA also names Ed448, which signature.ts does not verify: such a key is not picked.
 */
const KEY_TYPES: Readonly<Record<string, { readonly kty: string; readonly crv?: string }>> = {
  RS256: { kty: 'RSA' },
  RS384: { kty: 'RSA' },
  RS512: { kty: 'RSA' },
  PS256: { kty: 'RSA' },
  PS384: { kty: 'RSA' },
  PS512: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
  ES512: { kty: 'EC', crv: 'P-521' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  Ed25519: { kty: 'OKP', crv: 'Ed25519' },
};

/** Thrown when a token names no `kid` and several keys of its type match: the caller tries each (jose's JWKSMultipleMatchingKeys). */
export class MultipleMatchingKeys extends Error {
  override readonly name = 'MultipleMatchingKeys';
  /** jose's code for the same case, so one check covers keys from either. */
  readonly code = 'ERR_JWKS_MULTIPLE_MATCHING_KEYS';

  constructor(private readonly candidates: readonly (() => KeyObject)[]) {
    super('multiple matching keys found in the JSON Web Key Set');
  }

  /** Each candidate in set order; one that cannot be imported is skipped, as in jose. */
  async *[Symbol.asyncIterator](): AsyncGenerator<KeyObject> {
    for (const candidate of this.candidates) {
      let key: KeyObject;
      try {
        key = candidate();
      } catch {
        continue;
      }
      yield await Promise.resolve(key);
    }
  }
}

/** `kid_unknown`: no key of the set may verify this token (unknown kid, or a key whose alg, use or curve does not fit). */
export function noMatchingKey(): TokenRejected {
  return new TokenRejected('kid_unknown', 'no applicable key found in the JSON Web Key Set');
}

/**
 * The keys of a set in hand. Throws TypeError for something that is not a JWKS (jose: JWKSInvalid);
 * the key function throws `kid_unknown`, `MultipleMatchingKeys`, or TypeError for a member that is not a public key.
 */
export function localKeySet(jwks: JSONWebKeySet): KeyFunction {
  if (!isKeySet(jwks)) throw new TypeError('JSON Web Key Set malformed');
  const keys = jwks.keys.map((jwk) => ({ ...jwk }));
  const imported = new Map<object, KeyObject>();
  const importKey = (jwk: Record<string, unknown>) => (): KeyObject => {
    let key = imported.get(jwk);
    if (!key) {
      if (jwk.d !== undefined || jwk.priv !== undefined) throw new TypeError('JSON Web Key Set members must be public keys');
      key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
      imported.set(jwk, key);
    }
    return key;
  };
  // eslint-disable-next-line @typescript-eslint/require-await -- jose's key function shape is async
  return async (header) => {
    const { alg, kid } = header;
    const candidates = keys.filter((jwk) => usable(jwk, alg, kid));
    if (candidates.length === 0) throw noMatchingKey();
    if (candidates.length > 1) throw new MultipleMatchingKeys(candidates.map(importKey));
    return importKey(candidates[0]!)();
  };
}

/** jose's `isUsableJWK`: a verification key of the algorithm's type and curve, with the token's kid when it names one. */
function usable(jwk: Record<string, unknown>, alg: unknown, kid: unknown): boolean {
  const wanted = typeof alg === 'string' ? KEY_TYPES[alg] : undefined;
  if (!wanted) return false;
  const { ext, key_ops: keyOps, use, crv } = jwk;
  return (
    (ext === undefined || typeof ext === 'boolean') &&
    (keyOps === undefined ||
      (Array.isArray(keyOps) &&
        keyOps.every((op, i) => typeof op === 'string' && keyOps.indexOf(op) === i) &&
        keyOps.includes('verify'))) &&
    jwk.kty === wanted.kty &&
    (kid === undefined || (typeof kid === 'string' && kid === jwk.kid)) &&
    (jwk.alg === undefined || jwk.alg === alg) &&
    (use === undefined || use === 'sig') &&
    (wanted.crv === undefined || crv === wanted.crv)
  );
}

function isKeySet(value: unknown): value is JSONWebKeySet {
  const keys = (value as { keys?: unknown } | null)?.keys;
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray(keys) &&
    keys.every((key) => typeof key === 'object' && key !== null && !Array.isArray(key))
  );
}

export interface RemoteKeySetOptions {
  readonly timeoutMs: number;
  /** A set fetched longer ago than this is fetched again before it answers. */
  readonly cacheMaxAgeMs: number;
  /** An unknown kid refetches the set, at most once per this long. */
  readonly cooldownMs: number;
  readonly fetch: typeof fetch;
  /** Called before every fetch. */
  readonly onFetch: () => void;
}

/**
 * The issuer's live set at `url` (https, or http on loopback: checked by the caller). A fetch that fails
 * throws its error (a `TimeoutError` when it timed out); concurrent tokens share one fetch. A kid the set
 * lacks is `kid_unknown` when the set was fetched while this token waited (first use, `cacheMaxAgeMs` or the
 * cooldown past), and `kid_not_yet_fetched` when the set is older and the cooldown forbids fetching it now.
 */
export function remoteKeySet(url: URL, options: RemoteKeySetOptions): KeyFunction {
  let local: KeyFunction | undefined;
  let fetchedAt = -Infinity;
  /** Sets fetched so far: one fetched while a token waited answers for that token (a clock in ms cannot tell). */
  let fetches = 0;
  let pending: Promise<void> | undefined;
  const freshFor = (ms: number) => Date.now() < fetchedAt + ms;
  const reload = (): Promise<void> => {
    pending ??= fetchKeySet(url, options)
      .then((jwks) => {
        local = localKeySet(jwks);
        fetchedAt = Date.now();
        fetches += 1;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
  return async (header, token) => {
    const fetchesBefore = fetches;
    if (!local || !freshFor(options.cacheMaxAgeMs)) await reload();
    try {
      return await local!(header, token);
    } catch (err) {
      // Not in a set fetched for this token: `kid_unknown`, a refusal.
      if (!(err instanceof TokenRejected && err.code === 'kid_unknown') || fetches !== fetchesBefore) throw err;
      // A kid published after the last fetch (an issuer rotating keys): fetch again, unless that was within the
      // cooldown. Then the kid is only not fetched yet, and the same token may pass once it is: no answer about it.
      if (freshFor(options.cooldownMs))
        throw new TokenRejected('kid_not_yet_fetched', 'kid not in the key set, refetched after the cooldown');
      await reload();
      return local!(header, token);
    }
  };
}

async function fetchKeySet(url: URL, { timeoutMs, fetch: fetchImpl, onFetch }: RemoteKeySetOptions): Promise<JSONWebKeySet> {
  onFetch();
  // The timeout covers the body too.
  const signal = AbortSignal.timeout(timeoutMs);
  const response = await fetchImpl(url.href, {
    signal,
    redirect: 'manual',
    headers: { accept: 'application/json, application/jwk-set+json' },
  });
  if (response.status !== 200) throw new Error(`Expected 200 OK from the JSON Web Key Set HTTP response, got ${response.status}`);
  try {
    return (await response.json()) as JSONWebKeySet;
  } catch (cause) {
    if (signal.aborted) throw signal.reason;
    throw new Error('Failed to parse the JSON Web Key Set HTTP response as JSON', { cause });
  }
}
