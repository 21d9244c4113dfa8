// Aggregate planning: each aggregate becomes a RoutePlan (one exact path, one GET) and an AggregatorPlan with the config its Lambda is baked with.
import { checkAggregatorConfig, type AggregatorConfig, type PartConfig } from '../../lambdas/contract/aggregator-config';
import { partDependencies } from '../../lambdas/contract/part-order';
import { aggregateNameOf, DEFAULT_FORWARD_HEADERS, type AggregatePartSpec, type AggregateSpec } from '../config/aggregate-schema';
import { formatPath, type SpecIssue } from '../config/errors';
import type { GatehouseSpec, GatewaySpec } from '../config/schema';
import { backoffCapsMs, integrationTimeoutMs as integrationTimeoutOf, PROXY_DEADLINE_MAX_MS, sharedStateWaitMs } from './proxy-timing';
import type { ServicePlan, ServicePlans } from './service-plan';
import type { AggregatorPlan, PlanWarning, RoutePlan } from './types';

export interface PlannedAggregates {
  /** One route per aggregate, after the gateway's own routes. */
  readonly routes: RoutePlan[];
  readonly aggregators: AggregatorPlan[];
  /** Configs the aggregator would refuse at init, as spec problems. */
  readonly issues: SpecIssue[];
  readonly warnings: PlanWarning[];
}

/** What an aggregate calls once `from` is resolved. */
interface ResolvedAggregate {
  readonly parts: Readonly<Record<string, AggregatePartSpec>>;
  readonly deadlineMs?: number;
  readonly forwardHeaders: readonly string[];
}

/** The gateway's aggregates: each one's route and aggregator, its parts calling the services as their plans resolved them. */
export function planAggregates(gatewayName: string, gateway: GatewaySpec, spec: GatehouseSpec, services: ServicePlans): PlannedAggregates {
  const out: PlannedAggregates = { routes: [], aggregators: [], issues: [], warnings: [] };
  gateway.aggregates.forEach((aggregate, index) => {
    const at = ['gateways', gatewayName, 'aggregates', index];
    const name = aggregateNameOf(aggregate);
    const resolved = resolveAggregate(aggregate, spec);
    const config = aggregatorConfig(gatewayName, gateway, aggregate, resolved, services);
    const problem = configProblem(config, aggregate, at);
    if (problem) out.issues.push(problem);
    const needs = problem ? new Map<string, string[]>() : partDependencies(config.parts);
    const shared = Object.values(config.parts).some((p) => p.circuitBreaker?.store === 'dynamodb');
    const stateUses = { breaker: shared, rateLimit: false };
    const stateWaitMs = sharedStateWaitMs(stateUses);
    const timing = deadlineOf(config, needs, aggregate.deadlineMs ?? resolved.deadlineMs, stateWaitMs);
    const finalConfig = { ...config, deadlineMs: timing.deadlineMs };
    if (timing.cut) {
      out.warnings.push({
        code: 'AGGREGATE_DEADLINE_CUTS_PARTS',
        where: formatPath([...at, aggregate.deadlineMs !== undefined ? 'deadlineMs' : aggregate.parts ? 'parts' : 'from']),
        message: `${timing.reason}; parts still running at the ${timing.deadlineMs} ms deadline fail upstream_timeout (their fallback, or a 504 for a required part)`,
      });
    }
    if (aggregate.parts) out.warnings.push(...ignoredServiceFeatures(aggregate.parts, services, at));
    const shadowed = shadowedPrefix(gateway, aggregate.path);
    if (shadowed) {
      out.warnings.push({
        code: 'AGGREGATE_INSIDE_ROUTE_PREFIX',
        where: formatPath([...at, 'path']),
        message:
          `${aggregate.path} is below routes[${shadowed.index}] (${shadowed.path}), which forwards everything below it to ${shadowed.service}: ` +
          `requests to exactly ${aggregate.path} are the aggregate's now (on a REST API its other methods get 403 there), deeper paths still reach ${shadowed.service}; move the aggregate out of the prefix if that is not what you want`,
      });
    }
    const routeId = `aggregate-${name}`;
    const partServices = [...new Set(Object.values(config.parts).map((p) => p.service))];
    const integrationTimeoutMs = integrationTimeoutOf(timing.deadlineMs, stateUses);
    const invokes = [...new Set(Object.values(config.parts).flatMap((p) => (p.lambda ? [p.lambda.functionName] : [])))];
    out.aggregators.push({
      name,
      routeId,
      from: aggregate.from,
      config: finalConfig,
      dependencies: Object.fromEntries(needs),
      deadlineReason: timing.reason,
      reasons: [
        `${Object.keys(config.parts).length} parts from ${partServices.join(', ')}`,
        ...(config.select ? [`select ${config.select.length} path(s)`] : []),
      ],
      memoryMb: aggregate.aggregator.memoryMb,
      reservedConcurrency: aggregate.aggregator.reservedConcurrency,
      vpc: aggregate.aggregator.vpc,
      stateUses,
      stateWaitMs,
      integrationTimeoutMs,
      ...(invokes.length ? { invokes } : {}),
    });
    out.routes.push({
      id: routeId,
      // Aggregates follow the gateway's routes, so indices never collide.
      routeIndex: gateway.routes.length + index,
      name,
      service: partServices.join(','),
      path: aggregate.path,
      resourcePaths: [aggregate.path],
      methods: ['GET'],
      apiMethods: ['GET'],
      methodsReason: '',
      stripPath: false,
      integration: { kind: 'aggregator', aggregate: name, parts: Object.keys(config.parts), timeoutMs: integrationTimeoutMs },
      features: {
        apiKey: aggregate.apiKey,
        plans: aggregate.apiKey ? Object.keys(gateway.plans) : [],
        // A route on the same path already answers (or forwards) the preflight of that resource.
        cors: gateway.cors !== undefined && !gateway.routes.some((r) => r.paths.includes(aggregate.path)),
        auth: aggregate.auth?.jwt ? 'jwt' : 'none',
        scopes: aggregate.auth?.jwt.scopes ?? [],
        roles: aggregate.auth?.jwt.roles ?? [],
        ...(aggregate.auth?.jwt.issuers ? { issuers: aggregate.auth.jwt.issuers } : {}),
        throttle: aggregate.throttle,
        cache: 'off',
      },
      reason: `aggregator Lambda: ${Object.keys(config.parts).length} parts called in parallel and merged into one answer${aggregate.from ? ` (parts of ${aggregate.from})` : ''} (API Gateway cannot compose responses)`,
    });
  });
  return out;
}

