// The planner: a pure function from a validated spec to the Plan, run in stages (services, routes, edge, resources and quotas), with a reason per decision.
import { createHash } from 'node:crypto';
import { ConfigError } from '../config/errors';
import type { GatehouseSpec } from '../config/schema';
import { planGatewayEdge } from './gateway-edge';
import { planGatewayResources } from './gateway-resources';
import { planGatewayRoutes } from './gateway-routes';
import { planNativeJwtAuthorizer } from './http';
import { BAD_REQUEST_BODY_MESSAGE, estimateBytes } from './resources';
import { resourceTree } from './routes';
import { planServices } from './services';
import { checkPlan } from './stack-checks';
import { planStackResources } from './stack-resources';
import { finishPlan } from './finish-plan';
import type { GatewayDraft, PlanFindings } from './stage-types';
import type { GatewayPlan, Plan } from './types';

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
  const http = gateway.flavor === 'http';
  const apiResources = http ? 0 : resourceTree(routes).length;
  const stackResources = draft.fixed;
  const plan: Omit<GatewayPlan, 'deploymentFingerprint'> = {
    name,
    apiName: draft.apiName,
    flavor: gateway.flavor,
    description: gateway.description,
    endpoint: { type: gateway.endpoint.type, vpcEndpointIds: gateway.endpoint.vpcEndpointIds ?? [] },
    // HTTP APIs have no execution logs (a configured level was warned about); REST stages default to ERROR.
    stage: { ...gateway.stage, executionLogs: http ? 'OFF' : (gateway.stage.executionLogs ?? 'ERROR') },
    cors: gateway.cors,
    correlationId: gateway.correlationId,
    routes,
    proxies,
    aggregators,
    // Lambda answers (the proxy's binary bodies, the aggregator's br/gzip) come back base64.
    // (HTTP APIs base64 binary bodies for Lambdas by themselves.)
    binaryMediaTypes: !http && (proxies.length || aggregators.length) ? ['*/*'] : [],
    plans: gateway.plans,
    consumers: gateway.consumers,
    gatewayResponses,
    edge: draft.edge,
    executeApiEndpoint: !draft.edge?.mtls && gateway.domain?.executeApiEndpoint !== false,
    ...(draft.clientCertificate ? { clientCertificate: draft.clientCertificate } : {}),
    authorizer: draft.authorizer,
    nativeJwtAuthorizer: http ? planNativeJwtAuthorizer(gateway, routes) : undefined,
    apiKeySource: gateway.auth?.jwt?.clientIdAsApiKey ? 'AUTHORIZER' : 'HEADER',
    observability: {
      ...gateway.observability,
      throttledAlarm: gateway.observability.alarms.enabled && gateway.stage.accessLogs.enabled,
      ...draft.observability,
    },
    estimate: {
      stackResources,
      controlPlaneCalls: draft.controlPlaneCalls,
      apiResources,
      stackBytesEstimate: estimateBytes(stackResources),
    },
  };
  return { ...plan, deploymentFingerprint: deploymentFingerprint(plan) };
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
    // Its body changed once (it embedded an unescapable validation string); undefined keeps other gateways' fingerprints.
    badRequestBody: plan.gatewayResponses.includes('BAD_REQUEST_BODY') ? BAD_REQUEST_BODY_MESSAGE : undefined,
    resourcePolicyIps: plan.edge?.resourcePolicy,
    // Turning the execute-api endpoint off (with mutual TLS) takes effect only with a new deployment.
    executeApiEndpointOff: plan.executeApiEndpoint ? undefined : true, // undefined keeps existing gateways' fingerprints unchanged
    authorizerCacheTtl: plan.authorizer?.cacheTtlSeconds,
    apiKeySource: plan.apiKeySource,
    // Binary media types apply only with a new deployment; undefined when none keeps older gateways' fingerprints.
    binaryMediaTypes: plan.binaryMediaTypes.length ? plan.binaryMediaTypes : undefined,
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
