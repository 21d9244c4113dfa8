// Stage 4's checks over the finished gateway plans: API Gateway, CloudFormation and account quotas, and the cross-gateway warnings (throttles, rate limits, proxy deadlines, CORS, alarms).
import { formatPath, type SpecIssue } from '../config/errors';
import { CFN_RESOURCES_PER_STACK, CFN_TEMPLATE_BYTES, CFN_WARN_RATIO } from '../config/limits';
import { WINDOW_SECONDS } from '../config/rate-limit-schema';
import type { GatehouseSpec, ThrottleSpec } from '../config/schema';
import { checkConfigHazards } from './config-hazards';
import { bakedTokenIssues, deployTimeWarnings } from './deploy-time';
import { lambdaPayloadWarnings, lambdaStripPathWarnings } from './lambda-services';
import { plaintextWarnings } from './plaintext';
import { PROXY_DEADLINE_MAX_MS, backoffCapsMs, retriesFitDeadline } from './proxy-timing';
import { estimateBytes } from './resources';
import type { ServicePlans } from './service-plan';
import type { PlanFindings } from './stage-types';
import type { GatewayPlan, PlanWarning, RestGatewayPlan } from './types';

/** Every check that needs the gateways' plans or the stack's size; what it finds joins `findings`, in a fixed order. */
export function checkPlan(
  spec: GatehouseSpec,
  services: ServicePlans,
  gateways: readonly GatewayPlan[],
  stackResources: number,
  findings: PlanFindings,
): void {
  const { errors, warnings } = findings;
  for (const g of gateways) {
    if (g.flavor === 'rest') checkApiQuota(g, spec, errors, warnings);
  }
  checkStackSize(stackResources, errors, warnings);
  for (const g of gateways) {
    if (g.observability.alarms.enabled && !g.observability.throttledAlarm) {
      warnings.push({
        code: 'THROTTLE_ALARM_NEEDS_ACCESS_LOGS',
        where: formatPath(['gateways', g.name, 'observability', 'alarms', 'throttledPerMinute']),
        message:
          'the 429 alarm counts throttled requests in the access log, which is off (stage.accessLogs.enabled: false); the other alarms stay',
      });
    }
    for (const note of g.observability.notes) {
      warnings.push({
        code: 'CLOUDFRONT_ALARMS_NEED_US_EAST_1',
        where: formatPath(['gateways', g.name, 'edge', 'cloudfront']),
        message: note,
      });
    }
    if (g.authorizer?.cacheOffReason) {
      warnings.push({
        code: 'AUTHORIZER_CACHE_OFF',
        where: formatPath(['gateways', g.name, 'auth', 'jwt', 'cacheTtlSeconds']),
        message: g.authorizer.cacheOffReason,
      });
    }
    const direct = g.routes
      .filter((r) => r.integration.kind === 'http-proxy' || r.integration.kind === 'lambda-function')
      .map((r) => r.path);
    // An HTTP API adds the CORS headers to every response itself.
    if (g.cors && direct.length && g.flavor === 'rest') {
      warnings.push({
        code: 'CORS_RESPONSE_HEADERS_FROM_UPSTREAM',
        where: formatPath(['gateways', g.name, 'cors']),
        message:
          `REST proxy integrations pass upstream responses through unchanged: the gateway answers preflights and adds CORS headers to its own errors, but the upstreams of ${direct.join(', ')} must send Access-Control-Allow-Origin on their responses` +
          (g.proxies.length ? ' (proxied routes get them from the proxy)' : ''),
      });
    }
  }
  checkThrottles(spec, errors, warnings);
  checkProxyTimeouts(services, gateways, errors, warnings);
  checkRateLimitReach(spec, warnings);
  warnings.push(
    ...checkConfigHazards(spec),
    ...plaintextWarnings(spec),
    ...deployTimeWarnings(spec),
    ...lambdaPayloadWarnings(spec),
    ...lambdaStripPathWarnings(gateways),
  );
  for (const g of gateways) errors.push(...bakedTokenIssues(g.name, g.proxies, g.aggregators, g.authorizer));
}

/**
 * A proxied service's attempt timeout must leave the proxy time to answer before API Gateway's
 * integration timeout does (the client would get the gateway's bare 504 and no fallback); retries
 * that cannot all fit are cut by the deadline, which the user should know.
 */
