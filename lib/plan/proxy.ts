// Proxy planning: which services need the resilient proxy Lambda, and the config each gateway's proxy of a service is baked with.
import type { ProxyConfig, ProxyRoute, ProxyRouteValidation, ProxyTarget, VersionRule } from '../../lambdas/contract/proxy-config';
import { backoffCapsMs, integrationTimeoutMs, proxyDeadlineMs, sharedStateWaitMs, type SharedStateUses } from './proxy-timing';
import { resolveRateLimitConfig, type RateLimitConfig } from '../../lambdas/contract/rate-limit-config';
import { VIEWER_IP_HEADER } from '../../lambdas/contract/viewer-ip';
import { cloudfrontOf } from '../config/edge-rules';
import { WINDOW_SECONDS, type RateLimitSpec } from '../config/rate-limit-schema';
import type { GatewaySpec, ServiceSpec } from '../config/schema';
import { versionMatchOf } from '../config/service-schema';
import { breakerConfigOf, retryBudgetRatioOf, retryPolicyOf } from './resilience';
import { lambdaInvokeTarget, lambdaProxyTarget } from './lambda-services';
import type { RouteValidationPlan } from './edge-types';
import type { ProxyPlan, RoutePlan } from './types';
import { derivedProxyVpc } from './vpc-links';

/** Header marking an answer that did not come from the upstream just now (`fallback` or `last-good`). */
export const DEGRADED_HEADER = 'X-Gatehouse-Degraded';

/** Why a validated route of an HTTP API goes through the proxy. */
export const VALIDATION_REASON = 'request validation (HTTP APIs validate nothing themselves)';

/** Why a rate-limited route goes through the proxy: usage plans only count per API key, per day/week/month. */
export function rateLimitReason(limit: RateLimitSpec): string {
  const windows = (Object.keys(WINDOW_SECONDS) as (keyof typeof WINDOW_SECONDS)[]).filter((w) => limit[w] !== undefined).map((w) => `${limit[w]}/${w}`);
  return `exact rate limit (${windows.join(', ')} per ${limit.by.replace(/^header:/, 'header ')})`;
}

/** The limiter's settings for one route; its scope keys the counters and the metrics (gateway and route, never the client). */
export function rateLimitConfig(gatewayName: string, routeId: string, limit: RateLimitSpec): RateLimitConfig {
  const { by, failOpen, hideHeaders, ...windows } = limit;
  return resolveRateLimitConfig({ ...windows, by, failOpen, hideHeaders }, `${gatewayName}#${routeId}`);
}

/** Why a service's routes go through the proxy Lambda; empty when API Gateway's HTTP proxy can serve them. */
export function proxyReasons(service: ServiceSpec): string[] {
  const reasons: string[] = [];
  const targets = service.targets ?? [];
  if (targets.length > 1) reasons.push(`${targets.length} weighted targets`);
  const pins = targets.map((t) => versionMatchOf(t.match));
  if (pins.some((p) => Object.keys(p.headers).length > 0)) reasons.push('header-based version routing');
  if (pins.some((p) => Object.keys(p.query).length > 0)) reasons.push('query-based version routing');
  if (service.transform && !staticRequestHeaders(service)) reasons.push('request/response transformation');
  if (service.circuitBreaker) reasons.push(`circuit breaker (${service.circuitBreaker.state} state)`);
  if (service.retries) reasons.push(`retries (${service.retries.attempts})`);
  if (service.fallback) reasons.push(`fallback ${service.fallback.status}`);
  if (service.lastGood) reasons.push(`last good response for ${service.lastGood.ttlSeconds} s`);
  // API Gateway's own HTTP proxy cannot reach into the VPC the proxy was placed in for these upstreams.
  if (service.proxy.vpc) reasons.push('upstreams inside a VPC (proxy.vpc)');
  return reasons;
}

/**
 * Request headers set to constant values are the one transformation API Gateway's HTTP proxy does
 * itself (static integration request parameters), so such a service stays direct. Returns those
 * headers, or undefined when the transform needs the proxy. A value with a quote cannot be written
 * as a static mapping.
 */
