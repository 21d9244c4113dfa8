// Authorizer planning: the gateway's JWT settings and the route → scope table the Lambda authorizer is baked with.
import type { RouteGrant } from '../../lambdas/authorizer/config';
import { policyCacheSafe } from '../../lambdas/authorizer/policy';
import type { GatewaySpec } from '../spec/schema';
import { GREEDY_SEGMENT } from './routes';
import type { JwtAuthorizerPlan, RoutePlan } from './types';

export function planAuthorizer(gateway: GatewaySpec, routes: readonly RoutePlan[]): JwtAuthorizerPlan | undefined {
  const jwt = gateway.auth?.jwt;
  const guarded = routes.filter((r) => r.features.auth === 'jwt');
  if (!jwt || guarded.length === 0) return undefined;
  const grants = guarded.flatMap(routeGrants);
  // Some nested route/scope tables cannot be written as one policy that is right for every route;
  // caching such a policy would refuse calls the token may make, so the cache goes off instead.
  const cacheSafe = policyCacheSafe(grants);
  return {
    config: {
      issuers: jwt.issuers.map((i) => ({ issuer: i.issuer, audiences: i.audience, jwksUri: i.jwksUri })),
      algorithms: jwt.algorithms,
      clockToleranceSeconds: jwt.clockToleranceSeconds,
      maxTokenAgeSeconds: jwt.maxTokenAgeSeconds,
      requiredClaims: jwt.requiredClaims,
      scopeClaims: jwt.scopeClaims,
      roleClaims: jwt.roleClaims,
      clientIdClaims: jwt.clientIdClaims,
      jwks: { timeoutMs: jwt.jwks.timeoutMs, cacheMaxAgeMs: jwt.jwks.cacheMaxAgeSeconds * 1000, cooldownMs: jwt.jwks.cooldownSeconds * 1000 },
      routes: grants,
      clientIdAsApiKey: jwt.clientIdAsApiKey,
    },
    jwksFiles: Object.fromEntries(jwt.issuers.filter((i) => i.jwksFile).map((i) => [i.issuer, i.jwksFile!])),
    cacheTtlSeconds: cacheSafe ? jwt.cacheTtlSeconds : 0,
    cacheOffReason:
      cacheSafe || jwt.cacheTtlSeconds === 0
        ? undefined
        : 'three JWT routes nest by path with scopes that no single cached policy can express (a token may call the outer and inner route but not the middle one); the authorizer result cache is off for this gateway (cacheTtlSeconds 0)',
    reason:
      'REQUEST Lambda authorizer (jose): API Gateway has no native JWT authorizer on REST APIs; its policy lists every method the token\'s scopes allow, so a cached policy is right for every route',
  };
}

/**
 * What a token needs for each method of a route, in method-ARN form (`VERB/path`, greedy child as
 * `/*`), so the authorizer can list exactly the ARNs a token may call.
 */
export function routeGrants(route: RoutePlan): RouteGrant[] {
  return route.resourcePaths.flatMap((path) =>
    route.apiMethods.map((method) => ({ method: `${method}${arnPath(path)}`, scopes: route.features.scopes, roles: route.features.roles })),
  );
}

function arnPath(resourcePath: string): string {
  return resourcePath.endsWith(`/${GREEDY_SEGMENT}`) ? `${resourcePath.slice(0, -GREEDY_SEGMENT.length)}*` : resourcePath;
}
