// Tokens for the verify tests: signed with a key the test makes, verified by the fake gateway through a JWKS on loopback.
import { jwksOf, nowSeconds, signingKey, signToken } from '../../lambdas/authorizer/support/keys';
import { startJwksServer, type JwksServer } from '../../lambdas/authorizer/support/jwks-server';

export const ISSUER = 'https://login.example.com/';
export const AUDIENCE = 'verify-api';
export const API_KEY = 'verify-test-key-0123456789abcdef';

export interface TestIssuer {
  readonly jwks: JwksServer;
  /** Has users:read; lacks roles and a client id (so the absent-claim mapping shows). */
  readonly token: string;
  /** Has users:read and the role admin; lacks a client id. */
  readonly adminToken: string;
  readonly tokenWithoutScope: string;
  readonly expiredToken: string;
  /** Expired, with users:read and the role admin: behind an HTTP API Lambda authorizer only its 403 shows the refusal. */
  readonly expiredAdminToken: string;
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const key = await signingKey('verify-key');
  const jwks = await startJwksServer(jwksOf(key));
  const base = { iss: ISSUER, aud: AUDIENCE };
  const now = nowSeconds();
  return {
    jwks,
    token: await signToken(key, { ...base, scope: 'users:read' }),
    adminToken: await signToken(key, { ...base, scope: 'users:read', roles: ['admin'] }),
    tokenWithoutScope: await signToken(key, { ...base, scope: 'orders:read' }),
    expiredToken: await signToken(key, { ...base, scope: 'users:read', iat: now - 1200, exp: now - 600 }),
    expiredAdminToken: await signToken(key, { ...base, scope: 'users:read', roles: ['admin'], iat: now - 1200, exp: now - 600 }),
  };
}
