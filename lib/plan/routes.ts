// Route planning: spec routes → one RoutePlan per path, with the integration chosen and the reason recorded.
import { NO_IDENTITY_VALUE } from '../../lambdas/contract/authorizer-config';
import type { GatewaySpec, ServiceSpec } from '../config/schema';
import { proxyReasons, proxyTargets, rateLimitReason, staticRequestHeaders, VALIDATION_REASON } from './proxy';
import { backoffCapsMs, integrationTimeoutMs, proxyDeadlineMs, sharedStateWaitMs, type SharedStateUses } from './proxy-timing';
import { breakerConfigOf } from './resilience';
import { LAMBDA_FUNCTION_REASON, lambdaFunctionIntegration } from './lambda-services';
import type { HttpProxyIntegration, LambdaProxyIntegration, PlanMethod, RoutePlan } from './types';
import { routeGreedyChild, routeResourcePaths } from './path-template';

export { GREEDY_SEGMENT } from './greedy-path';

export function planRoutes(gateway: GatewaySpec, services: Readonly<Record<string, ServiceSpec>>): RoutePlan[] {
  // A service's proxy checks the rate limits of all its routes, so each of them may wait on the counter table.
  const limited = new Set(gateway.routes.filter((r) => r.rateLimit).map((r) => r.service));
  return gateway.routes.flatMap((route, routeIndex) =>
    route.paths.map((path): RoutePlan => {
      const service = services[route.service];
      if (!service) throw new TypeError(`route ${routeIndex} names unknown service "${route.service}" (the spec was not validated)`);
      const methods = route.methods as readonly PlanMethod[];
      // The gateway answers preflights itself unless the route forwards OPTIONS to the upstream on purpose.
      const cors = gateway.cors !== undefined && !methods.includes('OPTIONS');
      const plans = route.apiKey ? Object.keys(gateway.plans) : [];
      // REST APIs validate with their own validators; HTTP APIs cannot, so the proxy does.
      const needsProxy = [
        ...proxyReasons(service),
        ...(route.rateLimit ? [rateLimitReason(route.rateLimit)] : []),
        ...(route.validate && gateway.flavor === 'http' ? [VALIDATION_REASON] : []),
      ];
      const integration = needsProxy.length
        ? lambdaProxyIntegration(route.service, service, limited.has(route.service), gateway.flavor)
        : service.lambda !== undefined
          ? lambdaFunctionIntegration(route.service, service, gateway.flavor)
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
          : service.lambda !== undefined
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
    const fromAuthorizer = { [identity.userId]: 'sub', [identity.roles]: 'roles', [identity.scopes]: 'scopes', [identity.clientId]: 'clientId' };
    // An HTTP API removes the header instead (plan/http.ts turns '' into remove:); a REST API has no removal, so it overwrites.
    const absent = gateway.flavor === 'http' ? "''" : `'${NO_IDENTITY_VALUE}'`;
    for (const [header, key] of Object.entries(fromAuthorizer)) headers[header] = jwtRoute ? `context.authorizer.${key}` : absent;
  }
  return headers;
}

function lambdaProxyIntegration(name: string, service: ServiceSpec, rateLimited: boolean, flavor: 'rest' | 'http'): LambdaProxyIntegration {
  const r = service.retries;
  const caps = r ? backoffCapsMs({ retries: r.attempts, baseDelayMs: r.baseDelayMs, maxDelayMs: r.maxDelayMs }) : [];
  const uses: SharedStateUses = { breaker: breakerConfigOf(service)?.store === 'dynamodb', rateLimit: rateLimited };
  return {
    kind: 'lambda-proxy',
    service: name,
    upstreams: proxyTargets(service, flavor).map((t) => t.url),
    timeoutMs: integrationTimeoutMs(proxyDeadlineMs(service.timeoutMs, caps, sharedStateWaitMs(uses)), uses),
  };
}

/** Constant request headers of a direct service's transform, as static integration mappings (`'value'`). */
function staticHeaderMappings(service: ServiceSpec): Record<string, string> {
  return Object.fromEntries(Object.entries(staticRequestHeaders(service) ?? {}).map(([h, v]) => [h, `'${v}'`]));
}

function httpProxyIntegration(service: ServiceSpec, path: string, stripPath: boolean, headers: Record<string, string>): HttpProxyIntegration {
  // Path parameters stay in the URI as `{id}` (a greedy `{rest+}` as `{rest}`): API Gateway fills them from the
  // request (REST through the integration's path mappings, HTTP APIs by name):
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-http.html
  const forwarded = stripPath || path === '/' ? '' : path.replace(/\{([^{}]+)\+\}/g, '{$1}');
  // A direct service has one target: its url, or a single entry under targets.
  const base = proxyTargets(service)[0]!.url;
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
