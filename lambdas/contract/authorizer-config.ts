// The authorizer's slice of the plan, baked into its bundle at synth and read once at init.
import type { JSONWebKeySet } from 'jose';

export interface TrustedIssuer {
  /** Exact `iss` value. */
  readonly issuer: string;
  /** Accepted `aud` values (any one must match). */
  readonly audiences: readonly string[];
  /**
   * A token without `aud` matches by its `client_id` instead (Cognito access tokens name the app client
   * there); a token with `aud` is still judged by `aud`. The HTTP API JWT authorizer does the same.
   * @default false
   */
  readonly audienceFromClientId?: boolean;
  /** JWKS URL; when absent, discovered from `${issuer}/.well-known/openid-configuration` (`jwks_uri`). */
  readonly jwksUri?: string;
  /**
   * Keys baked in at deploy time, trusted only while the live JWKS cannot be fetched: once it answers,
   * a baked key it no longer lists is refused (within `jwks.cacheMaxAgeMs`, like any cached key).
   */
  readonly jwks?: JSONWebKeySet;
  /** The name the spec gives this issuer, for logs. */
  readonly name?: string;
  /**
   * What this issuer may grant; a scope or role outside a list is dropped from its tokens before any
   * route is checked or any context is written. A list left out is not restricted.
   * @default - every scope and role
   */
  readonly grants?: IssuerGrants;
}

export interface IssuerGrants {
  readonly scopes?: readonly string[];
  readonly roles?: readonly string[];
}

/** One API Gateway method the authorizer may grant, and the scopes a token needs for it. */
export interface RouteGrant {
  /** `VERB/path` as in a method ARN after the stage, e.g. `GET/api/orders` or `ANY/api/orders/*`. */
  readonly method: string;
  /** Scopes all required (empty: any valid token). */
  readonly scopes: readonly string[];
  /** Roles of which at least one is required (empty: none required). */
  readonly roles: readonly string[];
  /** The `iss` values whose tokens this method accepts. @default - every trusted issuer */
  readonly issuers?: readonly string[];
}

export interface AuthorizerConfig {
  readonly issuers: readonly TrustedIssuer[];
  /** Allow-list of JWS algorithms; never `none`, never HS* alongside asymmetric ones. */
  readonly algorithms: readonly string[];
  readonly clockToleranceSeconds: number;
  /** Reject tokens whose `iat` is older than this. */
  readonly maxTokenAgeSeconds?: number;
  /** Claims every token must carry. */
  readonly requiredClaims: readonly string[];
  /** Claims scopes are read from: a space-separated string (`scope`) or an array (`scp`). */
  readonly scopeClaims: readonly string[];
  /** Claims roles are read from, e.g. `roles`, `cognito:groups`. */
  readonly roleClaims: readonly string[];
  /** Claims the client id is read from, first present wins, e.g. `client_id`, `azp`. */
  readonly clientIdClaims: readonly string[];
  readonly jwks: {
    readonly timeoutMs: number;
    readonly cacheMaxAgeMs: number;
    /** Minimum time between two refetches triggered by an unknown `kid`. */
    readonly cooldownMs: number;
  };
  /** Every method of the API behind this authorizer, with what it requires. */
  readonly routes: readonly RouteGrant[];
  /** Return the client id as `usageIdentifierKey` so API Gateway meters it against a usage plan. */
  readonly clientIdAsApiKey: boolean;
  /**
   * Behind CloudFront on an HTTP API: the header CloudFront sends; the secret's ARN comes from env
   * GATEHOUSE_ORIGIN_VERIFY_SECRET_ARN. Checked before the token, on payload 2.0 events only (a REST
   * API's web ACL checks it instead).
   * @default - no check
   */
  readonly originVerify?: { readonly header: string };
}

/**
 * What an Allow returns in `context`; the gateway maps these to identity headers upstream
 * (`integration.request.header.X-User-Id: context.authorizer.sub`). Values are strings, never absent.
 */
export interface AuthorizerContext {
  readonly sub: string;
  readonly iss: string;
  /** Comma-separated. */
  readonly roles: string;
  /** Space-separated. */
  readonly scopes: string;
  readonly clientId: string;
}

/**
 * What an identity header carries when there is no identity to tell: on a REST route without JWT auth the gateway
 * sets it as a static mapping (`'-'`, overwriting a client's own copy), and the authorizer returns it for a claim
 * the token lacks. Never empty: an empty static value is not a documented mapping form, and a header that maps
 * to an empty context value may be dropped, which would let a client's copy through. API Gateway documents
 * static values as non-empty quoted strings:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-parameter-mapping-sources.html
 */
export const NO_IDENTITY_VALUE = '-';