/** The route whose prefix (a path and everything below it) holds `path`, if any. */
function shadowedPrefix(gateway: GatewaySpec, path: string): { index: number; path: string; service: string } | undefined {
  for (const [index, route] of gateway.routes.entries()) {
    const prefix = route.paths.find((p) => p !== path && path.startsWith(p === '/' ? '/' : `${p}/`));
    if (prefix) return { index, path: prefix, service: route.service };
  }
  return undefined;
}

function resolveAggregate(aggregate: AggregateSpec, spec: GatehouseSpec): ResolvedAggregate {
  if (aggregate.parts) return { parts: aggregate.parts, forwardHeaders: aggregate.forwardHeaders ?? DEFAULT_FORWARD_HEADERS };
  const [gatewayName = '', ...rest] = (aggregate.from ?? '').split('.');
  const source = spec.gateways[gatewayName]?.aggregates.find((a) => aggregateNameOf(a) === rest.join('.'));
  if (!source?.parts)
    throw new TypeError(`aggregate ${aggregate.path}: from "${aggregate.from}" names no aggregate with parts (the spec was not validated)`);
  return {
    parts: source.parts,
    deadlineMs: source.deadlineMs,
    forwardHeaders: aggregate.forwardHeaders ?? source.forwardHeaders ?? DEFAULT_FORWARD_HEADERS,
  };
}

function aggregatorConfig(
  gatewayName: string,
  gateway: GatewaySpec,
  aggregate: AggregateSpec,
  resolved: ResolvedAggregate,
  services: ServicePlans,
): AggregatorConfig {
  const usedServices: ServicePlan[] = [];
  const parts = Object.fromEntries(
    Object.entries(resolved.parts).map(([name, part]): [string, PartConfig] => {
      const service = services.get(part.service);
      if (!service) throw new TypeError(`part ${name} names unknown service "${part.service}" (the spec was not validated)`);
      usedServices.push(service);
      const target = service.targets[gateway.flavor][0]!;
      return [
        name,
        {
          service: part.service,
          // One upstream per part: weights and version pins are the proxy's, so a part calls the first target.
          url: target.url,
          ...(target.lambda ? { lambda: target.lambda } : {}),
          target: target.name,
          pathTemplate: part.path,
          method: 'GET',
          timeoutMs: part.timeoutMs ?? service.timeoutMs,
          optional: part.optional,
          ...(part.optional && part.fallback !== undefined ? { fallback: part.fallback as PartConfig['fallback'] } : {}),
          retry: service.retry,
          circuitBreaker: service.circuitBreaker,
          forwardHeaders: resolved.forwardHeaders,
        },
      ];
    }),
  );
  const withRetries = usedServices.filter((s) => s.retry);
  return {
    gateway: gatewayName,
    route: aggregate.path,
    parts,
    deadlineMs: PROXY_DEADLINE_MAX_MS,
    select: aggregate.select,
    cors: gateway.cors && {
      origins: gateway.cors.origins,
      credentials: gateway.cors.credentials,
      exposeHeaders: gateway.cors.exposeHeaders,
    },
    correlationHeader: gateway.correlationId.header,
    gatewayRequestIdHeader: gateway.correlationId.gatewayHeader,
    compressMinBytes: aggregate.compressMinBytes,
    // Parts of different services share the aggregate's budget setting: the strictest one applies.
    ...(withRetries.length ? { retryBudgetRatio: Math.min(...withRetries.map((s) => s.retryBudgetRatio)) } : {}),
  };
}

