// HTTP API planning: routes as route keys, the native JWT authorizer, parameter mappings and the resources an HTTP gateway costs.
import { cloudfrontOf } from '../config/edge-rules';
import type { GatewaySpec } from '../config/schema';
import { planAuthorizer } from './authorizer';
import { ORIGIN_VERIFY_HEADER } from './edge';
import { AUTHORIZER_RESOURCES, observabilityResources, proxyResources } from './resources';
import type { ApiFunctionPlan, HttpProxyIntegration, JwtAuthorizerPlan, NativeJwtAuthorizerPlan, RoutePlan } from './types';

/** Api (with the OpenAPI body) and its `$default` stage. */
const HTTP_API_RESOURCES = 2;

/**
 * The verbs an `ANY` route becomes when the gateway answers CORS preflights: every method but OPTIONS.
 * An HTTP API answers a preflight itself only when no route matches `OPTIONS <path>`; an `ANY` route
 * matches it, so the preflight would run the route's authorizer without a token (401) or reach the
 * upstream instead: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 */
export const PREFLIGHT_SAFE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

/**
 * An HTTP API routes each listed method itself (unlisted ones get 404); there is no resource policy to collapse
 * methods into. With CORS on, `ANY` is expanded into the verbs other than OPTIONS, so the API's own CORS answers
 * every preflight. (An unauthenticated `OPTIONS` route would cost one route instead of five more, but an HTTP API
 * has no mock integration: its upstream would have to answer the preflight, which is not what the config says.)
 */
export function httpRoutes(routes: readonly RoutePlan[], gateway: Pick<GatewaySpec, 'cors'>): RoutePlan[] {
  return routes.map((r) => {
    if (r.methods.includes('ANY') && gateway.cors && r.features.cors) {
      return {
        ...r,
        apiMethods: [...PREFLIGHT_SAFE_METHODS],
        methodsReason: `HTTP API: ANY is routed as ${PREFLIGHT_SAFE_METHODS.join(', ')} on each path, so no route matches a CORS preflight and the API answers it itself (an ANY route would send it to the authorizer or the upstream)`,
      };
    }
    return {
      ...r,
      methodsReason: r.methods.includes('ANY')
        ? 'HTTP API: one ANY route per path'
        : 'HTTP API: one route per listed method on each path; other methods get 404 from the API',
    };
  });
}

/** Route keys (`ANY /api/users/{proxy+}`) of one route plan: every method on every path it owns. */
export function routeKeys(route: RoutePlan): string[] {
  return route.resourcePaths.flatMap((path) => route.apiMethods.map((method) => `${method} ${path}`));
}

/**
 * Why the native JWT authorizer cannot serve the gateway's JWT routes, so the Gatehouse Lambda
 * authorizer (simple responses) does: it checks issuer, audience, expiry and `scope`/`scp` only,
 * for one issuer found through OIDC discovery. Empty when the native one is enough.
 */
export function lambdaAuthorizerReasons(gateway: GatewaySpec, routes: readonly RoutePlan[]): string[] {
  const jwt = gateway.auth?.jwt;
  if (!jwt || !routes.some((r) => r.features.auth === 'jwt')) return [];
  const reasons: string[] = [];
  if (routes.some((r) => r.features.roles.length)) reasons.push('roles');
  if (jwt.issuers.length > 1) reasons.push(`${jwt.issuers.length} issuers`);
  if (jwt.issuers.some((i) => i.jwksFile)) reasons.push('a baked JWKS');
  if (jwt.issuers.some((i) => i.jwksUri)) reasons.push('a jwksUri');
  if (jwt.requiredClaims.length) reasons.push('required claims');
  if (jwt.maxTokenAgeSeconds !== undefined) reasons.push('a maximum token age');
  if (jwt.scopeClaims.join() !== NATIVE_SCOPE_CLAIMS.join()) reasons.push('custom scope claims');
  // Behind CloudFront a route's one authorizer must also refuse calls that skipped CloudFront (see planEdge).
  if (cloudfrontOf(gateway)) reasons.push(`CloudFront's ${ORIGIN_VERIFY_HEADER} header`);
  return reasons;
}

/** The claims the native JWT authorizer reads scopes from. */
const NATIVE_SCOPE_CLAIMS = ['scope', 'scp'];