export function staticRequestHeaders(service: ServiceSpec): Record<string, string> | undefined {
  const t = service.transform;
  if (!t) return undefined;
  const { set, ...otherOps } = t.request ?? {};
  const responseOps = Object.entries(t.response ?? {}).filter(([k, v]) => !(k === 'xmlToJson' && v === false));
  if (responseOps.length > 0 || Object.values(otherOps).some((v) => v !== undefined)) return undefined;
  if (!set || set.json !== undefined || set.querystring !== undefined || !set.headers) return undefined;
  const headers = Object.fromEntries(Object.entries(set.headers).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  // `{path.id}` is filled per request by the proxy, so it is not a constant.
  return Object.values(headers).some((v) => v.includes("'") || /\{path\./.test(v)) ? undefined : headers;
}

/**
 * The service's upstreams: `url` as the single `default` target, or `targets` named `t<index>` when unnamed, or its
 * `lambda` as the `default` target invoked with the payload version of a gateway of `flavor`.
 */
export function proxyTargets(service: ServiceSpec, flavor: 'rest' | 'http' = 'http'): ProxyTarget[] {
  const lambda = lambdaInvokeTarget(service, flavor);
  if (lambda) return [lambdaProxyTarget(lambda)];
  if (service.targets) return service.targets.map((t, i) => ({ name: t.name ?? `t${i}`, url: t.url, weight: t.weight }));
  if (!service.url) throw new TypeError('service has neither url nor targets (the spec was not validated)');
  return [{ name: 'default', url: service.url, weight: 1 }];
}

/** Query rules first, then header rules (the proxy tries them in that order), each in the order of the targets. */
function versionRules(service: ServiceSpec): VersionRule[] {
  const targets = proxyTargets(service);
  const pins = (service.targets ?? []).map((t, i) => ({ ...versionMatchOf(t.match), target: targets[i]!.name }));
  return [
    ...pins.flatMap(({ query, target }) => Object.entries(query).map(([name, value]) => ({ query: name, value, target }))),
    ...pins.flatMap(({ headers, target }) => Object.entries(headers).map(([header, value]) => ({ header: header.toLowerCase(), value, target }))),
  ];
}

/** One proxy per service per gateway: each gateway has its own CORS, correlation and identity settings. */
export function planProxies(gatewayName: string, gateway: GatewaySpec, services: Readonly<Record<string, ServiceSpec>>, routes: readonly RoutePlan[]): ProxyPlan[] {
  const byService = new Map<string, RoutePlan[]>();
  for (const route of routes) {
    if (route.integration.kind !== 'lambda-proxy') continue;
    byService.set(route.service, [...(byService.get(route.service) ?? []), route]);
  }
  return [...byService].map(([name, serviceRoutes]) => {
    const service = services[name]!;
    const rateLimited = serviceRoutes.some((r) => gateway.routes[r.routeIndex]?.rateLimit !== undefined);
    const breakerShared = breakerConfigOf(service)?.store === 'dynamodb';
    const stateUses: SharedStateUses = { breaker: breakerShared, rateLimit: rateLimited };
    const config = proxyConfig(gatewayName, name, gateway, service, serviceRoutes, sharedStateWaitMs(stateUses));
    const validates = Object.values(config.routes).some((r) => r.validate !== undefined);
    const invokes = config.targets.flatMap((t) => (t.lambda ? [t.lambda.functionName] : []));
    return {
      service: name,
      config,
      reasons: [...proxyReasons(service), ...(rateLimited ? ['exact rate limits'] : []), ...(validates ? ['request validation'] : [])],
      memoryMb: service.proxy.memoryMb,
      reservedConcurrency: service.proxy.reservedConcurrency,
      vpc: derivedProxyVpc(service),
      stateUses,
      stateWaitMs: sharedStateWaitMs(stateUses),
      integrationTimeoutMs: integrationTimeoutMs(config.deadlineMs, stateUses),
      ...(invokes.length ? { invokes } : {}),
    };
  });
}

function proxyConfig(gatewayName: string, name: string, gateway: GatewaySpec, service: ServiceSpec, routes: readonly RoutePlan[], stateWaitMs: number): ProxyConfig {
  const retry = retryPolicyOf(service);
  const fallback = service.fallback;
  const identity = gateway.auth?.jwt?.identityHeaders;
  return {
    gateway: gatewayName,
    service: name,
    targets: proxyTargets(service, gateway.flavor),
    versionRules: versionRules(service),
    timeoutMs: service.timeoutMs,
    deadlineMs: proxyDeadlineMs(service.timeoutMs, retry ? backoffCapsMs(retry) : [], stateWaitMs),
    transform: service.transform ?? {},
    circuitBreaker: breakerConfigOf(service),
    retry,
    retryBudgetRatio: retryBudgetRatioOf(service),
    fallback: fallback && {
      status: fallback.status,
      headers: {
        'Content-Type': fallback.json !== undefined ? 'application/json' : 'text/plain; charset=utf-8',
        ...fallback.headers,
      },
      body: fallback.json !== undefined ? JSON.stringify(fallback.json) : (fallback.body ?? ''),
    },
    lastGood: service.lastGood && {
      ttlSeconds: service.lastGood.ttlSeconds,
      maxEntries: service.lastGood.maxEntries,
      maxBodyBytes: service.lastGood.maxBodyKb * 1024,
      varyHeaders: service.lastGood.varyHeaders.map((name) => name.toLowerCase()),
      sharedAnswers: service.lastGood.sharedAnswers,
    },
    degradedHeader: DEGRADED_HEADER,
    routes: proxyRoutes(gatewayName, gateway, routes),
    correlationHeader: gateway.correlationId.header,
    gatewayRequestIdHeader: gateway.correlationId.gatewayHeader,
    identityHeaders: identity && { userId: identity.userId, roles: identity.roles, scopes: identity.scopes, clientId: identity.clientId },
    cors: gateway.cors && { origins: gateway.cors.origins, credentials: gateway.cors.credentials, exposeHeaders: gateway.cors.exposeHeaders },
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
        out[`${method} ${resource}`] = { prefix: route.path, stripPath: route.stripPath, ...(rateLimit ? { rateLimit } : {}), ...(validate ? { validate } : {}) };
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