/**
 * The aggregator checks its config again at init; running the same check here turns a cycle, a bad
 * placeholder or an unforwardable header into a config error at synth, at the field that causes it.
 */
function configProblem(config: AggregatorConfig, aggregate: AggregateSpec, at: readonly (string | number)[]): SpecIssue | undefined {
  try {
    checkAggregatorConfig(config);
    return undefined;
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    const part = /^part "([^"]+)"/.exec(err.message)?.[1];
    const path = err.message.includes('forwardHeaders')
      ? [...at, 'forwardHeaders']
      : err.message.startsWith('select path')
        ? [...at, 'select']
        : part !== undefined
          ? aggregate.parts
            ? [...at, 'parts', part, 'path']
            : [...at, 'from']
          : [...at];
    return { path, where: formatPath(path), message: err.message };
  }
}

/** The most one part can take: every attempt at its timeout plus the largest backoffs. */
function worstCaseMs(part: PartConfig): number {
  const caps = part.retry ? backoffCapsMs(part.retry) : [];
  return part.timeoutMs * (caps.length + 1) + caps.reduce((a, b) => a + b, 0);
}

interface Timing {
  readonly deadlineMs: number;
  readonly reason: string;
  /** Some chain of parts can take longer than the deadline. */
  readonly cut: boolean;
}

/** The deadline: as configured, else the slowest chain of dependent parts, capped below API Gateway's integration timeout. */
function deadlineOf(
  config: AggregatorConfig,
  needs: ReadonlyMap<string, readonly string[]>,
  configured: number | undefined,
  stateWaitMs: number,
): Timing {
  const max = PROXY_DEADLINE_MAX_MS - stateWaitMs;
  const chains = new Map<string, { ms: number; path: string[] }>();
  const chain = (name: string): { ms: number; path: string[] } => {
    const known = chains.get(name);
    if (known) return known;
    const before = (needs.get(name) ?? []).map(chain).reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, path: [] as string[] });
    const result = { ms: before.ms + worstCaseMs(config.parts[name]!), path: [...before.path, name] };
    chains.set(name, result);
    return result;
  };
  // Without dependencies (or when the config is invalid) every part is its own chain.
  const slowest = Object.keys(config.parts)
    .map(chain)
    .reduce((a, b) => (b.ms > a.ms ? b : a));
  const what = `the slowest chain (${slowest.path.join(' → ')}) takes up to ${slowest.ms} ms with retries`;
  if (configured !== undefined && configured <= max) {
    return { deadlineMs: configured, reason: `deadlineMs ${configured} as configured; ${what}`, cut: slowest.ms > configured };
  }
  if (configured !== undefined) {
    return {
      deadlineMs: max,
      reason: `deadlineMs ${configured} capped at ${max} ms, leaving ${stateWaitMs} ms for the breaker table; ${what}`,
      cut: true,
    };
  }
  if (slowest.ms > max) {
    return { deadlineMs: max, reason: `${what}, capped at ${max} ms to answer before API Gateway's 29 s`, cut: true };
  }
  return { deadlineMs: slowest.ms, reason: what, cut: false };
}

/** Service features a part does not use: the user should know the aggregator bypasses them. */
function ignoredServiceFeatures(
  parts: Readonly<Record<string, AggregatePartSpec>>,
  services: ServicePlans,
  at: readonly (string | number)[],
): PlanWarning[] {
  return Object.entries(parts).flatMap(([name, part]) => {
    const ignored = services.get(part.service)?.partIgnores ?? [];
    if (ignored.length === 0) return [];
    return [
      {
        code: 'AGGREGATE_PART_IGNORES_SERVICE_FEATURES',
        where: formatPath([...at, 'parts', name, 'service']),
        message: `the part calls ${part.service} with its timeoutMs, retries and circuitBreaker, but not its ${ignored.join(', ')}`,
      },
    ];
  });
}
