// Attacks on the verifier, each refused with its stable code and a 401 from the handler; keys served over loopback HTTP.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { exportSPKI } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizerConfig } from '../../../lambdas/contract/authorizer-config';
import { REJECTION_CODES, type RejectionCode } from '../../../lambdas/authorizer/errors';
import { createHandler, type AuthorizerHandler } from '../../../lambdas/authorizer/handler';
import { createKeyResolver, type KeyResolver } from '../../../lambdas/authorizer/jwks';
import { MAX_TOKEN_BYTES, verifyToken } from '../../../lambdas/authorizer/verify';
import { arnOf, authorizerConfig, captureOutput, decisions, requestEvent, type CapturedOutput } from './support/fixtures';
import { policyAllows } from './support/iam';
import { startJwksServer, type JwksServer } from './support/jwks-server';
import { craftToken, jwksOf, nowSeconds, signingKey, signToken, type SigningKey } from './support/keys';

const AUDIENCE = 'orders-api';

let server: JwksServer;
let trusted: SigningKey;
let otherIssuerKey: SigningKey;
let attacker: SigningKey;
let config: AuthorizerConfig;
let keys: KeyResolver;
let handle: AuthorizerHandler;
let output: CapturedOutput;
let issuer: string;
const otherIssuer = 'https://other-issuer.example';

beforeAll(async () => {
  [trusted, otherIssuerKey, attacker] = await Promise.all([
    signingKey('trusted-1'),
    signingKey('other-1', 'ES256'),
    signingKey('trusted-1'), // an attacker's own key, published under the trusted kid
  ]);
  server = await startJwksServer(jwksOf(trusted));
  issuer = server.origin;
  config = authorizerConfig([
    { issuer, audiences: [AUDIENCE, 'orders-api-v2'], jwksUri: server.jwksUri },
    { issuer: otherIssuer, audiences: [AUDIENCE], jwks: jwksOf(otherIssuerKey) },
  ]);
  keys = createKeyResolver(config);
  output = captureOutput();
  handle = createHandler(config, { keyResolver: keys });
});

afterEach(() => output.clear());

afterAll(async () => {
  output.restore();
  await server.close();
});

const valid = (claims: Record<string, unknown> = {}, key = trusted, header: Record<string, unknown> = {}) =>
  signToken(key, { iss: issuer, aud: AUDIENCE, scope: 'orders:read', ...claims }, header);

/** The verifier refuses with `code`, the handler throws API Gateway's 'Unauthorized' and logs that code. */
async function expectRefused(token: string, code: RejectionCode, on = { config, keys, handle }): Promise<void> {
  await expect(verifyToken(token, on.config, on.keys)).rejects.toMatchObject({ name: 'TokenRejected', code });
  await expect(on.handle(requestEvent(`Bearer ${token}`))).rejects.toThrow(/^Unauthorized$/);
  expect(decisions(output).at(-1)).toMatchObject({ decision: 'deny', reason: code });
}

describe('GIVEN a token signed by a trusted issuer', () => {
  it('WHEN it is valid THEN the verifier returns its claims and the handler allows the method', async () => {
    const token = await valid();
    const verified = await verifyToken(token, config, keys);
    expect(verified.claims).toMatchObject({ iss: issuer, sub: 'user-1', aud: AUDIENCE });
    expect(verified.kid).toBe('trusted-1');
    const result = await handle(requestEvent(`Bearer ${token}`));
    expect(policyAllows(result.policyDocument, arnOf('GET/api/orders'))).toBe(true);
  });

  it('WHEN its aud is an array holding one accepted audience THEN it is accepted', async () => {
    await expect(verifyToken(await valid({ aud: ['somebody-else', 'orders-api-v2'] }), config, keys)).resolves.toBeDefined();
  });

  it('WHEN it lacks the scope of the called method THEN the policy does not allow that method (API Gateway answers 403)', async () => {
    const token = await valid({ scope: 'profile' });
    const result = await handle(requestEvent(`Bearer ${token}`, arnOf('POST/api/orders')));
    expect(policyAllows(result.policyDocument, arnOf('POST/api/orders'))).toBe(false);
    expect(decisions(output).at(-1)).toMatchObject({ decision: 'deny', reason: 'insufficient_scope' });
  });
});

