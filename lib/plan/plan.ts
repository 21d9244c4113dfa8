// The planner: a pure function from a validated spec to the Plan, run in stages (services, routes, edge, resources and quotas), with a reason per decision.
import { createHash } from 'node:crypto';
import { ConfigError } from '../config/errors';
import type { GatehouseSpec } from '../config/schema';
import { planGatewayEdge } from './gateway-edge';
import { planGatewayResources } from './gateway-resources';
import { planGatewayRoutes } from './gateway-routes';
import { planNativeJwtAuthorizer, routeKeys } from './http';
import { methodSettingKeys, routeThrottles, usagePlanThrottles } from './stage-throttles';
import { BAD_REQUEST_BODY_MESSAGE, estimateBytes } from './resources';
import { resourceTree } from './routes';
import { planServices } from './services';
import { checkPlan } from './stack-checks';
import { planStackResources } from './stack-resources';
import { finishPlan } from './finish-plan';
import type { GatewayDraft, PlanFindings } from './stage-types';
import type { GatewayPlan, HttpGatewayPlan, Plan, RestGatewayPlan } from './types';

export interface PlanOptions {
  /** The stack the gateways are rendered in: each API is named `<stack>-<gateway>` (see `uniqueApiName`). @default - APIs named after their gateways */
  readonly stackName?: string;
}

/** The plan of a validated spec; its errors and warnings carry the config's file:line:col, acknowledged warnings are set apart. */
export function planSpec(spec: GatehouseSpec, options: PlanOptions = {}): Plan {
  return finishPlan(spec, () => planUnlocated(spec, options));
}

/**
 * The planner's stages, each reading the one before it once: (1) services, (2) each gateway's routes and
 * aggregates, (3) its edge, (4) its resources, then the stack's, and the quota checks over the finished plans.
 */
function planUnlocated(spec: GatehouseSpec, options: PlanOptions): Omit<Plan, 'acknowledged'> {
  const findings: PlanFindings = { errors: [], warnings: [] };
  const services = planServices(spec);
  const drafts = Object.entries(spec.gateways).map(([name, gateway]) => {
    const routed = planGatewayRoutes(name, gateway, spec, services, findings);
    const edged = planGatewayEdge(routed, spec, services, findings);
    return planGatewayResources(edged, spec, options.stackName, findings);
  });
  const stack = planStackResources(spec, services, drafts, findings);
  const gateways = stack.drafts.map(planGateway);
  const stackResources = stack.shared + gateways.reduce((sum, g) => sum + g.estimate.stackResources, 0);
  checkPlan(spec, services, gateways, stackResources, findings);
  if (findings.errors.length > 0) throw new ConfigError(findings.errors);
  return {
    manageCloudWatchRole: spec.account.manageCloudWatchRole,
    keyExpiry: stack.keyExpiry,
    stateTable: stack.stateTable,
    sharedAlarmTopic: stack.sharedAlarmTopic,
    resourcesPerApi: spec.account.quotas.resourcesPerApi,
    httpApiQuotas: { routesPerApi: spec.account.quotas.routesPerApi, integrationsPerApi: spec.account.quotas.integrationsPerApi },
    stackResources,
    stackBytesEstimate: estimateBytes(stackResources),
    edgeStack: stack.edgeStack,
    domains: stack.domains,
    vpcLinks: stack.vpcLinks,
    gateways,
    warnings: findings.warnings,
  };
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
    estimate: {
      stackResources,
      controlPlaneCalls: draft.controlPlaneCalls,
      apiResources: resourceTree(routes).length,
      stackBytesEstimate: estimate.stackBytesEstimate,
    },
  };
  return { ...plan, deploymentFingerprint: deploymentFingerprint(plan) };
}

/**
 * Everything an API Gateway deployment snapshots: resources, methods, integrations, gateway responses.
 * Stage settings, plans and keys are left out on purpose: they apply without a new deployment.
 */
function deploymentFingerprint(
  plan: Omit<RestGatewayPlan, 'deploymentFingerprint'> | Omit<HttpGatewayPlan, 'deploymentFingerprint'>,
): string {
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
    routes: sortedByJson(
      plan.routes.map((r) => ({
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
      })),
    ),
  };
  return createHash('sha256').update(JSON.stringify(snapshot)).digest('hex').slice(0, 16);
}

function sortedByJson<T>(items: readonly T[]): T[] {
  return items
    .map((item) => [JSON.stringify(item), item] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, item]) => item);
}
