// Baked key sets (key-set.ts) pick the key jose's createLocalJWKSet would, and every accepted algorithm verifies through them.
import { generateKeyPairSync, sign } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import type { AuthorizerConfig } from '../../../lambdas/contract/authorizer-config';
import type { RejectionCode } from '../../../lambdas/authorizer/errors';
import { localKeySet, MultipleMatchingKeys, remoteKeySet } from '../../../lambdas/authorizer/key-set';
import { verifyToken } from '../../../lambdas/authorizer/verify';
import { authorizerConfig } from './support/fixtures';
import { startJwksServer } from './support/jwks-server';
import { jwksOf, nowSeconds, signingKey } from './support/keys';

const ISSUER = 'https://idp.example/keys';
const AUDIENCE = 'orders-api';
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
const config: AuthorizerConfig = { ...authorizerConfig([{ issuer: ISSUER, audiences: [AUDIENCE] }]), algorithms: [...ALGORITHMS] };

const claims = () => ({ iss: ISSUER, aud: AUDIENCE, sub: 'user-1', iat: nowSeconds(), exp: nowSeconds() + 300 });

/** What verifyToken answers with the baked set, and whether jose's jwtVerify over its own local set accepts. */
async function outcome(token: string, jwks: JSONWebKeySet): Promise<{ ours: RejectionCode | 'ok'; jose: 'ok' | 'refused' }> {
  const baked = localKeySet(jwks);
  const ours = await verifyToken(token, config, () => baked).then(
    () => 'ok' as const,
    (err: { code: RejectionCode }) => err.code,
  );
  const jose = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: ISSUER, audience: AUDIENCE, algorithms: [...ALGORITHMS] }).then(
    () => 'ok' as const,
    () => 'refused' as const,
  );
  return { ours, jose };
}

