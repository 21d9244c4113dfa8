// The planner: a pure function from a validated spec to the Plan, with quota checks and a reason per decision.
import { createHash } from 'node:crypto';
import { SpecError, formatPath, type SpecIssue } from '../spec/errors';
import { CFN_RESOURCES_PER_STACK, CFN_TEMPLATE_BYTES, CFN_WARN_RATIO } from '../spec/limits';
import type { GatehouseSpec, GatewaySpec } from '../spec/schema';
import { ALARM_TOPIC_RESOURCES, KEY_EXPIRY_RESOURCES, estimateBytes, fixedResources, gatewayResponseTypes, groupRoutes, methodCount, STACK_OVERHEAD, STACK_RESOURCE_BUDGET } from './resources';
import { planAuthorizer } from './authorizer';
import { collapseMethods } from './method-policy';
import { CROSS_REGION_READER_RESOURCES, CROSS_REGION_WRITER_RESOURCES, planEdge, validationResources, withValidation } from './edge';
import { planRoutes, resourceTree } from './routes';
import type { EdgePlan } from './edge-types';
import type { GatewayPlan, GatewayResponseType, Plan, PlanWarning, RoutePlan } from './types';

/** Resources the stack adds once when it manages the account's CloudWatch role (AWS::ApiGateway::Account + IAM role). */
const CLOUDWATCH_ROLE_RESOURCES = 2;

export function planSpec(spec: GatehouseSpec): Plan {
  const warnings: PlanWarning[] = [];
  const errors: SpecIssue[] = [];
  const drafts = Object.entries(spec.gateways).map(([name, gateway]) => {
    // Method lists move into the resource policy where that saves resources; see method-policy.ts.
    const planned = withValidation(planRoutes(gateway, spec.services), gateway, name);
    const { routes, denied } = collapseMethods(planned, gateway, spec.account.quotas.resourcePolicyChars);
    const gatewayResponses = gatewayResponseTypes(gateway, denied.length > 0, routes);
    const { edge, errors: edgeErrors, warnings: edgeWarnings } = planEdge(name, gateway, routes, spec.account.quotas.resourcePolicyChars);
    errors.push(...edgeErrors);
    warnings.push(...edgeWarnings);
    const fixed = fixedResources(gateway, gatewayResponses.length, routes) + (edge?.stackResources ?? 0) + validationResources(routes);
    return { name, gateway, routes, denied, gatewayResponses, edge, fixed };
  });
  // A CloudFront web ACL lives in us-east-1; its ARN reaches the distribution through CDK's cross-region export.
  const edgeGateways = drafts.filter((d) => d.edge?.cloudfront?.webAcl);
  const edgeStack = edgeGateways.length
    ? { region: 'us-east-1' as const, resources: STACK_OVERHEAD + CROSS_REGION_WRITER_RESOURCES + edgeGateways.reduce((n, d) => n + d.edge!.edgeStackResources, 0) }
    : undefined;

  // One stack holds every gateway; split routes into nested stacks only when it would not fit.
  const keyExpiry =
    spec.account.keyExpiry.enabled && Object.values(spec.gateways).some((g) => Object.keys(g.plans).length > 0)
      ? { warningDays: spec.account.keyExpiry.warningDays }
      : undefined;
  const sharedAlarmTopic =
    Object.values(spec.gateways).some((g) => g.observability.alarms.enabled && !g.observability.alarmTopicArn) || keyExpiry !== undefined;
  const shared =
    STACK_OVERHEAD +
    (spec.account.manageCloudWatchRole ? CLOUDWATCH_ROLE_RESOURCES : 0) +
    (sharedAlarmTopic ? ALARM_TOPIC_RESOURCES : 0) +
    (keyExpiry ? KEY_EXPIRY_RESOURCES : 0) +
    (edgeStack ? CROSS_REGION_READER_RESOURCES : 0);
  const unsplitTotal =
    shared + drafts.reduce((sum, d) => sum + d.fixed + resourceTree(d.routes).length + sumMethods(d.routes), 0);
  const split = unsplitTotal > STACK_RESOURCE_BUDGET;

  const gateways = drafts.map((d) => planGateway(d, split, unsplitTotal));
  const stackResources = shared + gateways.reduce((sum, g) => sum + g.estimate.stackResources, 0);

  for (const g of gateways) {
    checkApiQuota(g, spec, errors, warnings);
    for (const [i, n] of g.estimate.groupResources.entries()) {
      if (n > CFN_RESOURCES_PER_STACK) {
        errors.push(issue(['gateways', g.name], `route stack ${i + 1} would hold ${n} resources, over CloudFormation's ${CFN_RESOURCES_PER_STACK}; split the gateway's routes into several gateways`));
      }
    }
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
    if (g.authorizer?.cacheOffReason) {
      warnings.push({ code: 'AUTHORIZER_CACHE_OFF', where: formatPath(['gateways', g.name, 'auth', 'jwt', 'cacheTtlSeconds']), message: g.authorizer.cacheOffReason });
    }
    if (g.cors && g.routes.some((r) => r.integration.kind === 'http-proxy')) {
      warnings.push({
        code: 'CORS_RESPONSE_HEADERS_FROM_UPSTREAM',
        where: formatPath(['gateways', g.name, 'cors']),
        message:
          'REST proxy integrations pass upstream responses through unchanged: the gateway answers preflights and adds CORS headers to its own errors, but each upstream must send Access-Control-Allow-Origin on its responses',
      });
    }
  }
  checkThrottles(spec, errors, warnings);
  if (errors.length > 0) throw new SpecError(errors);
  return {
    manageCloudWatchRole: spec.account.manageCloudWatchRole,
    keyExpiry,
    sharedAlarmTopic,
    resourcesPerApi: spec.account.quotas.resourcesPerApi,
    stackResources,
    stackBytesEstimate: estimateBytes(stackResources),
    edgeStack,
    gateways,
    warnings,
  };
}