function checkProxyTimeouts(services: ServicePlans, gateways: readonly GatewayPlan[], errors: SpecIssue[], warnings: PlanWarning[]): void {
  // A proxy waiting on shared state (breaker, rate-limit counters) has that much less time for its upstream.
  const stateWait = new Map<string, number>();
  for (const p of gateways.flatMap((g) => g.proxies)) stateWait.set(p.service, Math.max(stateWait.get(p.service) ?? 0, p.stateWaitMs));
  for (const [name, waitMs] of stateWait) {
    const service = services.get(name)!;
    const at = ['services', name, 'timeoutMs'];
    const maxMs = PROXY_DEADLINE_MAX_MS - waitMs;
    if (service.timeoutMs > maxMs) {
      errors.push(
        issue(
          at,
          `${service.timeoutMs} ms leaves the proxy no time to answer with its 504 or fallback before API Gateway's 29 s integration timeout` +
            `${waitMs ? ` (${waitMs} ms go to the shared-state budget)` : ''}; use at most ${maxMs} ms`,
        ),
      );
      continue;
    }
    const r = service.retry;
    if (r && !retriesFitDeadline(service.timeoutMs, backoffCapsMs(r))) {
      warnings.push({
        code: 'RETRIES_CUT_BY_DEADLINE',
        where: formatPath(['services', name, 'retries', 'attempts']),
        message: `${r.retries + 1} attempts of up to ${service.timeoutMs} ms plus backoff do not fit in the proxy's ${PROXY_DEADLINE_MAX_MS} ms deadline; later attempts start only when they can finish in time`,
      });
    }
  }
}

/**
 * A rate limit counts one client; the stage or route throttle caps everyone together. A limit above
 * what the throttle lets through in its window never bites, and `by: consumer` on a route nobody
 * authenticates on counts per source IP: both are legal but rarely meant.
 */
function checkRateLimitReach(spec: GatehouseSpec, warnings: PlanWarning[]): void {
  for (const [name, gateway] of Object.entries(spec.gateways)) {
    gateway.routes.forEach((route, index) => {
      const limit = route.rateLimit;
      if (!limit) return;
      const at = ['gateways', name, 'routes', index, 'rateLimit'];
      // Per key, a usage plan's throttle caps each key as the limit counts it.
      const throttles: [string, ThrottleSpec][] = [
        [route.throttle ? 'route throttle' : 'stage throttle', route.throttle ?? gateway.stage.throttle],
      ];
      if (route.apiKey && limit.by === 'apiKey') {
        for (const [planName, usagePlan] of Object.entries(gateway.plans))
          if (usagePlan.throttle) throttles.push([`plan "${planName}" throttle`, usagePlan.throttle]);
      }
      for (const window of Object.keys(WINDOW_SECONDS) as (keyof typeof WINDOW_SECONDS)[]) {
        const count = limit[window];
        for (const [what, throttle] of throttles) {
          const ceiling = Math.floor(throttle.rate * WINDOW_SECONDS[window] + throttle.burst);
          if (count === undefined || count <= ceiling) continue;
          warnings.push({
            code: 'RATE_LIMIT_ABOVE_THROTTLE',
            where: formatPath([...at, window]),
            message: `${count} per ${window} can never be reached: the ${what} (${throttle.rate} rps, burst ${throttle.burst}) lets at most ${ceiling} requests per ${window} through${what.startsWith('plan') ? ' per key' : ' for all callers together'}`,
          });
        }
      }
      if (limit.by === 'consumer' && !route.auth && !route.apiKey) {
        warnings.push({
          code: 'RATE_LIMIT_BY_IP',
          where: formatPath([...at, 'by']),
          message: 'the route has neither auth nor apiKey, so every caller is anonymous and is counted by source IP (set by: ip to say so)',
        });
      }
    });
  }
}

