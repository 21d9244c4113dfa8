// The planner: a pure function from a validated spec to the Plan, with quota checks and a reason per decision.
import { createHash } from 'node:crypto';
import { ConfigError, formatPath, type SpecIssue } from '../config/errors';
import { CFN_RESOURCES_PER_STACK, CFN_TEMPLATE_BYTES, CFN_WARN_RATIO } from '../config/limits';
import type { GatehouseSpec, GatewaySpec, ThrottleSpec } from '../config/schema';
import { WINDOW_SECONDS } from '../config/rate-limit-schema';
import { planAggregates } from './aggregates';
import { planProxies } from './proxy';
import { PROXY_DEADLINE_MAX_MS, backoffCapsMs, retriesFitDeadline } from './proxy-timing';
import { BAD_REQUEST_BODY_MESSAGE, directLambdaFunctions, proxyResources, usesStateTable, STATE_TABLE_RESOURCES, ALARM_TOPIC_RESOURCES, KEY_EXPIRY_RESOURCES, estimateBytes, restControlPlaneCalls, restGatewayResources, gatewayResponseTypes, STACK_OVERHEAD } from './resources';
import { issuerRestrictionWarnings, nativeJwtRestrictionIssues, planAuthorizer } from './authorizer';
import { CROSS_REGION_READER_RESOURCES, CROSS_REGION_WRITER_RESOURCES, planEdge, withValidation } from './edge';
import { planRoutes, resourceTree } from './routes';
import { httpApiCounts, httpControlPlaneCalls, httpGatewayResources, httpRoutes, lambdaAuthorizerReasons, planHttpLambdaAuthorizer, planNativeJwtAuthorizer, routeKeys } from './http';
import type { EdgePlan } from './edge-types';
import { domainResources, planDomains } from './domains';
import { finishPlan } from './finish-plan';
import { methodSettingKeys, routeThrottles, usagePlanThrottles } from './stage-throttles';
import { checkConfigHazards } from './config-hazards';
import type { AggregatorPlan, GatewayPlan, GatewayResponseType, HttpGatewayPlan, JwtAuthorizerPlan, Plan, PlanWarning, ProxyPlan, RestGatewayPlan, RoutePlan } from './types';
import { observabilityExtraResources, planGatewayObservability, uniqueApiName, type GatewayObservabilityPlan } from './observability';
import { aggregatorServiceName } from '../../lambdas/contract/aggregator-metrics';
import { authorizerServiceName } from '../../lambdas/contract/authorizer-metrics';
import { proxyServiceName } from '../../lambdas/contract/proxy-metrics';
import { plaintextWarnings } from './plaintext';
import { bakedTokenIssues, deployTimeWarnings } from './deploy-time';
import { lambdaPayloadWarnings, lambdaStripPathWarnings } from './lambda-services';
import { CLIENT_CERTIFICATE_RESOURCES, planClientCertificate } from './client-certificate';
import { planVpcLinks, vpcLinkResources } from './vpc-links';

/** Resources the stack adds once when it manages the account's CloudWatch role (AWS::ApiGateway::Account + IAM role). */
const CLOUDWATCH_ROLE_RESOURCES = 2;

export interface PlanOptions {
  /** The stack the gateways are rendered in: each API is named `<stack>-<gateway>` (see `uniqueApiName`). @default - APIs named after their gateways */
  readonly stackName?: string;
}

/** The plan of a validated spec; its errors and warnings carry the config's file:line:col, acknowledged warnings are set apart. */
export function planSpec(spec: GatehouseSpec, options: PlanOptions = {}): Plan {
  return finishPlan(spec, () => planUnlocated(spec, options));
}

