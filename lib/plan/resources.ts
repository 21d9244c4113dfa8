// Resource accounting: how many CloudFormation resources a gateway costs, and how many API Gateway calls its first deploy makes.
import type { GatewaySpec } from '../config/schema';
import type { GatewayResponseType, RoutePlan, StateTableUses } from './types';

/** Rough bytes of one resource in the synthesized JSON; the synth summary reports the measured size. */
const BYTES_PER_RESOURCE = 650;
const BYTES_PER_STACK = 3_000;

/** An HTTP API's JWT Lambda authorizer: Function, Role, its policy (X-Ray), LogGroup, Authorizer, one Lambda permission. */
export const AUTHORIZER_RESOURCES = 6;

/** Dashboard; 5xx, p99 and anomaly alarms; the 429 alarm and its metric filter when access logs are on. */
export function observabilityResources(gateway: GatewaySpec): number {
  const { dashboard, alarms } = gateway.observability;
  const throttled = alarms.enabled && gateway.stage.accessLogs.enabled ? 2 : 0;
  return (dashboard ? 1 : 0) + (alarms.enabled ? 3 + throttled : 0);
}

/** Key expiry: Function, Role, its policy, LogGroup, schedule Rule, the Rule's Lambda permission, 2 alarms. */
export const KEY_EXPIRY_RESOURCES = 8;

/** Whether a function needs the state table at all. */
export function usesStateTable(uses: StateTableUses): boolean {
  return uses.breaker || uses.rateLimit;
}

/**
 * A service's resilient proxy on one gateway: Function, Role, LogGroup, one Lambda permission, and
 * the role's policy when it grants anything (X-Ray with stage tracing, the state table with a shared breaker,
 * invoking a Lambda service).
 */
export function proxyResources(fn: { readonly stateUses: StateTableUses; readonly invokes?: readonly string[] }, tracing: boolean): number {
  return 4 + (tracing || usesStateTable(fn.stateUses) || (fn.invokes?.length ?? 0) > 0 ? 1 : 0);
}

/** The functions of Lambda services a gateway's routes invoke directly: each costs one AWS::Lambda::Permission per API, whatever its routes and methods. */
export function directLambdaFunctions(routes: readonly RoutePlan[]): string[] {
  return [...new Set(routes.flatMap((r) => (r.integration.kind === 'lambda-function' ? [r.integration.function] : [])))];
}

/** The DynamoDB table of state shared across Lambda instances, once per stack. */
export const STATE_TABLE_RESOURCES = 1;

/** The shared alarm topic and its TLS-only policy, once per stack. */
export const ALARM_TOPIC_RESOURCES = 2;

/** Resources every stack, nested ones included, has regardless of routes (CDKMetadata, added by the CDK CLI). */
export const STACK_OVERHEAD = 1;

/** Whether the gateway needs the JWT authorizer. */
export function hasJwtRoutes(routes: readonly RoutePlan[]): boolean {
  return routes.some((r) => r.features.auth === 'jwt');
}

/**
 * The body of a REST API's 400 for a request body that fails its route's JSON Schema (the BAD_REQUEST_BODY
 * gateway response). A deployment snapshots it, so it is part of the deployment fingerprint.
 */
export const BAD_REQUEST_BODY_MESSAGE = "Invalid request body: it does not match this route's JSON Schema";

/** The gateway responses a gateway overrides; they are part of the API definition, so of what a deployment snapshots. */
export function gatewayResponseTypes(gateway: GatewaySpec, routes: readonly RoutePlan[]): GatewayResponseType[] {
  const authorizer = hasJwtRoutes(routes);
  const types: GatewayResponseType[] = gateway.cors ? ['DEFAULT_4XX', 'DEFAULT_5XX'] : [];
  if (authorizer) types.push('UNAUTHORIZED');
  // Resource-policy and authorizer denials would otherwise answer with a body naming the API's ARN.
  if (
    authorizer ||
    gateway.endpoint.type === 'PRIVATE' ||
    Boolean(gateway.edge?.resourcePolicy?.ipAllow || gateway.edge?.resourcePolicy?.ipDeny)
  )
    types.push('ACCESS_DENIED');
  // Validation failures answer with what is wrong (and CORS headers, so a browser can read it).
  if (routes.some((r) => r.features.validation)) types.push('BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS');
  return types;
}

/**
 * A REST gateway's resources: RestApi (its routes, methods, integrations, authorizer, validators, models and
 * gateway responses are all in its definition), Deployment, Stage, access-log group, the authorizer's function,
 * observability, plans, keys and their attachments. None of it depends on the number of routes.
 */
export function restGatewayResources(gateway: GatewaySpec, routes: readonly RoutePlan[]): number {
  const consumers = Object.values(gateway.consumers);
  return (
    3 + // RestApi, Deployment, Stage
    (gateway.stage.accessLogs.enabled ? 1 : 0) +
    (hasJwtRoutes(routes) ? REST_AUTHORIZER_RESOURCES : 0) +
    observabilityResources(gateway) +
    Object.keys(gateway.plans).length +
    consumers.length + // ApiKey
    consumers.reduce((sum, c) => sum + c.plans.length, 0) // UsagePlanKey
  );
}

/** The REST JWT authorizer: Function, Role, its policy (X-Ray), LogGroup, one Lambda permission; the authorizer itself is in the definition. */
export const REST_AUTHORIZER_RESOURCES = 5;

/**
 * API Gateway calls CloudFormation makes at a first deploy of a REST gateway: about two per API Gateway resource
 * (create, then read back), plus the import of the definition. Routes add none: the import is one call whatever
 * the document's size.
 */
export function restControlPlaneCalls(gateway: GatewaySpec): number {
  const consumers = Object.values(gateway.consumers);
  const apiGatewayResources =
    3 + Object.keys(gateway.plans).length + consumers.length + consumers.reduce((sum, c) => sum + c.plans.length, 0);
  return 2 * apiGatewayResources + 1;
}

export function estimateBytes(resources: number): number {
  return BYTES_PER_STACK + resources * BYTES_PER_RESOURCE;
}