export function planNativeJwtAuthorizer(gateway: GatewaySpec, routes: readonly RoutePlan[]): NativeJwtAuthorizerPlan | undefined {
  const issuer = gateway.auth?.jwt?.issuers[0];
  if (!issuer || !routes.some((r) => r.features.auth === 'jwt') || lambdaAuthorizerReasons(gateway, routes).length) return undefined;
  return {
    issuer: issuer.issuer,
    audiences: issuer.audience,
    reason:
      "the HTTP API's native JWT authorizer: it verifies the signature, issuer, audience and expiry and checks the route's scopes itself, with no Lambda in the path",
  };
}

/**
 * The Gatehouse Lambda authorizer on an HTTP API, when the native one cannot serve the routes. Its
 * simple response is cached per token and route key (both identity sources), so the configured TTL
 * is right for every route table, nested ones included.
 */
export function planHttpLambdaAuthorizer(gateway: GatewaySpec, routes: readonly RoutePlan[]): JwtAuthorizerPlan | undefined {
  const reasons = lambdaAuthorizerReasons(gateway, routes);
  const plan = reasons.length ? planAuthorizer(gateway, routes) : undefined;
  if (!plan) return undefined;
  return {
    ...plan,
    config: cloudfrontOf(gateway) ? { ...plan.config, originVerify: { header: ORIGIN_VERIFY_HEADER } } : plan.config,
    cacheTtlSeconds: gateway.auth!.jwt!.cacheTtlSeconds,
    cacheOffReason: undefined,
    reason: `REQUEST Lambda authorizer (jose) with simple responses, payload 2.0: the HTTP API's native JWT authorizer cannot check ${reasons.join(', ')}; its answer is cached per token${cloudfrontOf(gateway) ? `, ${ORIGIN_VERIFY_HEADER} value` : ''} and route key`,
  };
}

/**
 * The REST mapping expressions of an HTTP proxy integration's headers as HTTP API parameter mappings:
 * `context.requestId` → `$context.requestId`, a constant `'v'` → `v`, a blanked `''` → `remove:`, and the
 * Lambda authorizer's identity fields → the native JWT authorizer's claims.
 */
export function httpRequestParameters(
  integration: HttpProxyIntegration,
  authorizer: 'native' | 'lambda' = 'native',
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [header, source] of Object.entries(integration.headers)) {
    if (source === "''") out[`remove:header.${header}`] = "''";
    else if (source.startsWith("'")) out[`overwrite:header.${header}`] = source.slice(1, -1);
    else if (source.startsWith('context.authorizer.') && authorizer === 'lambda') out[`overwrite:header.${header}`] = `$${source}`;
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

/** Route keys and integrations an HTTP API holds, counted against its per-API quotas. */
export function httpApiCounts(routes: readonly RoutePlan[], functions: number): { routes: number; integrations: number } {
  return {
    routes: routes.reduce((n, r) => n + routeKeys(r).length, 0),
    // A Lambda service's integration is shared by all its routes (one per service, as integrationKey keys it).
    integrations:
      routes.reduce((n, r) => n + (r.integration.kind === 'http-proxy' ? r.resourcePaths.length : 0), 0) +
      functions +
      new Set(routes.flatMap((r) => (r.integration.kind === 'lambda-function' ? [r.integration.service] : []))).size,
  };
}

/** The Gatehouse Lambda authorizer on an HTTP API: its function, role, policy, log group and invoke permission; the authorizer itself is in the OpenAPI body. */
export const HTTP_LAMBDA_AUTHORIZER_RESOURCES = AUTHORIZER_RESOURCES - 1;

/**
 * What an HTTP gateway costs in CloudFormation: the API (its routes, integrations and authorizers are one OpenAPI
 * body, no resources of their own), its stage, access-log group, the Lambda authorizer's function, dashboard and
 * alarms, and each proxy and aggregator. Nothing here grows with the route count.
 */
export function httpGatewayResources(
  gateway: GatewaySpec,
  functions: readonly ApiFunctionPlan[],
  authorizer: 'native' | 'lambda' | undefined,
): number {
  return (
    HTTP_API_RESOURCES +
    (gateway.stage.accessLogs.enabled ? 1 : 0) +
    (authorizer === 'lambda' ? HTTP_LAMBDA_AUTHORIZER_RESOURCES : 0) +
    observabilityResources(gateway) +
    functions.reduce((n, f) => n + proxyResources(f, gateway.stage.tracing), 0)
  );
}

/**
 * API Gateway control-plane calls CloudFormation makes to create an HTTP gateway the first time: one import of the
 * whole OpenAPI body (routes, integrations, authorizers, CORS) and one call per stage and API mapping. The old
 * per-route rendering made one call per route and per integration instead.
 */
export function httpControlPlaneCalls(apiMappings: number): number {
  return 1 + 1 + apiMappings;
}
