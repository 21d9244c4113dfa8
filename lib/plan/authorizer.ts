// Authorizer planning: the gateway's JWT settings and the route → scope table the Lambda authorizer is baked with.
import { readFileSync } from 'node:fs';
import type { RouteGrant, TrustedIssuer } from '../../lambdas/contract/authorizer-config';
import { largestPolicyDocumentBytes, MAX_POLICY_DOCUMENT_BYTES, policyCacheSafe } from '../../lambdas/contract/route-grants';
import type { TrustedIssuerSpec } from '../config/auth-schema';
import { formatPath, type SpecIssue } from '../config/errors';
import type { GatewaySpec } from '../config/schema';
import { GREEDY_SEGMENT } from './routes';
import type { JwtAuthorizerPlan, PlanWarning, RoutePlan } from './types';

export function planAuthorizer(gateway: GatewaySpec, routes: readonly RoutePlan[]): JwtAuthorizerPlan | undefined {
  const jwt = gateway.auth?.jwt;
  const guarded = routes.filter((r) => r.features.auth === 'jwt');
  if (!jwt || guarded.length === 0) return undefined;
  const issByName = new Map(jwt.issuers.flatMap((i) => (i.name ? [[i.name, i.issuer] as const] : [])));
  // Routes name issuers; the token carries `iss`: the baked table speaks `iss`.
  const grants = guarded.flatMap((route) => routeGrants(route, issByName));
  // Some nested route/scope tables cannot be written as one policy that is right for every route;
  // caching such a policy would refuse calls the token may make, so the cache goes off instead.
  const expressible = policyCacheSafe(grants);
  // A token granted most of a large table would get a document over the authorizer's result size, so it gets one for its
  // call alone, which a cache must not keep either. Sized with the longest method ARN prefix this stage can have.
  const arnPrefix = `arn:aws-us-gov:execute-api:ap-southeast-5:123456789012:abcdefghij/${gateway.stage.name}/`;
  const fits =
    largestPolicyDocumentBytes(
      grants.map((grant) => grant.method),
      arnPrefix,
    ) <= MAX_POLICY_DOCUMENT_BYTES;
  const cacheSafe = expressible && fits;
  return {
    config: {
      issuers: jwt.issuers.map(trustedIssuer),
      algorithms: jwt.algorithms,
      clockToleranceSeconds: jwt.clockToleranceSeconds,
      maxTokenAgeSeconds: jwt.maxTokenAgeSeconds,
      requiredClaims: jwt.requiredClaims,
      scopeClaims: jwt.scopeClaims,
      roleClaims: jwt.roleClaims,
      clientIdClaims: jwt.clientIdClaims,
      jwks: {
        timeoutMs: jwt.jwks.timeoutMs,
        cacheMaxAgeMs: jwt.jwks.cacheMaxAgeSeconds * 1000,
        cooldownMs: jwt.jwks.cooldownSeconds * 1000,
      },
      routes: grants,
      clientIdAsApiKey: jwt.clientIdAsApiKey,
    },
    jwksFiles: Object.fromEntries(jwt.issuers.filter((i) => i.jwksFile).map((i) => [i.issuer, i.jwksFile!])),
    timeoutSeconds: authorizerTimeoutSeconds(jwt.jwks.timeoutMs),
    cacheTtlSeconds: cacheSafe ? jwt.cacheTtlSeconds : 0,
    cacheOffReason:
      cacheSafe || jwt.cacheTtlSeconds === 0
        ? undefined
        : !fits
          ? `a policy listing the JWT routes a token may call can exceed ${MAX_POLICY_DOCUMENT_BYTES} bytes (the part of the 8 KB authorizer result left for it), ` +
            'so such a token gets a policy for its call alone; the authorizer result cache is off for this gateway (cacheTtlSeconds 0)'
          : 'JWT routes overlap by path with scopes that no single cached policy can express (a token may call an outer and an inner route but not one between them; ' +
            'or a path parameter, which an IAM policy can only write as a * that also spans "/", reaches a route with other scopes below a prefix route); ' +
            'the authorizer result cache is off for this gateway (cacheTtlSeconds 0). Setting match: exact on the outer templated routes usually makes the table cacheable again',
    reason:
      "REQUEST Lambda authorizer (jose): API Gateway has no native JWT authorizer on REST APIs; its policy lists every method the token's scopes allow, so a cached policy is right for every route",
  };
}

/**
 * What a token needs for each method of a route, in method-ARN form (`VERB/path`, the implicit greedy child as
 * `/*`), so the authorizer can list exactly the ARNs a token may call. Parameters stay as written (`GET/users/{id}`,
 * `GET/files/{rest+}`): that is an HTTP API route key's form, and the policy writes them as IAM `*` itself.
 */
