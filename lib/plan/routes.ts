// Route planning: spec routes → one RoutePlan per path, with the integration chosen and the reason recorded.
import { NO_IDENTITY_VALUE } from '../../lambdas/contract/authorizer-config';
import { WINDOW_SECONDS, type RateLimitSpec } from '../config/rate-limit-schema';
import type { GatewaySpec } from '../config/schema';
import { LAMBDA_FUNCTION_REASON } from './lambda-services';
import type { ServicePlan, ServicePlans } from './service-plan';
import type { HttpProxyIntegration, LambdaFunctionIntegration, LambdaProxyIntegration, PlanMethod, RoutePlan } from './types';
import { routeGreedyChild, routeResourcePaths } from '../config/path-template';

export { GREEDY_SEGMENT } from '../config/path-template';

/** Why a validated route of an HTTP API goes through the proxy. */
export const VALIDATION_REASON = 'request validation (HTTP APIs validate nothing themselves)';

/** Why a rate-limited route goes through the proxy: usage plans only count per API key, per day/week/month. */
export function rateLimitReason(limit: RateLimitSpec): string {
  const windows = (Object.keys(WINDOW_SECONDS) as (keyof typeof WINDOW_SECONDS)[])
    .filter((w) => limit[w] !== undefined)
    .map((w) => `${limit[w]}/${w}`);
  return `exact rate limit (${windows.join(', ')} per ${limit.by.replace(/^header:/, 'header ')})`;
}

/** The gateway's routes, one RoutePlan per path, each with its integration chosen from the service's plan and the route's own needs. */
export function planRoutes(gateway: GatewaySpec, services: ServicePlans): RoutePlan[] {
  // A service's proxy checks the rate limits of all its routes, so each of them may wait on the counter table.
  const limited = new Set(gateway.routes.filter((r) => r.rateLimit).map((r) => r.service));
  return gateway.routes.flatMap((route, routeIndex) =>
    route.paths.map((path): RoutePlan => {
      const service = services.get(route.service);
      if (!service) throw new TypeError(`route ${routeIndex} names unknown service "${route.service}" (the spec was not validated)`);
      const methods = route.methods as readonly PlanMethod[];
      // The gateway answers preflights itself unless the route forwards OPTIONS to the upstream on purpose.
      const cors = gateway.cors !== undefined && !methods.includes('OPTIONS');
      const plans = route.apiKey ? Object.keys(gateway.plans) : [];
      // REST APIs validate with their own validators; HTTP APIs cannot, so the proxy does.
      const needsProxy = [
        ...service.proxyReasons,
        ...(route.rateLimit ? [rateLimitReason(route.rateLimit)] : []),
        ...(route.validate && gateway.flavor === 'http' ? [VALIDATION_REASON] : []),
      ];
      const integration = needsProxy.length
        ? lambdaProxyIntegration(service, limited.has(route.service), gateway.flavor)
        : service.backend === 'lambda'
          ? lambdaFunctionIntegration(service, gateway.flavor)
          : httpProxyIntegration(service, path, route.stripPath, {
              ...integrationHeaders(gateway, Boolean(route.auth?.jwt)),
              ...staticHeaderMappings(service),
            });
      return {
        id: `${routeIndex}${path === '/' ? '-root' : path.replace(/[^A-Za-z0-9]+/g, '-')}`,
        routeIndex,
        name: route.name,
        service: route.service,
        path,
        resourcePaths: routeResourcePaths(path, route.match),
        greedyChild: routeGreedyChild(path, route.match),
        methods,
        apiMethods: methods,
        methodsReason: 'the configured methods, each its own operation in the API definition',
        stripPath: route.stripPath,
        integration,
        features: {
          apiKey: route.apiKey,
          plans,
          throttle: route.throttle,
          cors,
          auth: route.auth?.jwt ? 'jwt' : 'none',
          scopes: route.auth?.jwt.scopes ?? [],
          roles: route.auth?.jwt.roles ?? [],
          ...(route.auth?.jwt.issuers ? { issuers: route.auth.jwt.issuers } : {}),
          cache: 'off',
        },
        reason: needsProxy.length
          ? `resilient proxy Lambda of ${route.service}: ${needsProxy.join(', ')} (API Gateway cannot do these itself)`
          : service.backend === 'lambda'
            ? LAMBDA_FUNCTION_REASON
            : 'direct HTTP proxy: every feature of this route is served by API Gateway itself (no body transformation, breaker, retries or weighted targets), so no Lambda is in the path',
      };
    }),
  );
}

