// The node:crypto signature check answers as jose's jwtVerify would, for every accepted algorithm and JWS header extension.
import { generateKeyPairSync, sign } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import type { AuthorizerConfig } from '../../../lambdas/contract/authorizer-config';
import type { RejectionCode } from '../../../lambdas/authorizer/errors';
import type { KeyResolver } from '../../../lambdas/authorizer/jwks';
import { verifyToken } from '../../../lambdas/authorizer/verify';
import { authorizerConfig } from './support/fixtures';
import { nowSeconds } from './support/keys';

const ISSUER = 'https://idp.example/sig';
const AUDIENCE = 'orders-api';
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

function setup(jwks: JSONWebKeySet): { config: AuthorizerConfig; keys: KeyResolver; set: ReturnType<typeof createLocalJWKSet> } {
  const config = { ...authorizerConfig([{ issuer: ISSUER, audiences: [AUDIENCE] }]), algorithms: [...ALGORITHMS] };
  const set = createLocalJWKSet(jwks);
  return { config, keys: () => set, set };
}

const claims = () => ({ iss: ISSUER, aud: AUDIENCE, sub: 'user-1', iat: nowSeconds(), exp: nowSeconds() + 300 });

/** A token with any header, signed RS256 by node:crypto: for headers jose's SignJWT refuses to write. */
function rs256Token(privateKey: Parameters<typeof sign>[2], header: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part(header)}.${part(claims())}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

async function outcome(token: string, on: ReturnType<typeof setup>): Promise<{ ours: RejectionCode | 'ok'; jose: 'ok' | 'refused' }> {
  const ours = await verifyToken(token, on.config, on.keys).then(
    () => 'ok' as const,
    (err: { code: RejectionCode }) => err.code,
  );
  const jose = await jwtVerify(token, on.set, { issuer: ISSUER, audience: AUDIENCE, algorithms: [...ALGORITHMS] }).then(
    () => 'ok' as const,
    () => 'refused' as const,
  );
  return { ours, jose };
}

describe('GIVEN a token signed with each accepted algorithm', () => {
  it.each(ALGORITHMS)(
    'WHEN it is signed with %s THEN it verifies, and with one signature byte changed it is refused as jose refuses it',
    async (alg) => {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      const on = setup({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg }] });
      const token = await new SignJWT(claims()).setProtectedHeader({ alg, kid: 'k' }).sign(privateKey);
      expect(await outcome(token, on)).toEqual({ ours: 'ok', jose: 'ok' });

      const dot = token.lastIndexOf('.');
      const signature = Buffer.from(token.slice(dot + 1), 'base64url');
      signature[0] = (signature[0] ?? 0) ^ 1;
      expect(await outcome(`${token.slice(0, dot + 1)}${signature.toString('base64url')}`, on)).toEqual({
        ours: 'signature_invalid',
        jose: 'refused',
      });
    },
  );
});

describe('GIVEN JWS header extensions (crit, b64) and weak keys', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k', alg: 'RS256' };

  it('WHEN crit names b64 with b64 true THEN it verifies, as in jose', async () => {
    const on = setup({ keys: [jwk] });
    expect(await outcome(rs256Token(privateKey, { alg: 'RS256', kid: 'k', crit: ['b64'], b64: true }), on)).toEqual({
      ours: 'ok',
      jose: 'ok',
    });
  });

  it.each([
    ['crit names an extension nobody recognizes', { crit: ['exp'], exp: 1 }],
    ['crit is empty', { crit: [] }],
    ['crit names b64 and b64 is absent', { crit: ['b64'] }],
    ['crit names b64 and b64 is not a boolean', { crit: ['b64'], b64: 'no' }],
    ['the payload is declared unencoded (b64 false)', { crit: ['b64'], b64: false }],
  ])('WHEN %s THEN it is refused as malformed, as jose refuses it', async (_case, extra) => {
    const on = setup({ keys: [jwk] });
    expect(await outcome(rs256Token(privateKey, { alg: 'RS256', kid: 'k', ...extra }), on)).toEqual({
      ours: 'token_malformed',
      jose: 'refused',
    });
  });

  it('WHEN the issuer publishes a 1024-bit RSA key THEN its tokens are refused, as jose refuses them', async () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const on = setup({ keys: [{ ...weak.publicKey.export({ format: 'jwk' }), kid: 'k', alg: 'RS256' }] });
    const { ours, jose } = await outcome(rs256Token(weak.privateKey, { alg: 'RS256', kid: 'k' }), on);
    expect(jose).toBe('refused');
    expect(ours).not.toBe('ok');
  });
});