function checkApiQuota(g: RestGatewayPlan, spec: GatehouseSpec, errors: SpecIssue[], warnings: PlanWarning[]): void {
  const quota = spec.account.quotas.resourcesPerApi;
  // The root resource counts against the quota too.
  const used = g.estimate.apiResources + 1;
  const where = ['gateways', g.name, 'routes'];
  if (used > quota) {
    errors.push(
      issue(
        where,
        `the API needs ${used} API Gateway resources (2 per prefix path plus shared parents), over the ${quota} resources-per-API quota; request an increase in Service Quotas ("Resources per API") and set account.quotas.resourcesPerApi, or spread the routes over several gateways`,
      ),
    );
  } else if (used > quota * CFN_WARN_RATIO) {
    warnings.push({
      code: 'API_RESOURCES_NEAR_QUOTA',
      where: formatPath(where),
      message: `${used} of ${quota} API Gateway resources per API in use`,
    });
  }
}

function checkStackSize(stackResources: number, errors: SpecIssue[], warnings: PlanWarning[]): void {
  if (stackResources > CFN_RESOURCES_PER_STACK) {
    errors.push(
      issue(
        ['gateways'],
        `the stack needs ${stackResources} resources, over CloudFormation's ${CFN_RESOURCES_PER_STACK}; move some gateways to another config file`,
      ),
    );
  } else if (stackResources > CFN_RESOURCES_PER_STACK * CFN_WARN_RATIO) {
    warnings.push({
      code: 'STACK_RESOURCES_NEAR_LIMIT',
      where: 'gateways',
      message: `the stack holds ${stackResources} of CloudFormation's ${CFN_RESOURCES_PER_STACK} resources`,
    });
  }
  const bytes = estimateBytes(stackResources);
  if (bytes > CFN_TEMPLATE_BYTES * CFN_WARN_RATIO) {
    warnings.push({
      code: 'TEMPLATE_NEAR_SIZE_LIMIT',
      where: 'gateways',
      message: `the template is estimated at ${Math.round(bytes / 1000)} kB of CloudFormation's 1 MB`,
    });
  }
}

function checkThrottles(spec: GatehouseSpec, errors: SpecIssue[], warnings: PlanWarning[]): void {
  const accountRate = spec.account.quotas.requestsPerSecond;
  const tooHigh = (rate: number, path: (string | number)[]) => {
    if (rate > accountRate) {
      errors.push(
        issue(
          path,
          `rate ${rate} rps is above the account's ${accountRate} rps per region and can never be reached; lower it, or raise the quota in Service Quotas and set account.quotas.requestsPerSecond`,
        ),
      );
    }
  };
  let stageSum = 0;
  for (const [name, gateway] of Object.entries(spec.gateways)) {
    const at = ['gateways', name];
    const stageRate = gateway.stage.throttle.rate;
    stageSum += stageRate;
    tooHigh(stageRate, [...at, 'stage', 'throttle', 'rate']);
    const throttled = [
      ...gateway.routes.map((r, i) => ['routes', i, r.throttle] as const),
      ...gateway.aggregates.map((a, i) => ['aggregates', i, a.throttle] as const),
    ];
    for (const [list, i, throttle] of throttled) {
      if (!throttle) continue;
      tooHigh(throttle.rate, [...at, list, i, 'throttle', 'rate']);
      if (throttle.rate > stageRate) {
        warnings.push({
          code: 'ROUTE_THROTTLE_ABOVE_STAGE',
          where: formatPath([...at, list, i, 'throttle']),
          message: `route rate ${throttle.rate} rps is above the stage's ${stageRate} rps; the route override wins, so this route may take more than the stage default`,
        });
      }
    }
    for (const [planName, plan] of Object.entries(gateway.plans)) {
      if (plan.throttle) tooHigh(plan.throttle.rate, [...at, 'plans', planName, 'throttle', 'rate']);
      if (plan.throttle && plan.throttle.rate > stageRate) {
        warnings.push({
          code: 'PLAN_THROTTLE_ABOVE_STAGE',
          where: formatPath([...at, 'plans', planName, 'throttle']),
          message: `plan rate ${plan.throttle.rate} rps is above the stage's ${stageRate} rps per method, so a consumer hits the stage limit first`,
        });
      }
    }
  }
  if (stageSum > accountRate) {
    warnings.push({
      code: 'STAGES_ABOVE_ACCOUNT_RATE',
      where: 'gateways',
      message: `the stages together allow ${stageSum} rps, above the account's ${accountRate} rps shared by every API in the region; API Gateway throttles at the account limit first`,
    });
  }
}

function issue(path: (string | number)[], message: string): SpecIssue {
  return { path, where: formatPath(path), message };
}