/**
 * Headers the gateway sets upstream. The caller's correlation header passes through untouched
 * (HTTP_PROXY forwards headers) and the gateway's request id always travels in its own header.
 * With JWT auth on the gateway, identity headers come from the authorizer on JWT routes and are
 * overwritten with the static NO_IDENTITY_VALUE on every other route, so a client can never pass its
 * own X-User-Id upstream. An integration request mapping replaces the client's header of the same name
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-parameter-mapping.html); the value
 * is a non-empty quoted static string, the form those docs give, never `''`.
 */
function integrationHeaders(gateway: GatewaySpec, jwtRoute: boolean): Record<string, string> {
  const headers: Record<string, string> = { [gateway.correlationId.gatewayHeader]: 'context.requestId' };
  const identity = gateway.auth?.jwt?.identityHeaders;
  if (identity) {
    const fromAuthorizer = {
      [identity.userId]: 'sub',
      [identity.roles]: 'roles',
      [identity.scopes]: 'scopes',
      [identity.clientId]: 'clientId',
    };
    // An HTTP API removes the header instead (plan/http.ts turns '' into remove:); a REST API has no removal, so it overwrites.
    const absent = gateway.flavor === 'http' ? "''" : `'${NO_IDENTITY_VALUE}'`;
    for (const [header, key] of Object.entries(fromAuthorizer)) headers[header] = jwtRoute ? `context.authorizer.${key}` : absent;
  }
  return headers;
}

function lambdaProxyIntegration(service: ServicePlan, rateLimited: boolean, flavor: 'rest' | 'http'): LambdaProxyIntegration {
  return {
    kind: 'lambda-proxy',
    service: service.name,
    upstreams: service.targets[flavor].map((t) => t.url),
    timeoutMs: (rateLimited ? service.proxyTiming.rateLimited : service.proxyTiming.unlimited).integrationTimeoutMs,
  };
}

/** A Lambda service invoked by API Gateway itself (AWS_PROXY), with the payload version of the gateway's flavor. */
function lambdaFunctionIntegration(service: ServicePlan, flavor: 'rest' | 'http'): LambdaFunctionIntegration {
  const lambda = service.targets[flavor][0]!.lambda!;
  return {
    kind: 'lambda-function',
    service: service.name,
    function: lambda.functionName,
    payload: lambda.payload,
    timeoutMs: service.timeoutMs,
  };
}

/** Constant request headers of a direct service's transform, as static integration mappings (`'value'`). */
function staticHeaderMappings(service: ServicePlan): Record<string, string> {
  return Object.fromEntries(Object.entries(service.staticRequestHeaders ?? {}).map(([h, v]) => [h, `'${v}'`]));
}

function httpProxyIntegration(
  service: ServicePlan,
  path: string,
  stripPath: boolean,
  headers: Record<string, string>,
): HttpProxyIntegration {
  // Path parameters stay in the URI as `{id}` (a greedy `{rest+}` as `{rest}`): API Gateway fills them from the
  // request (REST through the integration's path mappings, HTTP APIs by name):
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-http.html
  const forwarded = stripPath || path === '/' ? '' : path.replace(/\{([^{}]+)\+\}/g, '{$1}');
  // A direct service has one target: its url, or a single entry under targets.
  const base = service.targets.http[0]!.url;
  return {
    kind: 'http-proxy',
    uri: joinUrl(base, forwarded || '/'),
    greedyUri: joinUrl(base, `${forwarded}/{proxy}`),
    timeoutMs: service.timeoutMs,
    headers,
  };
}

/** Appends a path to a base URL that may itself carry a path, without doubling or losing slashes. */
export function joinUrl(base: string, suffix: string): string {
  const trimmed = base.replace(/\/+$/, '');
  if (suffix === '/') {
    // http://host → http://host/ ; http://host/base stays http://host/base
    return new URL(trimmed).pathname === '/' ? `${trimmed}/` : trimmed;
  }
  return `${trimmed}${suffix}`;
}

/** Every API resource path the routes need, parents before children, root excluded. */
export function resourceTree(routes: readonly RoutePlan[]): string[] {
  const paths = new Set<string>();
  for (const route of routes) for (const p of route.resourcePaths) for (const a of ancestorsAndSelf(p)) paths.add(a);
  return [...paths].sort(byDepthThenName);
}

export function ancestorsAndSelf(path: string): string[] {
  const segments = path.split('/').filter(Boolean);
  return segments.map((_, i) => `/${segments.slice(0, i + 1).join('/')}`);
}

function byDepthThenName(a: string, b: string): number {
  const depth = (p: string) => p.split('/').length;
  return depth(a) - depth(b) || a.localeCompare(b);
}
