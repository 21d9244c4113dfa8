// Stage 1 of the planner: every service resolved once into a ServicePlan (targets, timing, resilience, backend, why a proxy is needed).
import type { ProxyConfig, ProxyTarget, VersionRule } from '../../lambdas/contract/proxy-config';
import type { GatehouseSpec, ServiceSpec } from '../config/schema';
import { versionMatchOf } from '../config/service-schema';
import { backoffCapsMs, integrationTimeoutMs, proxyDeadlineMs, sharedStateWaitMs, type SharedStateUses } from './proxy-timing';
import { breakerConfigOf, retryBudgetRatioOf, retryPolicyOf } from './resilience';
import { lambdaInvokeTarget, lambdaProxyTarget } from './lambda-services';
import { derivedProxyVpc } from './vpc-links';
import type { ProxyTiming, ServiceFlavor, ServicePlan, ServicePlans } from './service-plan';

export type { ServicePlan, ServicePlans } from './service-plan';

/** Every service of the config, resolved once for the stages after this one. */
export function planServices(spec: GatehouseSpec): ServicePlans {
  return new Map(Object.entries(spec.services).map(([name, service]) => [name, planService(name, service)]));
}

function planService(name: string, service: ServiceSpec): ServicePlan {
  const retry = retryPolicyOf(service);
  const circuitBreaker = breakerConfigOf(service);
  const staticHeaders = staticRequestHeaders(service);
  const timing = (rateLimit: boolean): ProxyTiming => {
    const stateUses: SharedStateUses = { breaker: circuitBreaker?.store === 'dynamodb', rateLimit };
    const stateWaitMs = sharedStateWaitMs(stateUses);
    const deadlineMs = proxyDeadlineMs(service.timeoutMs, retry ? backoffCapsMs(retry) : [], stateWaitMs);
    return { stateUses, stateWaitMs, deadlineMs, integrationTimeoutMs: integrationTimeoutMs(deadlineMs, stateUses) };
  };
  return {
    name,
    backend: service.lambda !== undefined ? 'lambda' : service.private ? 'private' : 'url',
    ...(service.private ? { private: service.private } : {}),
    clientCertificate: Boolean(service.clientCertificate),
    targets: { rest: proxyTargets(service, 'rest'), http: proxyTargets(service, 'http') },
    versionRules: versionRules(service),
    timeoutMs: service.timeoutMs,
    retry,
    retryBudgetRatio: retryBudgetRatioOf(service),
    circuitBreaker,
    transform: service.transform ?? {},
    fallback: fallbackResponse(service),
    lastGood: service.lastGood && {
      ttlSeconds: service.lastGood.ttlSeconds,
      maxEntries: service.lastGood.maxEntries,
      maxBodyBytes: service.lastGood.maxBodyKb * 1024,
      varyHeaders: service.lastGood.varyHeaders.map((header) => header.toLowerCase()),
      sharedAnswers: service.lastGood.sharedAnswers,
    },
    proxyReasons: proxyReasons(service, staticHeaders),
    ...(staticHeaders ? { staticRequestHeaders: staticHeaders } : {}),
    proxyTiming: { unlimited: timing(false), rateLimited: timing(true) },
    proxyFunction: {
      memoryMb: service.proxy.memoryMb,
      reservedConcurrency: service.proxy.reservedConcurrency,
      vpc: derivedProxyVpc(service),
    },
    partIgnores: partIgnores(service),
  };
}

/** Why a service's routes go through the proxy Lambda; empty when API Gateway's HTTP proxy can serve them. */
function proxyReasons(service: ServiceSpec, staticHeaders: Record<string, string> | undefined): string[] {
  const reasons: string[] = [];
  const targets = service.targets ?? [];
  if (targets.length > 1) reasons.push(`${targets.length} weighted targets`);
  const pins = targets.map((t) => versionMatchOf(t.match));
  if (pins.some((p) => Object.keys(p.headers).length > 0)) reasons.push('header-based version routing');
  if (pins.some((p) => Object.keys(p.query).length > 0)) reasons.push('query-based version routing');
  if (service.transform && !staticHeaders) reasons.push('request/response transformation');
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
function staticRequestHeaders(service: ServiceSpec): Record<string, string> | undefined {
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
function proxyTargets(service: ServiceSpec, flavor: ServiceFlavor): ProxyTarget[] {
  const lambda = lambdaInvokeTarget(service, flavor);
  if (lambda) return [lambdaProxyTarget(lambda)];
  if (service.targets) return service.targets.map((t, i) => ({ name: t.name ?? `t${i}`, url: t.url, weight: t.weight }));
  if (!service.url) throw new TypeError('service has neither url nor targets (the spec was not validated)');
  return [{ name: 'default', url: service.url, weight: 1 }];
}

/** Query rules first, then header rules (the proxy tries them in that order), each in the order of the targets. */
function versionRules(service: ServiceSpec): VersionRule[] {
  const targets = proxyTargets(service, 'http');
  const pins = (service.targets ?? []).map((t, i) => ({ ...versionMatchOf(t.match), target: targets[i]!.name }));
  return [
    ...pins.flatMap(({ query, target }) => Object.entries(query).map(([name, value]) => ({ query: name, value, target }))),
    ...pins.flatMap(({ headers, target }) =>
      Object.entries(headers).map(([header, value]) => ({ header: header.toLowerCase(), value, target })),
    ),
  ];
}

function fallbackResponse(service: ServiceSpec): ProxyConfig['fallback'] {
  const fallback = service.fallback;
  return (
    fallback && {
      status: fallback.status,
      headers: {
        'Content-Type': fallback.json !== undefined ? 'application/json' : 'text/plain; charset=utf-8',
        ...fallback.headers,
      },
      body: fallback.json !== undefined ? JSON.stringify(fallback.json) : (fallback.body ?? ''),
    }
  );
}

/** Service features an aggregate part does not use: the user should know the aggregator bypasses them. */
function partIgnores(service: ServiceSpec): string[] {
  const targets = service.targets ?? [];
  return [
    ...(targets.length > 1 || targets.some((t) => t.match) ? [`targets (it calls the first, ${targets[0]!.url})`] : []),
    ...(service.transform ? ['transform'] : []),
    ...(service.fallback ? ["fallback (the part's own fallback applies)"] : []),
    ...(service.lastGood ? ['lastGood'] : []),
  ];
}