/** An RS256 or PS256 token signed by node:crypto with any header. */
function rsaToken(privateKey: Parameters<typeof sign>[2], header: { alg: 'RS256' | 'PS256'; kid?: string }): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part(header)}.${part(claims())}`;
  const pss = header.alg === 'PS256' ? { padding: 6, saltLength: 32 } : {}; // RSA_PKCS1_PSS_PADDING, salt = digest length
  return `${input}.${sign('sha256', Buffer.from(input), { key: privateKey as never, ...pss }).toString('base64url')}`;
}

describe('GIVEN a baked key set', () => {
  it.each(ALGORITHMS)(
    'WHEN a token is signed with %s THEN it verifies, and with one signature byte changed it is refused, as jose answers',
    async (alg) => {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg }] };
      const token = await new SignJWT(claims()).setProtectedHeader({ alg, kid: 'k' }).sign(privateKey);
      expect(await outcome(token, jwks)).toEqual({ ours: 'ok', jose: 'ok' });

      const dot = token.lastIndexOf('.');
      const signature = Buffer.from(token.slice(dot + 1), 'base64url');
      signature[0] = (signature[0] ?? 0) ^ 1;
      expect(await outcome(`${token.slice(0, dot + 1)}${signature.toString('base64url')}`, jwks)).toEqual({
        ours: 'signature_invalid',
        jose: 'refused',
      });
    },
  );

  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsaJwk = (extra: Partial<JWK> = {}): JWK => ({ ...(rsa.publicKey.export({ format: 'jwk' }) as JWK), kid: 'k', ...extra });

  it.each<[string, JWK, { alg: 'RS256' | 'PS256'; kid?: string }]>([
    ["the key's alg is RS256 and the token's PS256 (same RSA key)", rsaJwk({ alg: 'RS256' }), { alg: 'PS256', kid: 'k' }],
    ['the key is for encryption (use enc)', rsaJwk({ use: 'enc' }), { alg: 'RS256', kid: 'k' }],
    ['the key_ops do not include verify', rsaJwk({ key_ops: ['encrypt'] }), { alg: 'RS256', kid: 'k' }],
    ['the kid is another', rsaJwk(), { alg: 'RS256', kid: 'other' }],
  ])('WHEN %s THEN kid_unknown: no key of the set may verify it, as jose finds none', async (_case, jwk, header) => {
    expect(await outcome(rsaToken(rsa.privateKey, header), { keys: [jwk] })).toEqual({ ours: 'kid_unknown', jose: 'refused' });
  });

  it('WHEN an ES256 token names a P-384 key THEN kid_unknown (the curve is the algorithm’s), as jose finds none', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const { publicKey: p384 } = await generateKeyPair('ES384', { extractable: true });
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', kid: 'k' }).sign(privateKey);
    expect(await outcome(token, { keys: [{ ...(await exportJWK(p384)), kid: 'k' }] })).toEqual({ ours: 'kid_unknown', jose: 'refused' });
  });

  it('WHEN the set holds a private key under the kid THEN the token is refused (internal_error, logged as ours), never accepted', async () => {
    const privateJwk = { ...(rsa.privateKey.export({ format: 'jwk' }) as JWK), kid: 'k', alg: 'RS256' };
    expect(await outcome(rsaToken(rsa.privateKey, { alg: 'RS256', kid: 'k' }), { keys: [privateJwk] })).toEqual({
      ours: 'internal_error',
      jose: 'refused',
    });
  });

  // jose's jwtVerify stops at JWKSMultipleMatchingKeys; Gatehouse tries each key (a kid-less issuer mid-rotation).
  it('WHEN a token has no kid and two RSA keys match THEN each is tried in order and the one that signed it verifies it', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwks = { keys: [{ ...(other.publicKey.export({ format: 'jwk' }) as JWK), kid: 'a' }, rsaJwk({ kid: 'b' })] };
    await expect(localKeySet(jwks)({ alg: 'RS256' }, { payload: '', signature: '' })).rejects.toBeInstanceOf(MultipleMatchingKeys);
    expect(await outcome(rsaToken(rsa.privateKey, { alg: 'RS256' }), jwks)).toMatchObject({ ours: 'ok' });
    expect(await outcome(rsaToken(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, { alg: 'RS256' }), jwks)).toMatchObject({
      ours: 'signature_invalid',
    });
  });

  it.each([
    ['no keys array', { keys: 'none' }],
    ['a member that is not an object', { keys: ['k'] }],
    ['null', null],
  ])('WHEN it is not a JWKS (%s) THEN localKeySet throws a TypeError at init', (_case, jwks) => {
    expect(() => localKeySet(jwks as unknown as JSONWebKeySet)).toThrow(/JSON Web Key Set malformed/);
  });
});

describe('GIVEN an EdDSA token and an Ed448 key under its kid', () => {
  it('WHEN it is verified THEN kid_unknown: the key is not picked (only Ed25519 is verified), never an internal error', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed448');
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${part({ alg: 'EdDSA', kid: 'k' })}.${part(claims())}`;
    const token = `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
    const baked = localKeySet({ keys: [{ ...(publicKey.export({ format: 'jwk' }) as JWK), kid: 'k' }] });
    await expect(verifyToken(token, config, () => baked)).rejects.toMatchObject({ code: 'kid_unknown' });
  });
});

describe('GIVEN a live key set that has not been fetched yet', () => {
  it('WHEN ten tokens ask for keys at once THEN they share one fetch, and the set answers from its cache afterwards', async () => {
    const key = await signingKey('live-1');
    const server = await startJwksServer(jwksOf(key));
    try {
      let fetches = 0;
      const live = remoteKeySet(new URL(server.jwksUri), {
        timeoutMs: 5000,
        cacheMaxAgeMs: 600_000,
        cooldownMs: 30_000,
        fetch: (input, init) => fetch(input, init),
        onFetch: () => fetches++,
      });
      const header = { alg: 'RS256', kid: 'live-1' };
      const keys = await Promise.all(Array.from({ length: 10 }, () => live(header, { payload: '', signature: '' })));
      expect(new Set(keys).size).toBe(1);
      await live(header, { payload: '', signature: '' });
      expect({ fetches, served: server.hits.jwks }).toEqual({ fetches: 1, served: 1 });
    } finally {
      await server.close();
    }
  });
});
