// A gateway's observability plan: its API's name unique per stack, every alarm with the metric and threshold it watches, and saved Logs Insights queries.
import { createHash } from 'node:crypto';
import { aggregatorServiceName, METRIC as AGGREGATOR_METRIC, PART_DIMENSION } from '../../lambdas/contract/aggregator-metrics';
import { DENY_REASON_DIMENSION, METRIC as AUTHORIZER_METRIC } from '../../lambdas/contract/authorizer-metrics';
import { DEGRADED_REASON_DIMENSION, METRIC as PROXY_METRIC, proxyServiceName } from '../../lambdas/contract/proxy-metrics';
import { breakerKey } from '../../lambdas/contract/breaker-key';
import { BREAKER_DIMENSION, BREAKER_OPENED_METRIC, SERVICE_DIMENSION } from '../../lambdas/contract/metric-names';
import {
  RATE_LIMIT_DENIED_METRIC,
  RATE_LIMIT_SCOPE_DIMENSION,
  RATE_LIMIT_STORE_UNAVAILABLE_METRIC,
} from '../../lambdas/contract/rate-limit-metrics';
import type { ObservabilitySpec } from '../config/observability-schema';
import type { EdgePlan, WebAclPlan } from './edge-types';
import { pascal } from './naming';
import type { AlarmMetric, AlarmPlan, FunctionRef, GatewayObservabilityPlan } from './observability-types';
import { savedQueries } from './saved-queries';
import type { AggregatorPlan, ProxyPlan } from './types';

/** The stack bin/app.ts synthesizes unless `-c stackName=...` says otherwise; `gatehouse explain` names APIs after it. */
export const DEFAULT_STACK_NAME = 'Gatehouse';

/** HTTP APIs take names of at most 128 characters; REST APIs are held to the same so one rule fits both. */
export const API_NAME_MAX_LENGTH = 128;

/** CloudFront publishes its metrics, and a CLOUDFRONT-scope web ACL its WAF metrics, in this region only; alarms must be there too. */
export const CLOUDFRONT_METRICS_REGION = 'us-east-1';

/** The refusal code the authorizer counts (`AuthorizerDenied`, dimension `reason`) when an issuer's keys cannot be fetched. */
export const JWKS_UNAVAILABLE_REASON = 'jwks_unavailable';

/** Lambda's default concurrency quota per account and region, the base of a function without reserved concurrency. */
export const DEFAULT_REGIONAL_CONCURRENCY = 1000;

/**
 * The API's name: `<stack>-<gateway>`, so two stacks in one region with a `public` gateway get two names, and
 * REST metrics (dimension `ApiName`), alarm names and dashboards stay apart. Without a stack name (a plan made
 * outside a stack), the gateway's name. Too long a name keeps its start and ends in a hash of the whole.
 */