/** A gateway's routes and fixed costs, worked out once before the stack-wide split decision. */
interface GatewayDraft {
  readonly name: string;
  readonly gateway: GatewaySpec;
  readonly routes: RoutePlan[];
  /** Resource-policy Deny entries of collapsed routes. */
  readonly denied: string[];
  readonly gatewayResponses: GatewayResponseType[];
  readonly edge?: EdgePlan;
  /** Resources the gateway costs besides its API resources and methods. */
  readonly fixed: number;
}

function planGateway(draft: GatewayDraft, split: boolean, unsplitTotal: number): GatewayPlan {
  const { name, gateway, routes: draftRoutes, denied: deniedMethodResources, gatewayResponses } = draft;
  const grouping = split ? groupRoutes(draftRoutes) : undefined;
  const routes = draftRoutes.map((r) => (grouping ? { ...r, group: grouping.routeGroup.get(r.id) } : r));
  const tree = resourceTree(routes);
  const apiResources = tree.map((path) => ({ path, group: grouping?.resourceGroup.get(path) }));
  const groups = grouping?.groups ?? 0;
  const groupResources = Array.from({ length: groups }, (_, g) =>
    STACK_OVERHEAD +
    apiResources.filter((r) => r.group === g).length +
    sumMethods(routes.filter((r) => r.group === g)),
  );
  const stackResources =
    draft.fixed +
    groups + // one AWS::CloudFormation::Stack per group
    apiResources.filter((r) => r.group === undefined).length +
    sumMethods(routes.filter((r) => r.group === undefined));
  const plan: Omit<GatewayPlan, 'deploymentFingerprint'> = {
    name,
    flavor: 'rest',
    description: gateway.description,
    endpoint: { type: gateway.endpoint.type, vpcEndpointIds: gateway.endpoint.vpcEndpointIds ?? [] },
    stage: gateway.stage,
    cors: gateway.cors,
    correlationId: gateway.correlationId,
    routes,
    apiResources,
    plans: gateway.plans,
    consumers: gateway.consumers,
    gatewayResponses,
    deniedMethodResources,
    edge: draft.edge,
    authorizer: planAuthorizer(gateway, routes),
    apiKeySource: gateway.auth?.jwt?.clientIdAsApiKey ? 'AUTHORIZER' : 'HEADER',
    observability: {
      ...gateway.observability,
      throttledAlarm: gateway.observability.alarms.enabled && gateway.stage.accessLogs.enabled,
    },
    routeGroups: groups,
    splitReason: split
      ? `the stack would hold ${unsplitTotal} resources, over the ${STACK_RESOURCE_BUDGET} kept as headroom below CloudFormation's ${CFN_RESOURCES_PER_STACK}; routes go into ${groups} nested stack(s) of at most ${STACK_RESOURCE_BUDGET} resources, paths shared between them stay in the parent`
      : `not split: the stack holds ${unsplitTotal} resources, within the ${STACK_RESOURCE_BUDGET} kept as headroom below CloudFormation's ${CFN_RESOURCES_PER_STACK}`,
    estimate: {
      stackResources,
      groupResources,
      apiResources: tree.length,
      stackBytesEstimate: estimateBytes(stackResources),
    },
  };
  return { ...plan, deploymentFingerprint: deploymentFingerprint(plan) };
}