describe('GIVEN a token whose algorithm is not an accepted asymmetric one', () => {
  it('WHEN alg is none with an empty signature THEN algorithm_not_allowed', async () => {
    const token = craftToken({ alg: 'none', typ: 'JWT' }, { iss: issuer, aud: AUDIENCE, sub: 'admin', exp: nowSeconds() + 60 });
    await expectRefused(token, 'algorithm_not_allowed');
  });

  it('WHEN it is HS256 signed with the issuer public key as HMAC secret (alg confusion) THEN algorithm_not_allowed', async () => {
    const pem = await exportSPKI(trusted.publicKey);
    const header = { alg: 'HS256', kid: 'trusted-1' };
    const payload = { iss: issuer, aud: AUDIENCE, sub: 'admin', exp: nowSeconds() + 60, scope: 'orders:write' };
    const unsigned = craftToken(header, payload).slice(0, -1);
    const signature = createHmac('sha256', pem).update(unsigned).digest('base64url');
    const token = `${unsigned}.${signature}`;
    await expectRefused(token, 'algorithm_not_allowed');

    // Even a config that lists HS256 never accepts it.
    const lax = { ...config, algorithms: ['HS256', 'RS256'] };
    const laxHandle = createHandler(lax, { keyResolver: keys });
    await expectRefused(token, 'algorithm_not_allowed', { config: lax, keys, handle: laxHandle });
  });

  it('WHEN it uses an asymmetric algorithm the config does not list THEN algorithm_not_allowed', async () => {
    const rsOnly = { ...config, algorithms: ['RS256'] };
    const token = await valid({ iss: otherIssuer }, otherIssuerKey); // ES256
    await expectRefused(token, 'algorithm_not_allowed', { config: rsOnly, keys, handle: createHandler(rsOnly, { keyResolver: keys }) });
  });
});

describe('GIVEN a token outside its validity window', () => {
  it('WHEN exp is past by more than the clock tolerance THEN token_expired', async () => {
    await expectRefused(await valid({ exp: nowSeconds() - 60 }), 'token_expired');
  });

  it('WHEN nbf is ahead by more than the clock tolerance THEN token_not_yet_valid', async () => {
    await expectRefused(await valid({ nbf: nowSeconds() + 120 }), 'token_not_yet_valid');
  });

  it('WHEN exp passed or nbf arrives within the 5 s tolerance THEN it is still accepted', async () => {
    await expect(verifyToken(await valid({ exp: nowSeconds() - 2 }), config, keys)).resolves.toBeDefined();
    await expect(verifyToken(await valid({ nbf: nowSeconds() + 2 }), config, keys)).resolves.toBeDefined();
  });

  it('WHEN the tolerance is 0 THEN a token expired a second ago is refused', async () => {
    const strict = { ...config, clockToleranceSeconds: 0 };
    await expect(verifyToken(await valid({ exp: nowSeconds() - 1 }), strict, keys)).rejects.toMatchObject({ code: 'token_expired' });
  });

  it('WHEN iat is older than maxTokenAgeSeconds THEN token_too_old', async () => {
    const bounded = { ...config, maxTokenAgeSeconds: 600 };
    const token = await valid({ iat: nowSeconds() - 3600, exp: nowSeconds() + 300 });
    await expectRefused(token, 'token_too_old', { config: bounded, keys, handle: createHandler(bounded, { keyResolver: keys }) });
  });
});

describe('GIVEN a token for someone else', () => {
  it('WHEN iss is not a trusted issuer THEN issuer_untrusted', async () => {
    await expectRefused(await valid({ iss: 'https://evil.example' }), 'issuer_untrusted');
  });

  it('WHEN it has no iss THEN claim_missing', async () => {
    await expectRefused(await valid({ iss: undefined }), 'claim_missing');
  });

  it('WHEN aud names another API THEN audience_mismatch', async () => {
    await expectRefused(await valid({ aud: 'billing-api' }), 'audience_mismatch');
  });
});

describe('GIVEN a token whose signature does not come from the issuer key', () => {
  // Each with key sets of its own, so the issuer's set is fetched for this token: not in it is a refusal, not a kid fetched too long ago.
  const freshKeys = () => ({ config, keys: createKeyResolver(config), handle: createHandler(config) });

  it('WHEN its kid is in no key set of the issuer THEN kid_unknown', async () => {
    await expectRefused(await valid({}, trusted, { kid: 'never-published' }), 'kid_unknown', freshKeys());
  });

  it('WHEN it claims a trusted issuer but is signed by another trusted issuer key THEN kid_unknown', async () => {
    await expectRefused(await valid({}, otherIssuerKey), 'kid_unknown', freshKeys());
  });

  it('WHEN an attacker signs with their own key under the trusted kid THEN signature_invalid', async () => {
    await expectRefused(await valid({ sub: 'admin' }, attacker), 'signature_invalid');
  });

  it('WHEN the payload is edited after signing (scope elevated) THEN signature_invalid', async () => {
    const [header, , signature] = (await valid()).split('.');
    const forged = craftToken({}, { iss: issuer, aud: AUDIENCE, sub: 'user-1', exp: nowSeconds() + 60, scope: 'orders:write' });
    await expectRefused(`${header}.${forged.split('.')[1]}.${signature}`, 'signature_invalid');
  });
});