export function uniqueApiName(gateway: string, stackName: string | undefined): string {
  const name = stackName ? `${stackName}-${gateway}` : gateway;
  if (name.length <= API_NAME_MAX_LENGTH) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, API_NAME_MAX_LENGTH - hash.length - 1)}-${hash}`;
}

export type { AlarmMetric, AlarmPlan, FunctionRef, GatewayObservabilityPlan, SavedQueryPlan } from './observability-types';

export interface ObservabilityInput {
  readonly gateway: string;
  readonly apiName: string;
  readonly spec: ObservabilitySpec;
  /** Access logs on: the 429 alarm and the access-log queries need them. */
  readonly accessLogs: boolean;
  readonly proxies: readonly ProxyPlan[];
  readonly aggregators: readonly AggregatorPlan[];
  /** The Gatehouse JWT authorizer function (REST, or HTTP's Lambda authorizer) and its service name; not HTTP's native JWT authorizer. */
  readonly authorizer?: { readonly serviceName: string };
  readonly edge?: EdgePlan;
  /** account.region: CloudFront alarms are only possible in us-east-1. */
  readonly region?: string;
}

/** Every alarm of one gateway, for the features it has, and the queries and functions its dashboard shows. */
export function planGatewayObservability(input: ObservabilityInput): GatewayObservabilityPlan {
  const { apiName, spec, proxies, aggregators } = input;
  const t = spec.alarms;
  const alarms: AlarmPlan[] = [];
  const notes: string[] = [];
  const count = (
    id: string,
    slug: string,
    widget: string,
    metric: AlarmMetric,
    threshold: number,
    what: string,
    sustained = false,
  ): AlarmPlan => ({
    id,
    name: `${apiName}-${slug}`,
    description: `Gateway "${input.gateway}": ${what}`,
    widget,
    metric,
    statistic: 'Sum',
    threshold,
    comparison: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: sustained ? 5 : 1,
    datapointsToAlarm: sustained ? 5 : 1,
  });

  alarms.push(
    {
      id: 'ServerErrorRate',
      name: `${apiName}-5xx-rate`,
      description: `Gateway "${input.gateway}": more than ${t.serverErrorRatePercent} % of requests answered 5xx (3 minutes out of 5; minutes under 20 requests ignored)`,
      widget: 'Error rate (%)',
      metric: { kind: 'api', signal: '5xx-rate' },
      statistic: 'Sum',
      threshold: t.serverErrorRatePercent,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    },
    {
      id: 'LatencyP99',
      name: `${apiName}-p99-latency`,
      description: `Gateway "${input.gateway}": p99 latency above ${t.p99LatencyMs} ms (3 minutes out of 5)`,
      widget: 'Latency (ms)',
      metric: { kind: 'api', signal: 'p99-latency' },
      statistic: 'p99',
      threshold: t.p99LatencyMs,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    },
    {
      id: 'RequestRateAnomaly',
      name: `${apiName}-request-rate-anomaly`,
      description:
        `Gateway "${input.gateway}": request rate above the upper edge of its anomaly-detection band, ${t.requestRateBand} standard deviations wide, ` +
        'for 3 five-minute periods (a band learned from the traffic, not a ratio to a baseline)',
      widget: 'Requests',
      metric: { kind: 'api', signal: 'request-rate-anomaly' },
      statistic: 'Sum',
      threshold: t.requestRateBand,
      comparison: 'GreaterThanUpperThreshold',
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
    },
  );
  if (input.accessLogs) {
    alarms.push({
      id: 'ThrottledAlarm',
      name: `${apiName}-throttled`,
      description: `Gateway "${input.gateway}": more than ${t.throttledPerMinute} requests a minute throttled (429) for 5 minutes`,
      widget: 'Throttled (429)',
      metric: { kind: 'api', signal: 'throttled' },
      statistic: 'Sum',
      threshold: t.throttledPerMinute,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
    });
  }

  for (const proxy of proxies) {
    const service = proxy.serviceName ?? proxyServiceName(input.gateway, proxy.service);
    const p = pascal(proxy.service);
    const config = proxy.config;
    const gh = (metric: string, extra: Record<string, string> = {}): AlarmMetric => ({
      kind: 'gatehouse',
      metric,
      dimensions: { [SERVICE_DIMENSION]: service, ...extra },
      emittedBy: 'proxy',
    });
    const of = `proxy of "${proxy.service}"`;
    alarms.push(
      count(
        `${p}ProxyInternalErrors`,
        `proxy-${proxy.service}-internal-errors`,
        'Internal errors',
        gh(PROXY_METRIC.internalError),
        1,
        `the ${of} answered proxy_error (a bug or a planner mistake): any is one too many`,
      ),
    );
    if (config.circuitBreaker) {
      for (const target of config.targets) {
        const key = breakerKey(proxy.service, target.name);
        alarms.push(
          count(
            `${p}${pascal(target.name)}BreakerOpens`,
            `breaker-${proxy.service}-${target.name}-opens`,
            'Circuit breaker opens',
            gh(BREAKER_OPENED_METRIC, { [BREAKER_DIMENSION]: key }),
            t.breakerOpens,
            `the circuit of ${key} opened ${t.breakerOpens} or more times in a minute`,
          ),
        );
      }
      alarms.push(
        count(
          `${p}CircuitOpenRejected`,
          `proxy-${proxy.service}-circuit-open-rejected`,
          'Refused by an open circuit',
          gh(PROXY_METRIC.circuitOpenRejected),
          t.circuitOpenRejectedPerMinute,
          `the ${of} refused ${t.circuitOpenRejectedPerMinute} or more requests a minute because every eligible target's circuit was open`,
        ),
      );
    }
    const reasons = [...(config.fallback !== undefined ? ['fallback'] : []), ...(config.lastGood !== undefined ? ['last-good'] : [])];
    for (const reason of reasons) {
      alarms.push(
        count(
          `${p}Degraded${pascal(reason)}`,
          `proxy-${proxy.service}-${reason}`,
          'Degraded answers',
          gh(PROXY_METRIC.degraded, { [DEGRADED_REASON_DIMENSION]: reason }),
          t.degradedPerMinute,
          `the ${of} served ${t.degradedPerMinute} or more ${reason === 'fallback' ? 'fallback answers' : 'last-good copies'} a minute`,
        ),
      );
    }
    if (config.retry !== undefined && config.retry.retries > 0) {
      alarms.push(
        count(
          `${p}Retries`,
          `proxy-${proxy.service}-retries`,
          'Retries',
          gh(PROXY_METRIC.retries),
          t.retriesPerMinute,
          `the ${of} sent ${t.retriesPerMinute} or more retries a minute`,
        ),
        count(
          `${p}RetryBudgetExhausted`,
          `proxy-${proxy.service}-retry-budget-exhausted`,
          'Retries',
          gh(PROXY_METRIC.retryBudgetExhausted),
          t.retryBudgetExhaustedPerMinute,
          `the ${of} had ${t.retryBudgetExhaustedPerMinute} or more retries a minute refused by its retry budget`,
        ),
      );
    }
    const scopes = [...new Set(Object.values(config.routes).flatMap((r) => (r.rateLimit ? [r.rateLimit.scope] : [])))];
    for (const scope of scopes) {
      // A scope is `<gateway>#<route>`: the alarm name has the API's name already.
      const route = scope.slice(scope.indexOf('#') + 1).replace(/[^A-Za-z0-9-]+/g, '-');
      const s = pascal(route);
      alarms.push(
        count(
          `${p}${s}RateLimitDenied`,
          `rate-limit-${route}-denied`,
          'Rate limits',
          gh(RATE_LIMIT_DENIED_METRIC, { [RATE_LIMIT_SCOPE_DIMENSION]: scope }),
          t.rateLimitDeniedPerMinute,
          `rate limit ${scope} refused ${t.rateLimitDeniedPerMinute} or more requests a minute for 5 minutes`,
          true,
        ),
        count(
          `${p}${s}RateLimitStoreUnavailable`,
          `rate-limit-${route}-store-unavailable`,
          'Rate limits',
          gh(RATE_LIMIT_STORE_UNAVAILABLE_METRIC, { [RATE_LIMIT_SCOPE_DIMENSION]: scope }),
          t.rateLimitStoreUnavailablePerMinute,
          `rate limit ${scope} decided ${t.rateLimitStoreUnavailablePerMinute} or more times a minute without its counter table`,
        ),
      );
    }
  }

  for (const aggregator of aggregators) {
    const service = aggregator.serviceName ?? aggregatorServiceName(input.gateway, aggregator.config.route);
    const a = pascal(aggregator.name);
    const gh = (metric: string): AlarmMetric => ({
      kind: 'gatehouse',
      metric,
      dimensions: { [SERVICE_DIMENSION]: service },
      emittedBy: 'aggregator',
    });
    const of = `aggregator of "${aggregator.name}"`;
    alarms.push(
      count(
        `${a}AggregatorErrors`,
        `aggregator-${aggregator.name}-internal-errors`,
        'Internal errors',
        gh(AGGREGATOR_METRIC.error),
        1,
        `the ${of} answered aggregator_error (a bug or an unexpected throw): any is one too many`,
      ),
    );
    if (Object.values(aggregator.config.parts).some((part) => part.optional)) {
      alarms.push(
        count(
          `${a}AggregateDegraded`,
          `aggregator-${aggregator.name}-degraded`,
          'Degraded answers',
          gh(AGGREGATOR_METRIC.degraded),
          t.degradedPerMinute,
          `the ${of} answered ${t.degradedPerMinute} or more times a minute with an optional part degraded to its fallback`,
        ),
      );
    }
    // Part retries as the proxy's, one pair per part that retries (the `part` dimension the handler publishes with).
    for (const [name, part] of Object.entries(aggregator.config.parts)) {
      if (part.retry === undefined || part.retry.retries <= 0) continue;
      const metric = (m: string): AlarmMetric => ({
        kind: 'gatehouse',
        metric: m,
        dimensions: { [SERVICE_DIMENSION]: service, [PART_DIMENSION]: name },
        emittedBy: 'aggregator',
      });
      const n = pascal(name);
      alarms.push(
        count(
          `${a}${n}PartRetries`,
          `aggregator-${aggregator.name}-${name}-retries`,
          'Retries',
          metric(AGGREGATOR_METRIC.partRetries),
          t.retriesPerMinute,
          `the ${of} sent ${t.retriesPerMinute} or more retries a minute to part "${name}"`,
        ),
        count(
          `${a}${n}PartRetryBudgetExhausted`,
          `aggregator-${aggregator.name}-${name}-retry-budget-exhausted`,
          'Retries',
          metric(AGGREGATOR_METRIC.partRetryBudgetExhausted),
          t.retryBudgetExhaustedPerMinute,
          `the ${of} had ${t.retryBudgetExhaustedPerMinute} or more retries a minute to part "${name}" refused by its retry budget`,
        ),
      );
    }
    const keys = new Set<string>();
    for (const part of Object.values(aggregator.config.parts)) {
      if (part.circuitBreaker && part.target !== undefined) keys.add(breakerKey(part.service, part.target));
    }
    for (const key of keys) {
      const metric: AlarmMetric = {
        kind: 'gatehouse',
        metric: BREAKER_OPENED_METRIC,
        dimensions: { [SERVICE_DIMENSION]: service, [BREAKER_DIMENSION]: key },
        emittedBy: 'aggregator',
      };
      alarms.push(
        count(
          `${a}${pascal(key)}BreakerOpens`,
          `breaker-${aggregator.name}-${key.replace('#', '-')}-opens`,
          'Circuit breaker opens',
          metric,
          t.breakerOpens,
          `the circuit of ${key}, as the ${of} calls it, opened ${t.breakerOpens} or more times in a minute`,
        ),
      );
    }
  }

  if (input.authorizer) {
    const metric: AlarmMetric = {
      kind: 'gatehouse',
      metric: AUTHORIZER_METRIC.denied,
      dimensions: { [SERVICE_DIMENSION]: input.authorizer.serviceName, [DENY_REASON_DIMENSION]: JWKS_UNAVAILABLE_REASON },
      emittedBy: 'authorizer',
    };
    alarms.push(
      count(
        'AuthorizerJwksFailures',
        'authorizer-jwks-failures',
        'Authorizer decisions',
        metric,
        t.jwksFailuresPerMinute,
        `the JWT authorizer refused ${t.jwksFailuresPerMinute} or more tokens a minute because an issuer's keys (JWKS) could not be fetched`,
      ),
    );
  }

  const functions: FunctionRef[] = [
    ...proxies.map((p): FunctionRef => ({ kind: 'proxy', service: p.service })),
    ...aggregators.map((a): FunctionRef => ({ kind: 'aggregator', aggregate: a.name })),
    ...(input.authorizer ? [{ kind: 'authorizer' } as const] : []),
    ...(originVerifyFunction(input.edge) ? [{ kind: 'origin-verify' } as const] : []),
  ];
  const reserved = (fn: FunctionRef): number | undefined =>
    fn.kind === 'proxy'
      ? proxies.find((p) => p.service === fn.service)?.reservedConcurrency
      : fn.kind === 'aggregator'
        ? aggregators.find((a) => a.name === fn.aggregate)?.reservedConcurrency
        : undefined;
  for (const fn of functions) {
    const label = functionLabel(fn);
    const id = pascal(label);
    alarms.push(
      count(
        `${id}Throttles`,
        `${label}-throttles`,
        'Lambda throttles',
        { kind: 'lambda', fn, metric: 'Throttles' },
        t.lambdaThrottlesPerMinute,
        `the ${label} function was throttled ${t.lambdaThrottlesPerMinute} or more times in a minute`,
      ),
    );
    const base = reserved(fn);
    const limit = Math.max(1, Math.floor(((base ?? DEFAULT_REGIONAL_CONCURRENCY) * t.concurrencyPercent) / 100));
    alarms.push({
      ...count(
        `${id}Concurrency`,
        `${label}-concurrency`,
        'Lambda concurrency',
        { kind: 'lambda', fn, metric: 'ConcurrentExecutions' },
        limit,
        `the ${label} function ran ${limit} or more instances at once (${t.concurrencyPercent} % of ${base !== undefined ? `its reserved concurrency of ${base}` : `the regional default of ${DEFAULT_REGIONAL_CONCURRENCY}`}) for 3 minutes`,
      ),
      statistic: 'Maximum',
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
    });
  }

  alarms.push(...edgeAlarms(input, count, notes));
  return { alarmPlans: alarms, queries: savedQueries(input, functions), functions, notes };
}

