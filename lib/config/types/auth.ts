// What a user writes under `gateways.<name>.auth` and a route's `auth`: trusted JWT issuers and per-route requirements.
// Checked against lib/config/auth-schema.ts by test/config/spec-types.check.ts.
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';

/** Asymmetric JWS algorithms only (HS* and none are never accepted). */
export type JwtAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

/** An OpenID provider (or any JWT issuer) whose tokens the gateway accepts. */
export interface TrustedIssuerSpec {
  /** Exact `iss` of the tokens; its OIDC discovery document gives the JWKS unless `jwksUri` is set. Give this or `cognito`. */
  readonly issuer?: string;
  /** A Cognito user pool as the issuer (issuer URL, JWKS and app-client check derived). @default - issuer */
  readonly cognito?: CognitoIssuerSpec;
  /** The name routes and aggregates use in `auth.jwt.issuers`. @default - routes cannot name it */
  readonly name?: string;
  /** What this issuer may grant; its other scopes and roles are ignored. @default - every scope and role */
  readonly grants?: IssuerGrantsSpec;
  /** Accepted `aud` values (required with `issuer`). @default - with cognito: the app client ids */
  readonly audience?: string[];
  /** Where the issuer's signing keys are. @default - from the issuer's discovery document */
  readonly jwksUri?: string;
  /** A JWKS JSON file baked into the authorizer at synth (no fetch on cold start). @default - fetched */
  readonly jwksFile?: string;
}

/** A Cognito user pool whose tokens the gateway accepts. */
export interface CognitoIssuerSpec {
  /** The pool's id, e.g. `eu-west-1_AbCdEf123` (or a token). Give this or `userPool`. */
  readonly userPoolId?: string;
  /** TypeScript specs: the pool itself, instead of `userPoolId`. */
  readonly userPool?: IUserPool;
  /** TypeScript specs: the app clients whose tokens are accepted, instead of or besides `clientIds`. */
  readonly clients?: IUserPoolClient[];
  /** @default - the region the pool id starts with; for a pool id that is a token, the stack's region */
  readonly region?: string;
  /** App clients whose tokens are accepted (`client_id` of an access token, `aud` of an id token). */
  readonly clientIds?: string[];
}

/** How the JWT authorizer fetches and caches the issuers' keys. */
export interface JwksFetchSpec {
  /** Deadline of one JWKS fetch. @default 1500 */
  readonly timeoutMs?: number;
  /** How long fetched keys are used before refetching. @default 600 */
  readonly cacheMaxAgeSeconds?: number;
  /** Least time between refetches for an unknown key id. @default 30 */
  readonly cooldownSeconds?: number;
}

/** Headers the authorizer's identity reaches the upstream in. */
export interface IdentityHeadersSpec {
  /** The token's subject. @default X-User-Id */
  readonly userId?: string;
  /** The token's roles, comma-separated. @default X-User-Roles */
  readonly roles?: string;
  /** The token's scopes, space-separated. @default X-User-Scopes */
  readonly scopes?: string;
  /** The token's client id. @default X-Client-Id */
  readonly clientId?: string;
}

/** `auth.jwt`: the Lambda authorizer that verifies bearer tokens. */
export interface JwtAuthSpec {
  /** Issuers whose tokens are accepted. */
  readonly issuers: TrustedIssuerSpec[];
  /** Accepted signing algorithms. @default ['RS256', 'ES256'] */
  readonly algorithms?: JwtAlgorithm[];
  /** Clock skew allowed on exp/nbf/iat, at most 300. @default 30 */
  readonly clockToleranceSeconds?: number;
  /** Refuse tokens issued longer ago than this. @default - no limit beyond exp */
  readonly maxTokenAgeSeconds?: number;
  /** Claims every token must carry. @default [] */
  readonly requiredClaims?: string[];
  /** Claims read for scopes, first present wins. @default ['scope', 'scp'] */
  readonly scopeClaims?: string[];
  /** Claims read for roles. @default ['roles', 'cognito:groups'] */
  readonly roleClaims?: string[];
  /** Claims read for the client id. @default ['client_id', 'azp', 'cid'] */
  readonly clientIdClaims?: string[];
  /** Meter JWT clients against usage plans: the token's client id is the API key; consumers name their `clientId`. @default false */
  readonly clientIdAsApiKey?: boolean;
  /** How long API Gateway caches the authorizer's decision per token, at most 3600. @default 300 */
  readonly cacheTtlSeconds?: number;
  /** JWKS fetching and caching. @default - 1500 ms timeout, 600 s cache, 30 s cooldown */
  readonly jwks?: JwksFetchSpec;
  /** Headers the caller's identity is passed upstream in. @default - X-User-Id, X-User-Roles, X-User-Scopes, X-Client-Id */
  readonly identityHeaders?: IdentityHeadersSpec;
}

/** `gateways.<name>.auth`: token issuers the gateway trusts; routes opt in with their own `auth`. */
export interface GatewayAuthSpec {
  /** @default - no JWT authorizer */
  readonly jwt?: JwtAuthSpec;
}

/** Scopes and roles an issuer may grant (a list left out is not restricted; an empty list grants none). */
export interface IssuerGrantsSpec {
  /** @default - any scope */
  readonly scopes?: string[];
  /** @default - any role */
  readonly roles?: string[];
}

/** A route's requirement beyond a valid token. */
export interface RouteJwtRequirementSpec {
  /** Every listed scope is required (403 without). @default [] */
  readonly scopes?: string[];
  /** At least one listed role is required (403 without). @default [] */
  readonly roles?: string[];
  /** Names of the gateway's issuers whose tokens the route accepts. @default - every trusted issuer */
  readonly issuers?: string[];
}

/** A route's `auth`: `'jwt'` (any valid token) or `{ jwt: { scopes, roles } }`. */
export type RouteAuthSpec = 'jwt' | { readonly jwt?: RouteJwtRequirementSpec };