function sumMethods(routes: readonly RoutePlan[]): number {
  return routes.reduce((sum, r) => sum + methodCount(r), 0);
}

/**
 * Everything an API Gateway deployment snapshots: resources, methods, integrations, gateway responses.
 * Stage settings, plans and keys are left out on purpose: they apply without a new deployment.
 */
function deploymentFingerprint(plan: Omit<GatewayPlan, 'deploymentFingerprint'>): string {
  const snapshot = {
    endpoint: plan.endpoint,
    cors: plan.cors,
    correlationId: plan.correlationId,
    gatewayResponses: plan.gatewayResponses,
    deniedMethodResources: plan.deniedMethodResources,
    resourcePolicyIps: plan.edge?.resourcePolicy,
    // Turning the execute-api endpoint off (with mutual TLS) takes effect only with a new deployment.
    executeApiEndpointOff: plan.edge?.mtls ? true : undefined, // undefined keeps existing gateways' fingerprints unchanged
    authorizerCacheTtl: plan.authorizer?.cacheTtlSeconds,
    apiKeySource: plan.apiKeySource,
    routes: plan.routes.map((r) => ({
      auth: r.features.auth,
      path: r.path,
      apiMethods: r.apiMethods,
      integration: r.integration,
      apiKey: r.features.apiKey,
      cors: r.features.cors,
      // The schema itself, not its file's absolute path, so the same config deploys the same from any checkout.
      validation: r.features.validation && { ...r.features.validation, body: r.features.validation.body?.schema },
    })),
  };
  return createHash('sha256').update(JSON.stringify(snapshot)).digest('hex').slice(0, 16);
}

function checkApiQuota(g: GatewayPlan, spec: GatehouseSpec, errors: SpecIssue[], warnings: PlanWarning[]): void {
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
    errors.push(issue(['gateways'], `the stack needs ${stackResources} resources even after moving routes to nested stacks, over CloudFormation's ${CFN_RESOURCES_PER_STACK}; move some gateways to another config file`));
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
    gateway.routes.forEach((route, i) => {
      if (!route.throttle) return;
      tooHigh(route.throttle.rate, [...at, 'routes', i, 'throttle', 'rate']);
      if (route.throttle.rate > stageRate) {
        warnings.push({ code: 'ROUTE_THROTTLE_ABOVE_STAGE', where: formatPath([...at, 'routes', i, 'throttle']), message: `route rate ${route.throttle.rate} rps is above the stage's ${stageRate} rps; the route override wins, so this route may take more than the stage default` });
      }
    });
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