type CountAlarm = (id: string, slug: string, widget: string, metric: AlarmMetric, threshold: number, what: string) => AlarmPlan;

/** WAF blocks per rule and CloudFront's 5xx rate; those published only in us-east-1 are alarmed on only when the stack is there. */
function edgeAlarms(input: ObservabilityInput, count: CountAlarm, notes: string[]): AlarmPlan[] {
  const t = input.spec.alarms;
  const alarms: AlarmPlan[] = [];
  const waf = (acl: WebAclPlan, where: 'regional' | 'cloudfront') => {
    for (const rule of acl.rules) {
      alarms.push(
        count(
          `Waf${pascal(where)}${pascal(rule.name)}Blocked`,
          `waf-${where}-${rule.name}-blocked`,
          'WAF blocked requests',
          { kind: 'waf', webAcl: where, rule: rule.name },
          t.wafBlockedPerMinute,
          `the ${where === 'regional' ? 'regional' : 'CloudFront'} web ACL's rule ${rule.name} blocked ${t.wafBlockedPerMinute} or more requests a minute`,
        ),
      );
    }
  };
  if (input.edge?.regionalWebAcl) waf(input.edge.regionalWebAcl, 'regional');
  const cloudfront = input.edge?.cloudfront;
  if (!cloudfront) return alarms;
  if (input.region !== CLOUDFRONT_METRICS_REGION) {
    notes.push(
      `CloudFront publishes its 5xx rate${cloudfront.webAcl ? " and its web ACL's WAF counts" : ''} in ${CLOUDFRONT_METRICS_REGION} only, and an alarm must be in its metric's region: ` +
        `the dashboard charts them from ${CLOUDFRONT_METRICS_REGION}, but there is no alarm on them unless the stack is in ${CLOUDFRONT_METRICS_REGION}`,
    );
    return alarms;
  }
  if (cloudfront.webAcl) waf(cloudfront.webAcl, 'cloudfront');
  alarms.push({
    ...count(
      'CloudFront5xxRate',
      'cloudfront-5xx-rate',
      'CloudFront 5xx rate (%)',
      { kind: 'cloudfront-5xx-rate' },
      t.cloudFront5xxRatePercent,
      `CloudFront answered more than ${t.cloudFront5xxRatePercent} % of viewer requests with 5xx (3 minutes out of 5)`,
    ),
    statistic: 'Average',
    comparison: 'GreaterThanThreshold',
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
  });
  return alarms;
}

/** HTTP gateways behind CloudFront check the origin-verify header in a function of their own on routes without JWT auth. */
function originVerifyFunction(edge: EdgePlan | undefined): boolean {
  const verify = edge?.cloudfront?.originVerify;
  return verify?.enforcedBy === 'lambda-authorizers' && verify.originAuthorizer;
}

export function functionLabel(fn: FunctionRef): string {
  switch (fn.kind) {
    case 'proxy':
      return `proxy-${fn.service}`;
    case 'aggregator':
      return `aggregator-${fn.aggregate}`;
    default:
      return fn.kind;
  }
}

/** CloudFormation resources the plan's alarms beyond the four API alarms, and its saved queries, add to the gateway's stack. */
export function observabilityExtraResources(plan: GatewayObservabilityPlan, alarmsEnabled: boolean): number {
  const extra = plan.alarmPlans.filter((a) => a.metric.kind !== 'api').length;
  return (alarmsEnabled ? extra : 0) + plan.queries.length;
}
