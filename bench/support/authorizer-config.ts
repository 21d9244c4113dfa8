// The JWT authorizer config the benchmarks bake: a small API (users, orders, an admin area), one issuer with its JWKS baked in.
import type { AuthorizerConfig } from '../../lambdas/contract/authorizer-config';
import { jwksOf, type SigningKey } from '../../test/lambdas/authorizer/support/keys';

export const ISSUER = 'https://login.example.com/';
export const AUDIENCE = 'orders-api';

/** What a planner would bake for a small API: users, orders, an admin area; one trusted issuer with its JWKS baked in. */
export function gatehouseConfig(signing: SigningKey): AuthorizerConfig {
  return {
    issuers: [{ issuer: ISSUER, audiences: [AUDIENCE], jwks: jwksOf(signing) }],
    algorithms: ['RS256', 'ES256'],
    clockToleranceSeconds: 30,
    requiredClaims: [],
    scopeClaims: ['scope', 'scp'],
    roleClaims: ['roles', 'cognito:groups'],
    clientIdClaims: ['client_id', 'azp', 'cid'],
    jwks: { timeoutMs: 1500, cacheMaxAgeMs: 600_000, cooldownMs: 30_000 },
    routes: [
      { method: 'GET/api/users', scopes: ['users:read'], roles: [] },
      { method: 'GET/api/users/*', scopes: ['users:read'], roles: [] },
      { method: 'POST/api/users', scopes: ['users:write'], roles: [] },
      { method: 'GET/api/orders', scopes: ['orders:read'], roles: [] },
      { method: 'GET/api/orders/*', scopes: ['orders:read'], roles: [] },
      { method: 'POST/api/orders', scopes: ['orders:write'], roles: [] },
      { method: 'ANY/api/me', scopes: [], roles: [] },
      { method: 'ANY/admin/*', scopes: [], roles: ['admin'] },
    ],
    clientIdAsApiKey: false,
  };
}
