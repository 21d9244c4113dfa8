// Signing keys and tokens made in the test: real jose keys, real signatures.
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet, type JWK, type JWTPayload } from 'jose';

export interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256' | 'PS256';
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** Public JWK as an issuer publishes it. */
  readonly jwk: JWK;
}

export async function signingKey(kid: string, alg: SigningKey['alg'] = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, jwk };
}

export function jwksOf(...keys: SigningKey[]): JSONWebKeySet {
  return { keys: keys.map((key) => key.jwk) };
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A token signed by `key`; claims default to a valid token of `iss`/`aud`, override or remove (undefined) any. */
export async function signToken(key: SigningKey, claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  const now = nowSeconds();
  const payload = Object.fromEntries(
    Object.entries({ sub: 'user-1', iat: now, exp: now + 300, ...claims }).filter(([, value]) => value !== undefined),
  );
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header }).sign(key.privateKey);
}

/** A token put together by hand: header and payload as given, signature as given (empty for alg none). */
export function craftToken(header: object, payload: object, signature = ''): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(payload)}.${signature}`;
}
