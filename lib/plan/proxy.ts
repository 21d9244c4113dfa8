// Proxy planning: the resilient proxy Lambda of each service a gateway's routes send through it, and the config it is baked with.
import type { ProxyConfig, ProxyRoute, ProxyRouteValidation } from '../../lambdas/contract/proxy-config';
import { resolveRateLimitConfig, type RateLimitConfig } from '../../lambdas/contract/rate-limit-config';
import { VIEWER_IP_HEADER } from '../../lambdas/contract/viewer-ip';
import { cloudfrontOf } from '../config/edge-rules';
import type { RateLimitSpec } from '../config/rate-limit-schema';
import type { GatewaySpec } from '../config/schema';
import type { RouteValidationPlan } from './edge-types';
import type { ServicePlan, ServicePlans } from './service-plan';
import type { ProxyPlan, RoutePlan } from './types';

/** Header marking an answer that did not come from the upstream just now (`fallback` or `last-good`). */
export const DEGRADED_HEADER = 'X-Gatehouse-Degraded';

/** The limiter's settings for one route; its scope keys the counters and the metrics (gateway and route, never the client). */
export function rateLimitConfig(gatewayName: string, routeId: string, limit: RateLimitSpec): RateLimitConfig {
  const { by, failOpen, hideHeaders, ...windows } = limit;
  return resolveRateLimitConfig({ ...windows, by, failOpen, hideHeaders }, `${gatewayName}#${routeId}`);
}

/** One proxy per service per gateway: each gateway has its own CORS, correlation and identity settings. */
export function planProxies(gatewayName: string, gateway: GatewaySpec, services: ServicePlans, routes: readonly RoutePlan[]): ProxyPlan[] {
  const byService = new Map<string, RoutePlan[]>();
  for (const route of routes) {
    if (route.integration.kind !== 'lambda-proxy') continue;
    byService.set(route.service, [...(byService.get(route.service) ?? []), route]);
  }
  return [...byService].map(([name, serviceRoutes]) => {
    const service = services.get(name)!;
    const rateLimited = serviceRoutes.some((r) => gateway.routes[r.routeIndex]?.rateLimit !== undefined);
    const timing = rateLimited ? service.proxyTiming.rateLimited : service.proxyTiming.unlimited;
    const config = proxyConfig(gatewayName, gateway, service, serviceRoutes, timing.deadlineMs);
    const validates = Object.values(config.routes).some((r) => r.validate !== undefined);
    const invokes = config.targets.flatMap((t) => (t.lambda ? [t.lambda.functionName] : []));
    return {
      service: name,
      config,
      reasons: [...service.proxyReasons, ...(rateLimited ? ['exact rate limits'] : []), ...(validates ? ['request validation'] : [])],
      memoryMb: service.proxyFunction.memoryMb,
      reservedConcurrency: service.proxyFunction.reservedConcurrency,
      vpc: service.proxyFunction.vpc,
      stateUses: timing.stateUses,
      stateWaitMs: timing.stateWaitMs,
      integrationTimeoutMs: timing.integrationTimeoutMs,
      ...(invokes.length ? { invokes } : {}),
    };
  });
}

function proxyConfig(
  gatewayName: string,
  gateway: GatewaySpec,
  service: ServicePlan,
  routes: readonly RoutePlan[],
  deadlineMs: number,
): ProxyConfig {
  const identity = gateway.auth?.jwt?.identityHeaders;
  return {
    gateway: gatewayName,
    service: service.name,
    targets: [...service.targets[gateway.flavor]],
    versionRules: [...service.versionRules],
    timeoutMs: service.timeoutMs,
    deadlineMs,
    transform: service.transform,
    circuitBreaker: service.circuitBreaker,
    retry: service.retry,
    retryBudgetRatio: service.retryBudgetRatio,
    fallback: service.fallback,
    lastGood: service.lastGood,
    degradedHeader: DEGRADED_HEADER,
    routes: proxyRoutes(gatewayName, gateway, routes),
    correlationHeader: gateway.correlationId.header,
    gatewayRequestIdHeader: gateway.correlationId.gatewayHeader,
    identityHeaders: identity && { userId: identity.userId, roles: identity.roles, scopes: identity.scopes, clientId: identity.clientId },
    cors: gateway.cors && {
      origins: gateway.cors.origins,
      credentials: gateway.cors.credentials,
      exposeHeaders: gateway.cors.exposeHeaders,
    },
  };
}

/** `METHOD resource` → how to build the upstream path, for both resources of every path of the routes. */
function proxyRoutes(gatewayName: string, gateway: GatewaySpec, routes: readonly RoutePlan[]): Record<string, ProxyRoute> {
  const out: Record<string, ProxyRoute> = {};
  for (const route of routes) {
    const limit = gateway.routes[route.routeIndex]?.rateLimit;
    // One counter per route, shared by its paths and methods, as Kong counts per route.
    const resolved = limit && rateLimitConfig(gatewayName, route.name ?? `routes[${route.routeIndex}]`, limit);
    // Behind CloudFront, API Gateway's source IP is a CloudFront server's: count the viewer's, which CloudFront sets.
    const rateLimit = resolved && cloudfrontOf(gateway) ? { ...resolved, clientIpHeader: VIEWER_IP_HEADER } : resolved;
    const validate = gateway.flavor === 'http' ? proxyValidation(route.features.validation) : undefined;
    // The route's path goes in as written, a template included: the proxy matches and strips it.
    for (const resource of route.resourcePaths) {
      for (const method of route.methods) {
        out[`${method} ${resource}`] = {
          prefix: route.path,
          stripPath: route.stripPath,
          ...(rateLimit ? { rateLimit } : {}),
          ...(validate ? { validate } : {}),
        };
      }
    }
  }
  return out;
}

/** The route's validation as the proxy checks it (HTTP APIs only: a REST API's own validators run before the proxy). */
function proxyValidation(validation: RouteValidationPlan | undefined): ProxyRouteValidation | undefined {
  if (!validation) return undefined;
  return { ...(validation.body ? { body: validation.body.schema } : {}), query: validation.query, headers: validation.headers };
}