describe('GIVEN a token missing a required claim', () => {
  it('WHEN it has no sub THEN claim_missing', async () => {
    await expectRefused(await valid({ sub: undefined }), 'claim_missing');
  });

  it('WHEN it has no exp THEN claim_missing (a token that never expires is refused)', async () => {
    await expectRefused(await valid({ exp: undefined }), 'claim_missing');
  });

  it('WHEN it lacks a claim listed in requiredClaims THEN claim_missing', async () => {
    const strict = { ...config, requiredClaims: ['jti'] };
    await expectRefused(await valid(), 'claim_missing', { config: strict, keys, handle: createHandler(strict, { keyResolver: keys }) });
  });
});

describe('GIVEN a token or header over the size limit', () => {
  it(`WHEN the token is over ${MAX_TOKEN_BYTES} bytes THEN token_too_large, before any parsing`, async () => {
    const token = await valid({ padding: 'x'.repeat(MAX_TOKEN_BYTES) });
    await expectRefused(token, 'token_too_large');
  });

  it('WHEN the protected header alone is oversized THEN token_too_large', async () => {
    await expectRefused(await valid({}, trusted, { x5u_padding: 'y'.repeat(MAX_TOKEN_BYTES) }), 'token_too_large');
  });

  it('WHEN the Authorization header is huge garbage THEN token_too_large', async () => {
    await expect(handle(requestEvent(`Bearer ${'a'.repeat(64 * 1024)}`))).rejects.toThrow(/^Unauthorized$/);
    expect(decisions(output).at(-1)).toMatchObject({ reason: 'token_too_large' });
  });

  it('WHEN a valid token is just under the limit THEN it is accepted', async () => {
    const token = await valid({ padding: 'x'.repeat(((MAX_TOKEN_BYTES - 800) * 3) / 4) });
    expect(token.length).toBeLessThanOrEqual(MAX_TOKEN_BYTES);
    expect(token.length).toBeGreaterThan(MAX_TOKEN_BYTES - 1024);
    await expect(verifyToken(token, config, keys)).resolves.toBeDefined();
  });
});

describe('GIVEN tokens that are not JWS at all', () => {
  const notInternal = REJECTION_CODES.filter((code) => code !== 'internal_error' && code !== 'jwks_unavailable');

  it('WHEN it is a five-part JWE THEN token_malformed', async () => {
    await expectRefused('eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d', 'token_malformed');
  });

  it('WHEN a valid token is truncated anywhere THEN it is refused with a stable code, never an internal error', async () => {
    const token = await valid();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: token.length - 1 }), async (length) => {
        const error = await verifyToken(token.slice(0, length), config, keys).then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(error).toMatchObject({ name: 'TokenRejected' });
        expect(notInternal).toContain((error as { code: string }).code);
        await expect(handle(requestEvent(`Bearer ${token.slice(0, length)}`))).rejects.toThrow(/^Unauthorized$/);
      }),
      { numRuns: 200 },
    );
  });

  it('WHEN one character of the header or payload is replaced THEN it is refused, never an internal error', async () => {
    const token = await valid();
    const signedPart = token.lastIndexOf('.');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~ '.split('');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: signedPart - 1 }), fc.constantFrom(...alphabet), async (at, char) => {
        fc.pre(token[at] !== char);
        const mutated = `${token.slice(0, at)}${char}${token.slice(at + 1)}`;
        const error = await verifyToken(mutated, config, keys).then(
          () => undefined,
          (err: unknown) => err,
        );
        // A change to base64url padding bits can leave the decoded bytes as they were; any real change is refused.
        if (error === undefined) return;
        expect(notInternal).toContain((error as { code: string }).code);
      }),
      { numRuns: 200 },
    );
  });

  it('WHEN the credential is arbitrary text THEN the handler answers Unauthorized with a stable code', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.base64String({ maxLength: 300 }),
          fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((parts) => parts.join('.')),
        ),
        async (garbage) => {
          output.clear();
          await expect(handle(requestEvent(`Bearer ${garbage}`))).rejects.toThrow(/^Unauthorized$/);
          expect(notInternal).toContain(decisions(output).at(-1)?.reason);
        },
      ),
      { numRuns: 200 },
    );
  });
});
