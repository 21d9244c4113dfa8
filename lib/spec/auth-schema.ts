// The `auth` sections of the spec: the gateway's JWT issuers and each route's scope/role requirements.
import { z } from 'zod';

/** Asymmetric JWS algorithms only: an HS* key would be the issuer's public key, the classic confusion attack. */
export const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

const headerName = z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name uses letters, digits and "-"');

/** How routes and aggregates refer to a trusted issuer (`auth.jwt.issuers: [partner]`). */
export const issuerName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'an issuer name is 1-64 letters, digits, "_", "." or "-", e.g. partner-idp');

/**
 * What an issuer may grant. A scope or role outside these lists in one of its tokens is ignored:
 * it opens no route and never reaches the identity headers. A list left out is not restricted.
 */
const issuerGrantsSchema = z
  .strictObject({
    scopes: z.array(z.string().min(1)).optional(),
    roles: z.array(z.string().min(1)).optional(),
  })
  .refine((g) => g.scopes !== undefined || g.roles !== undefined, {
    error: 'grants restricts nothing: list the scopes and/or roles this issuer may grant (an empty list: none), or remove grants',
  });

export const trustedIssuerSchema = z.strictObject({
  /** Exact `iss` of the tokens; its OIDC discovery document gives the JWKS unless jwksUri is set. */
  issuer: z.url({ protocol: /^https?$/, error: 'issuer must be the issuer URL exactly as in the tokens\' "iss", e.g. https://login.example.com/' }),
  /** Accepted `aud` values. */
  audience: z.array(z.string().min(1)).min(1, 'list at least one audience, e.g. [orders-api]'),
  jwksUri: z.url({ protocol: /^https?$/, error: 'jwksUri must be an http(s) URL' }).optional(),
  /**
   * A JWKS JSON file baked into the authorizer at synth, relative to the config file: it keeps tokens
   * verifiable while the live JWKS is unreachable. A baked key the live JWKS no longer lists stops
   * being trusted within jwks.cacheMaxAgeSeconds.
   */
  jwksFile: z.string().optional(),
  /** The name routes and aggregates use in `auth.jwt.issuers` to accept this issuer's tokens. */
  name: issuerName.optional(),
  /** @default - this issuer may grant every scope and role */
  grants: issuerGrantsSchema.optional(),
});

export const jwtAuthSchema = z.strictObject({
  issuers: z.array(trustedIssuerSchema).min(1, 'list at least one issuer'),
  algorithms: z
    .array(z.enum(JWT_ALGORITHMS, { error: `an algorithm is one of ${JWT_ALGORITHMS.join(', ')} (HS* and none are never accepted)` }))
    .min(1)
    .default(['RS256', 'ES256']),
  clockToleranceSeconds: z.number().int().min(0).max(300, 'clockToleranceSeconds above 300 s accepts long-expired tokens').default(30),
  maxTokenAgeSeconds: z.number().int().positive().optional(),
  requiredClaims: z.array(z.string()).default([]),
  scopeClaims: z.array(z.string()).min(1).default(['scope', 'scp']),
  roleClaims: z.array(z.string()).default(['roles', 'cognito:groups']),
  clientIdClaims: z.array(z.string()).min(1).default(['client_id', 'azp', 'cid']),
  /**
   * Meter JWT clients against usage plans: the authorizer returns the token's client id as the API
   * key (API Gateway's AUTHORIZER key source), and each consumer names its `clientId`.
   */
  clientIdAsApiKey: z.boolean().default(false),
  /** How long API Gateway caches the authorizer's policy per token. */
  cacheTtlSeconds: z.number().int().min(0).max(3600, 'API Gateway caches authorizer results for at most 3600 s').default(300),
  jwks: z
    .strictObject({
      timeoutMs: z.number().int().min(100).max(10_000).default(1500),
      cacheMaxAgeSeconds: z.number().int().min(0).default(600),
      cooldownSeconds: z.number().int().min(0).default(30),
    })
    .prefault({}),
  identityHeaders: z
    .strictObject({
      userId: headerName.default('X-User-Id'),
      roles: headerName.default('X-User-Roles'),
      scopes: headerName.default('X-User-Scopes'),
      clientId: headerName.default('X-Client-Id'),
    })
    .prefault({}),
});

export const gatewayAuthSchema = z.strictObject({ jwt: jwtAuthSchema.optional() });

/** A route's requirement: `auth: jwt` (any valid token) or `auth: { jwt: { scopes, roles } }`. */
export const routeAuthSchema = z
  .union([
    z.literal('jwt'),
    z.strictObject({
      jwt: z
        .strictObject({
          /** Every listed scope is required (403 without). */
          scopes: z.array(z.string().min(1)).default([]),
          /** At least one listed role is required (403 without). */
          roles: z.array(z.string().min(1)).default([]),
          /** Names of the gateway's issuers whose tokens this route accepts. @default - every trusted issuer */
          issuers: z.array(issuerName).min(1, 'list at least one issuer name, or remove issuers to accept every trusted issuer').optional(),
        })
        .prefault({}),
    }),
  ], { error: 'auth is "jwt" or { jwt: { scopes: [...], roles: [...], issuers: [...] } }' })
  .transform((a) => (a === 'jwt' ? { jwt: { scopes: [] as string[], roles: [] as string[] } } : a));

export type JwtAuthSpec = z.output<typeof jwtAuthSchema>;
export type TrustedIssuerSpec = z.output<typeof trustedIssuerSchema>;
export type RouteAuthSpec = z.output<typeof routeAuthSchema>;