function planUnlocated(spec: GatehouseSpec, options: PlanOptions): Omit<Plan, 'acknowledged'> {
  const warnings: PlanWarning[] = [];
  const errors: SpecIssue[] = [];
  const unlinked = Object.entries(spec.gateways).map(([name, gateway]) => {
    const aggregates = planAggregates(name, gateway, spec);
    errors.push(...aggregates.issues);
    warnings.push(...aggregates.warnings);
    const aggregators = aggregates.aggregators;
    if (gateway.flavor === 'http') {
      // The spec rules rejected what an HTTP API lacks (keys, resource policy): see capabilities.ts. Validation is the proxy's.
      const routes = httpRoutes([...withValidation(planRoutes(gateway, spec.services), gateway, name), ...aggregates.routes], gateway);
      const proxies = planProxies(name, gateway, spec.services, routes);
      const authorizer = planNativeJwtAuthorizer(gateway, routes) ? 'native' : lambdaAuthorizerReasons(gateway, routes).length ? 'lambda' : undefined;
      if (authorizer === 'native') errors.push(...nativeJwtRestrictionIssues(name, gateway));
      warnings.push(...issuerRestrictionWarnings(name, gateway, routes));
      if (gateway.stage.executionLogs && gateway.stage.executionLogs !== 'OFF') {
        warnings.push({
          code: 'EXECUTION_LOGS_NOT_ON_HTTP',
          where: formatPath(['gateways', name, 'stage', 'executionLogs']),
          message: `HTTP APIs have no execution logs, so ${gateway.stage.executionLogs} is ignored; the access log carries the integration and authorizer errors (remove the line, or set OFF)`,
        });
      }
      // Resource-policy IPs and mTLS were rejected by the spec rules; CloudFront and its WAF are planned as on REST.
      const { edge, errors: edgeErrors, warnings: edgeWarnings } = planEdge(name, gateway, routes);
      errors.push(...edgeErrors);
      warnings.push(...edgeWarnings);
      const fixed = httpGatewayResources(gateway, [...proxies, ...aggregators], authorizer) + directLambdaFunctions(routes).length + (edge?.stackResources ?? 0);
      const counts = httpApiCounts(routes, proxies.length + aggregators.length);
      for (const [what, used, quota, field] of [['routes', counts.routes, spec.account.quotas.routesPerApi, 'routesPerApi'], ['integrations', counts.integrations, spec.account.quotas.integrationsPerApi, 'integrationsPerApi']] as const) {
        if (used > quota) {
          errors.push(issue(['gateways', name, 'routes'], `the HTTP API needs ${used} ${what}, over its ${quota} ${what}-per-API quota (one route per method and path, greedy paths included); spread the routes over several gateways, or request an increase in Service Quotas and set account.quotas.${field}`));
        }
      }
      // One import of the body, the stage, and the API mapping of a custom domain (as explain counts them).
      return { name, gateway, routes, gatewayResponses: [], proxies, aggregators, edge, fixed, controlPlaneCalls: httpControlPlaneCalls(gateway.domain ? 1 : 0) };
    }
    // Every route is operations in the API's definition: no CloudFormation resource per route or method.
    const routes = [...withValidation(planRoutes(gateway, spec.services), gateway, name), ...aggregates.routes];
    warnings.push(...issuerRestrictionWarnings(name, gateway, routes));
    const gatewayResponses = gatewayResponseTypes(gateway, routes);
    const proxies = planProxies(name, gateway, spec.services, routes);
    const { edge, errors: edgeErrors, warnings: edgeWarnings } = planEdge(name, gateway, routes, spec.account.quotas.resourcePolicyChars);
    errors.push(...edgeErrors);
    warnings.push(...edgeWarnings);
    const certificate = planClientCertificate(name, routes, spec);
    errors.push(...certificate.issues);
    const fixed =
      (certificate.plan ? CLIENT_CERTIFICATE_RESOURCES : 0) +
      restGatewayResources(gateway, routes) +
      directLambdaFunctions(routes).length +
      [...proxies, ...aggregators].reduce((sum, p) => sum + proxyResources(p, gateway.stage.tracing), 0) +
      (edge?.stackResources ?? 0);
    return { name, gateway, routes, gatewayResponses, proxies, aggregators, edge, fixed, controlPlaneCalls: restControlPlaneCalls(gateway), clientCertificate: certificate.plan };
  }).map((draft) => withObservability(draft, spec, options.stackName));
  const vpcLinks = planVpcLinks(spec, unlinked);
  errors.push(...vpcLinks.errors);
  const drafts = vpcLinks.drafts;
  const stateTable = drafts.some((d) => [...d.proxies, ...d.aggregators].some((fn) => usesStateTable(fn.stateUses)));
  // A CloudFront web ACL lives in us-east-1; its ARN reaches the distribution through CDK's cross-region export.
  const edgeGateways = drafts.filter((d) => d.edge?.cloudfront?.webAcl);
  const edgeStack = edgeGateways.length
    ? { region: 'us-east-1' as const, resources: STACK_OVERHEAD + CROSS_REGION_WRITER_RESOURCES + edgeGateways.reduce((n, d) => n + d.edge!.edgeStackResources, 0) }
    : undefined;

  // One stack holds every gateway: routes cost no resources, so nothing is split into nested stacks.
  const keyExpiry =
    spec.account.keyExpiry.enabled && Object.values(spec.gateways).some((g) => Object.keys(g.plans).length > 0)
      ? { warningDays: spec.account.keyExpiry.warningDays }
      : undefined;
  const sharedAlarmTopic =
    Object.values(spec.gateways).some((g) => g.observability.alarms.enabled && !g.observability.alarmTopicArn) || keyExpiry !== undefined;
  const domains = planDomains(spec);
  const shared =
    STACK_OVERHEAD +
    domainResources(domains) +
    vpcLinkResources(vpcLinks.links) +
    (spec.account.manageCloudWatchRole ? CLOUDWATCH_ROLE_RESOURCES : 0) +
    (sharedAlarmTopic ? ALARM_TOPIC_RESOURCES : 0) +
    (keyExpiry ? KEY_EXPIRY_RESOURCES : 0) +
    (stateTable ? STATE_TABLE_RESOURCES : 0) +
    (edgeStack ? CROSS_REGION_READER_RESOURCES : 0);
  const gateways = drafts.map(planGateway);
  const stackResources = shared + gateways.reduce((sum, g) => sum + g.estimate.stackResources, 0);

  for (const g of gateways) {
    if (g.flavor === 'rest') checkApiQuota(g, spec, errors, warnings);
  }
  checkStackSize(stackResources, errors, warnings);
  for (const g of gateways) {
    if (g.observability.alarms.enabled && !g.observability.throttledAlarm) {
      warnings.push({
        code: 'THROTTLE_ALARM_NEEDS_ACCESS_LOGS',
        where: formatPath(['gateways', g.name, 'observability', 'alarms', 'throttledPerMinute']),
        message: 'the 429 alarm counts throttled requests in the access log, which is off (stage.accessLogs.enabled: false); the other alarms stay',
      });
    }
    for (const note of g.observability.notes) {
      warnings.push({ code: 'CLOUDFRONT_ALARMS_NEED_US_EAST_1', where: formatPath(['gateways', g.name, 'edge', 'cloudfront']), message: note });
    }
    if (g.authorizer?.cacheOffReason) {
      warnings.push({ code: 'AUTHORIZER_CACHE_OFF', where: formatPath(['gateways', g.name, 'auth', 'jwt', 'cacheTtlSeconds']), message: g.authorizer.cacheOffReason });
    }
    const direct = g.routes.filter((r) => r.integration.kind === 'http-proxy' || r.integration.kind === 'lambda-function').map((r) => r.path);
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
  checkProxyTimeouts(spec, gateways, errors, warnings);
  checkRateLimitReach(spec, warnings);
  warnings.push(...checkConfigHazards(spec), ...plaintextWarnings(spec), ...deployTimeWarnings(spec), ...lambdaPayloadWarnings(spec), ...lambdaStripPathWarnings(gateways));
  for (const g of gateways) errors.push(...bakedTokenIssues(g.name, g.proxies, g.aggregators, g.authorizer));
  if (errors.length > 0) throw new ConfigError(errors);
  return {
    manageCloudWatchRole: spec.account.manageCloudWatchRole,
    keyExpiry,
    stateTable,
    sharedAlarmTopic,
    resourcesPerApi: spec.account.quotas.resourcesPerApi,
    httpApiQuotas: { routesPerApi: spec.account.quotas.routesPerApi, integrationsPerApi: spec.account.quotas.integrationsPerApi },
    stackResources,
    stackBytesEstimate: estimateBytes(stackResources),
    edgeStack,
    domains,
    vpcLinks: vpcLinks.links,
    gateways,
    warnings,
  };
}

/** A gateway's routes and fixed costs, worked out once before the stack-wide split decision. */
interface GatewayDraft {
  readonly name: string;
  readonly gateway: GatewaySpec;
  readonly routes: RoutePlan[];
  readonly gatewayResponses: GatewayResponseType[];
  readonly proxies: ProxyPlan[];
  readonly aggregators: AggregatorPlan[];
  readonly edge?: EdgePlan;
  /** Resources the gateway costs (all of them: routes cost none on REST, and HTTP counts its own). */
  readonly fixed: number;
  /** API Gateway control-plane calls of a first deploy (REST; the HTTP planner counts its own). */
  readonly controlPlaneCalls: number;
  readonly clientCertificate?: RestGatewayPlan['clientCertificate'];
  /** The API's unique name, and what names its functions' metrics. */
  readonly apiName: string;
  readonly authorizer?: JwtAuthorizerPlan;
  readonly observability: GatewayObservabilityPlan;
}

/**
 * Names the API and its functions' metrics uniquely per stack, and plans the alarms and saved queries of the
 * gateway's features (whose resources join its fixed cost).
 */
function withObservability(draft: Omit<GatewayDraft, 'apiName' | 'authorizer' | 'observability'>, spec: GatehouseSpec, stackName: string | undefined): GatewayDraft {
  const { name, gateway, routes } = draft;
  const apiName = uniqueApiName(name, stackName);
  const proxies = draft.proxies.map((p) => ({ ...p, serviceName: proxyServiceName(apiName, p.service) }));
  const aggregators = draft.aggregators.map((a) => ({ ...a, serviceName: aggregatorServiceName(apiName, a.config.route) }));
  const planned = gateway.flavor === 'http' ? planHttpLambdaAuthorizer(gateway, routes) : planAuthorizer(gateway, routes);
  const authorizer = planned && { ...planned, serviceName: authorizerServiceName(apiName) };
  const observability = planGatewayObservability({
    gateway: name,
    apiName,
    spec: gateway.observability,
    accessLogs: gateway.stage.accessLogs.enabled,
    proxies,
    aggregators,
    authorizer,
    edge: draft.edge,
    region: spec.account.region,
  });
  const fixed = draft.fixed + observabilityExtraResources(observability, gateway.observability.alarms.enabled);
  return { ...draft, apiName, proxies, aggregators, authorizer, observability, fixed };
}

function planGateway(draft: GatewayDraft): GatewayPlan {
  const { name, gateway, routes, gatewayResponses, proxies, aggregators } = draft;
  const stackResources = draft.fixed;
  const estimate = { stackResources, controlPlaneCalls: draft.controlPlaneCalls, stackBytesEstimate: estimateBytes(stackResources) };
  const { executionLogs, ...stage } = gateway.stage;
  // Both flavors' fields, in the order `explain --json` has always printed them.
  const head = { name, apiName: draft.apiName, flavor: gateway.flavor, description: gateway.description };
  const body = { cors: gateway.cors, correlationId: gateway.correlationId, routes, proxies, aggregators };
  const edge = { edge: draft.edge, executeApiEndpoint: !draft.edge?.mtls && gateway.domain?.executeApiEndpoint !== false };
  const observability = {
    ...gateway.observability,
    throttledAlarm: gateway.observability.alarms.enabled && gateway.stage.accessLogs.enabled,
    ...draft.observability,
  };
  if (head.flavor === 'http') {
    // HTTP APIs have no execution logs (a configured level was warned about) and base64 binary bodies for Lambdas by themselves.
    const plan: Omit<HttpGatewayPlan, 'deploymentFingerprint'> = {
      ...head,
      flavor: 'http',
      stage: { ...stage, routeThrottles: routeThrottles(routes, routeKeys) },
      ...body,
      ...edge,
      authorizer: draft.authorizer,
      nativeJwtAuthorizer: planNativeJwtAuthorizer(gateway, routes),
      observability,
      estimate,
    };
    return { ...plan, deploymentFingerprint: deploymentFingerprint(plan) };
  }
  const plan: Omit<RestGatewayPlan, 'deploymentFingerprint'> = {
    ...head,
    flavor: 'rest',
    endpoint: { type: gateway.endpoint.type, vpcEndpointIds: gateway.endpoint.vpcEndpointIds ?? [] },
    // REST stages default to ERROR.
    stage: { ...stage, executionLogs: executionLogs ?? 'ERROR', methodThrottles: routeThrottles(routes, methodSettingKeys) },
    ...body,
    // Lambda answers (the proxy's binary bodies, the aggregator's br/gzip) come back base64.
    binaryMediaTypes: proxies.length || aggregators.length ? ['*/*'] : [],
    plans: gateway.plans,
    planThrottles: usagePlanThrottles(gateway.plans, routes),
    consumers: gateway.consumers,
    gatewayResponses,
    ...edge,
    ...(draft.clientCertificate ? { clientCertificate: draft.clientCertificate } : {}),
    authorizer: draft.authorizer,
    apiKeySource: gateway.auth?.jwt?.clientIdAsApiKey ? 'AUTHORIZER' : 'HEADER',
    observability,
    estimate: { stackResources, controlPlaneCalls: draft.controlPlaneCalls, apiResources: resourceTree(routes).length, stackBytesEstimate: estimate.stackBytesEstimate },
  };
  return { ...plan, deploymentFingerprint: deploymentFingerprint(plan) };
}

/**
 * Everything an API Gateway deployment snapshots: resources, methods, integrations, gateway responses.
 * Stage settings, plans and keys are left out on purpose: they apply without a new deployment.
 */
function deploymentFingerprint(plan: Omit<RestGatewayPlan, 'deploymentFingerprint'> | Omit<HttpGatewayPlan, 'deploymentFingerprint'>): string {
  // An HTTP gateway snapshots what a REST one without those features would: its fingerprint (the document's version) stays as it was.
  const rest = plan.flavor === 'rest' ? plan : undefined;
  const snapshot = {
    endpoint: rest ? rest.endpoint : { type: 'REGIONAL', vpcEndpointIds: [] },
    cors: plan.cors,
    correlationId: plan.correlationId,
    gatewayResponses: rest?.gatewayResponses ?? [],
    // Its body changed once (it embedded an unescapable validation string); undefined keeps other gateways' fingerprints.
    badRequestBody: rest?.gatewayResponses.includes('BAD_REQUEST_BODY') ? BAD_REQUEST_BODY_MESSAGE : undefined,
    resourcePolicyIps: plan.edge?.resourcePolicy,
    // Turning the execute-api endpoint off (with mutual TLS) takes effect only with a new deployment.
    executeApiEndpointOff: plan.executeApiEndpoint ? undefined : true, // undefined keeps existing gateways' fingerprints unchanged
    authorizerCacheTtl: plan.authorizer?.cacheTtlSeconds,
    apiKeySource: rest ? rest.apiKeySource : 'HEADER',
    // Binary media types apply only with a new deployment; undefined when none keeps older gateways' fingerprints.
    binaryMediaTypes: rest?.binaryMediaTypes.length ? rest.binaryMediaTypes : undefined,
    // In path order: where a route sits in the config changes nothing in the API, so it must not redeploy it.
    routes: sortedByJson(plan.routes.map((r) => ({
      auth: r.features.auth,
      path: r.path,
      // A route without its greedy child (match: exact, or a path ending {name+}) has other resources; undefined keeps prefix routes' fingerprints.
      resourcePaths: r.integration.kind !== 'aggregator' && r.resourcePaths.length === 1 ? r.resourcePaths : undefined,
      apiMethods: r.apiMethods,
      integration: r.integration,
      apiKey: r.features.apiKey,
      cors: r.features.cors,
      // The schema itself, not its file's absolute path, so the same config deploys the same from any checkout.
      validation: r.features.validation && { ...r.features.validation, body: r.features.validation.body?.schema },
    }))),
  };
  return createHash('sha256').update(JSON.stringify(snapshot)).digest('hex').slice(0, 16);
}

function sortedByJson<T>(items: readonly T[]): T[] {
  return items.map((item) => [JSON.stringify(item), item] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
}

/**
 * A proxied service's attempt timeout must leave the proxy time to answer before API Gateway's
 * integration timeout does (the client would get the gateway's bare 504 and no fallback); retries
 * that cannot all fit are cut by the deadline, which the user should know.
 */
function checkProxyTimeouts(spec: GatehouseSpec, gateways: readonly GatewayPlan[], errors: SpecIssue[], warnings: PlanWarning[]): void {
  // A proxy waiting on shared state (breaker, rate-limit counters) has that much less time for its upstream.
  const stateWait = new Map<string, number>();
  for (const p of gateways.flatMap((g) => g.proxies)) stateWait.set(p.service, Math.max(stateWait.get(p.service) ?? 0, p.stateWaitMs));
  for (const [name, waitMs] of stateWait) {
    const service = spec.services[name]!;
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
    const r = service.retries;
    if (r && !retriesFitDeadline(service.timeoutMs, backoffCapsMs({ retries: r.attempts, baseDelayMs: r.baseDelayMs, maxDelayMs: r.maxDelayMs }))) {
      warnings.push({
        code: 'RETRIES_CUT_BY_DEADLINE',
        where: formatPath(['services', name, 'retries', 'attempts']),
        message: `${r.attempts + 1} attempts of up to ${service.timeoutMs} ms plus backoff do not fit in the proxy's ${PROXY_DEADLINE_MAX_MS} ms deadline; later attempts start only when they can finish in time`,
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
      const throttles: [string, ThrottleSpec][] = [[route.throttle ? 'route throttle' : 'stage throttle', route.throttle ?? gateway.stage.throttle]];
      if (route.apiKey && limit.by === 'apiKey') {
        for (const [planName, usagePlan] of Object.entries(gateway.plans)) if (usagePlan.throttle) throttles.push([`plan "${planName}" throttle`, usagePlan.throttle]);
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
    warnings.push({ code: 'API_RESOURCES_NEAR_QUOTA', where: formatPath(where), message: `${used} of ${quota} API Gateway resources per API in use` });
  }
}

function checkStackSize(stackResources: number, errors: SpecIssue[], warnings: PlanWarning[]): void {
  if (stackResources > CFN_RESOURCES_PER_STACK) {
    errors.push(issue(['gateways'], `the stack needs ${stackResources} resources, over CloudFormation's ${CFN_RESOURCES_PER_STACK}; move some gateways to another config file`));
  } else if (stackResources > CFN_RESOURCES_PER_STACK * CFN_WARN_RATIO) {
    warnings.push({ code: 'STACK_RESOURCES_NEAR_LIMIT', where: 'gateways', message: `the stack holds ${stackResources} of CloudFormation's ${CFN_RESOURCES_PER_STACK} resources` });
  }
  const bytes = estimateBytes(stackResources);
  if (bytes > CFN_TEMPLATE_BYTES * CFN_WARN_RATIO) {
    warnings.push({ code: 'TEMPLATE_NEAR_SIZE_LIMIT', where: 'gateways', message: `the template is estimated at ${Math.round(bytes / 1000)} kB of CloudFormation's 1 MB` });
  }
}

function checkThrottles(spec: GatehouseSpec, errors: SpecIssue[], warnings: PlanWarning[]): void {
  const accountRate = spec.account.quotas.requestsPerSecond;
  const tooHigh = (rate: number, path: (string | number)[]) => {
    if (rate > accountRate) {
      errors.push(issue(path, `rate ${rate} rps is above the account's ${accountRate} rps per region and can never be reached; lower it, or raise the quota in Service Quotas and set account.quotas.requestsPerSecond`));
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
        warnings.push({ code: 'ROUTE_THROTTLE_ABOVE_STAGE', where: formatPath([...at, list, i, 'throttle']), message: `route rate ${throttle.rate} rps is above the stage's ${stageRate} rps; the route override wins, so this route may take more than the stage default` });
      }
    }
    for (const [planName, plan] of Object.entries(gateway.plans)) {
      if (plan.throttle) tooHigh(plan.throttle.rate, [...at, 'plans', planName, 'throttle', 'rate']);
      if (plan.throttle && plan.throttle.rate > stageRate) {
        warnings.push({ code: 'PLAN_THROTTLE_ABOVE_STAGE', where: formatPath([...at, 'plans', planName, 'throttle']), message: `plan rate ${plan.throttle.rate} rps is above the stage's ${stageRate} rps per method, so a consumer hits the stage limit first` });
      }
    }
  }
  if (stageSum > accountRate) {
    warnings.push({ code: 'STAGES_ABOVE_ACCOUNT_RATE', where: 'gateways', message: `the stages together allow ${stageSum} rps, above the account's ${accountRate} rps shared by every API in the region; API Gateway throttles at the account limit first` });
  }
}

function issue(path: (string | number)[], message: string): SpecIssue {
  return { path, where: formatPath(path), message };
}
