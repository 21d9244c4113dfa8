// HTTP API planning: routes as route keys, the native JWT authorizer, parameter mappings and the resources an HTTP gateway costs.
import type { GatewaySpec } from '../spec/schema';
import { observabilityResources, proxyResources } from './resources';
import type { AggregatorPlan, HttpProxyIntegration, NativeJwtAuthorizerPlan, ProxyPlan, RoutePlan } from './types';

/** Api and its `$default` stage. */
const HTTP_API_RESOURCES = 2;

/** An HTTP API routes each listed method itself (unlisted ones get 404); there is no resource policy to collapse methods into. */
export function httpRoutes(routes: readonly RoutePlan[]): RoutePlan[] {
  return routes.map((r) => ({
    ...r,
    methodsReason: r.methods.includes('ANY')
      ? 'HTTP API: one ANY route per path'
      : 'HTTP API: one route per listed method on each path; other methods get 404 from the API',
  }));
}

/** Route keys (`ANY /api/users/{proxy+}`) of one route plan: every method on every path it owns. */
export function routeKeys(route: RoutePlan): string[] {
  return route.resourcePaths.flatMap((path) => route.apiMethods.map((method) => `${method} ${path}`));
}

export function planNativeJwtAuthorizer(gateway: GatewaySpec, routes: readonly RoutePlan[]): NativeJwtAuthorizerPlan | undefined {
  const issuer = gateway.auth?.jwt?.issuers[0];
  if (!issuer || !routes.some((r) => r.features.auth === 'jwt')) return undefined;
  return {
    issuer: issuer.issuer,
    audiences: issuer.audience,
    reason:
      "the HTTP API's native JWT authorizer: it verifies the signature, issuer, audience and expiry and checks the route's scopes itself, with no Lambda in the path",
  };
}

/**
 * The REST mapping expressions of an HTTP proxy integration's headers as HTTP API parameter mappings:
 * `context.requestId` → `$context.requestId`, a constant `'v'` → `v`, a blanked `''` → `remove:`, and the
 * Lambda authorizer's identity fields → the native JWT authorizer's claims.
 */
export function httpRequestParameters(integration: HttpProxyIntegration): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [header, source] of Object.entries(integration.headers)) {
    if (source === "''") out[`remove:header.${header}`] = "''";
    else if (source.startsWith("'")) out[`overwrite:header.${header}`] = source.slice(1, -1);
    else if (source.startsWith('context.authorizer.')) {
      const claim = IDENTITY_CLAIMS[source.slice('context.authorizer.'.length)];
      // A claim the native authorizer has no single name for is removed, so a client can never send its own.
      out[claim ? `overwrite:header.${header}` : `remove:header.${header}`] = claim ? `$context.authorizer.claims.${claim}` : "''";
    } else out[`overwrite:header.${header}`] = `$${source}`;
  }
  return out;
}

/** Identity fields of the Lambda authorizer and the JWT claims they come from (roles have no standard claim). */
const IDENTITY_CLAIMS: Readonly<Record<string, string>> = { sub: 'sub', scopes: 'scope', clientId: 'client_id' };

/**
 * What an HTTP gateway costs in CloudFormation: API and stage, access-log group, the native authorizer,
 * dashboard and alarms, each proxy and aggregator (one integration each), and per route path one
 * integration per resource path (exact and greedy URIs differ) and one route per route key.
 */
export function httpGatewayResources(
  gateway: GatewaySpec,
  routes: readonly RoutePlan[],
  functions: readonly (ProxyPlan | AggregatorPlan)[],
  nativeJwt: boolean,
): number {
  const integrations =
    routes.reduce((n, r) => n + (r.integration.kind === 'http-proxy' ? r.resourcePaths.length : 0), 0) + functions.length;
  return (
    HTTP_API_RESOURCES +
    (gateway.stage.accessLogs.enabled ? 1 : 0) +
    (nativeJwt ? 1 : 0) +
    observabilityResources(gateway) +
    functions.reduce((n, f) => n + proxyResources(f, gateway.stage.tracing), 0) +
    integrations +
    routes.reduce((n, r) => n + routeKeys(r).length, 0)
  );
}