export function routeGrants(route: RoutePlan, issByName: ReadonlyMap<string, string> = new Map()): RouteGrant[] {
  const { scopes, roles, issuers } = route.features;
  const accepted = issuers && { issuers: issuers.map((name) => issByName.get(name) ?? name) };
  return route.resourcePaths.flatMap((path) =>
    route.apiMethods.map((method) => ({ method: `${method}${arnPath(path)}`, scopes, roles, ...accepted })),
  );
}

/** The authorizer function's timeout: a JWKS fetch plus discovery (each up to `jwksTimeoutMs`) with room to log and answer. */
export function authorizerTimeoutSeconds(jwksTimeoutMs: number): number {
  return Math.ceil((2 * jwksTimeoutMs + 2000) / 1000);
}

/**
 * An issuer as the authorizer is baked with it: optional fields only when set, and the public keys of its `jwksFile`
 * read here, once (the config rules checked the file is a JWKS of public keys), so rendering reads no file.
 */
function trustedIssuer(i: TrustedIssuerSpec): TrustedIssuer {
  return {
    issuer: i.issuer,
    audiences: i.audience,
    // A user pool's keys are at a fixed path (no discovery round trip), and its access tokens carry client_id, not aud.
    jwksUri: i.cognito ? `${i.issuer}/.well-known/jwks.json` : i.jwksUri,
    ...(i.cognito ? { audienceFromClientId: true } : {}),
    ...(i.name ? { name: i.name } : {}),
    ...(i.grants ? { grants: i.grants } : {}),
    ...(i.jwksFile ? { jwks: JSON.parse(readFileSync(i.jwksFile, 'utf8')) as NonNullable<TrustedIssuer['jwks']> } : {}),
  };
}

/** The issuers a route accepts, by name (or `iss` when unnamed), as explain prints them. */
export function acceptedIssuers(gateway: GatewaySpec, route: RoutePlan): string[] {
  const trusted = gateway.auth?.jwt?.issuers ?? [];
  const listed = route.features.issuers;
  return trusted.filter((i) => !listed || (i.name !== undefined && listed.includes(i.name))).map((i) => i.name ?? i.issuer);
}

/**
 * A gateway that trusts several issuers lets any of them grant any scope unless routes say which
 * issuers they accept or issuers say what they may grant: the partner IdP minting `admin`.
 */
export function issuerRestrictionWarnings(name: string, gateway: GatewaySpec, routes: readonly RoutePlan[]): PlanWarning[] {
  const trusted = gateway.auth?.jwt?.issuers ?? [];
  const unbounded = trusted.filter((i) => !i.grants);
  if (trusted.length < 2 || unbounded.length < 2) return [];
  const exposed = [
    ...new Set(
      routes
        .filter((r) => r.features.auth === 'jwt' && (r.features.scopes.length || r.features.roles.length) && !r.features.issuers)
        .map((r) => r.path),
    ),
  ];
  if (exposed.length === 0) return [];
  const shown = exposed.length > 5 ? `${exposed.slice(0, 5).join(', ')} and ${exposed.length - 5} more` : exposed.join(', ');
  return [
    {
      code: 'ISSUER_UNRESTRICTED',
      where: formatPath(['gateways', name, 'auth', 'jwt', 'issuers']),
      message:
        `${unbounded.length} trusted issuers (${unbounded.map((i) => i.name ?? i.issuer).join(', ')}) may each grant any scope or role, and the scoped routes ${shown} accept all of them: ` +
        'a token from any of them carrying the scope is allowed. Set auth.jwt.issuers on those routes, or grants on the issuers',
    },
  ];
}

/**
 * The HTTP API's native JWT authorizer checks the route's scopes against the token's own `scope`
 * claim and maps that claim to the identity header unfiltered, so it cannot enforce `grants`.
 * (Several issuers or roles already take the Lambda authorizer; a route's `issuers` with one trusted
 * issuer can only name that issuer.)
 */
export function nativeJwtRestrictionIssues(name: string, gateway: GatewaySpec): SpecIssue[] {
  return (gateway.auth?.jwt?.issuers ?? []).flatMap((issuer, index) => {
    if (!issuer.grants) return [];
    const path = ['gateways', name, 'auth', 'jwt', 'issuers', index, 'grants'];
    return [
      {
        path,
        where: formatPath(path),
        message:
          "the HTTP API's native JWT authorizer cannot enforce grants (it passes the token's scope claim to the route check and the identity header unfiltered): " +
          "remove grants (with one issuer, the routes' scopes already bound what its tokens can call), or use flavor: rest",
      },
    ];
  });
}

function arnPath(resourcePath: string): string {
  return resourcePath.endsWith(`/${GREEDY_SEGMENT}`) ? `${resourcePath.slice(0, -GREEDY_SEGMENT.length)}*` : resourcePath;
}
