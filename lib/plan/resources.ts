// Resource accounting: how many CloudFormation resources a gateway costs, and how routes split into nested stacks.
import type { GatewaySpec } from '../spec/schema';
import { CFN_RESOURCES_PER_STACK, CFN_WARN_RATIO } from '../spec/limits';
import { ancestorsAndSelf, resourceTree } from './routes';
import type { GatewayResponseType, RoutePlan, StateTableUses } from './types';

/** Largest number of resources we put in one stack, leaving headroom below CloudFormation's 500. */
export const STACK_RESOURCE_BUDGET = Math.floor(CFN_RESOURCES_PER_STACK * CFN_WARN_RATIO);

/** Rough bytes of one resource in the synthesized JSON; the synth summary reports the measured size. */
const BYTES_PER_RESOURCE = 650;
const BYTES_PER_STACK = 3_000;

/** JWT authorizer: Function, Role, its policy (X-Ray), LogGroup, Authorizer, one Lambda permission. */
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
 * the role's policy when it grants anything (X-Ray with stage tracing, the state table with a shared breaker).
 */
export function proxyResources(fn: { readonly stateUses: StateTableUses }, tracing: boolean): number {
  return 4 + (tracing || usesStateTable(fn.stateUses) ? 1 : 0);
}

/** The DynamoDB table of state shared across Lambda instances, once per stack. */
export const STATE_TABLE_RESOURCES = 1;

/** The shared alarm topic and its TLS-only policy, once per stack. */
export const ALARM_TOPIC_RESOURCES = 2;

/** Resources every stack, nested ones included, has regardless of routes (CDKMetadata, added by the CDK CLI). */
export const STACK_OVERHEAD = 1;

export function methodCount(route: RoutePlan): number {
  return route.resourcePaths.length * (route.apiMethods.length + (route.features.cors ? 1 : 0));
}

/** Fixed resources of a gateway: API, deployment, stage, log group, CORS gateway responses, plans and keys. */
/** Whether the gateway needs the JWT authorizer. */
export function hasJwtRoutes(routes: readonly RoutePlan[]): boolean {
  return routes.some((r) => r.features.auth === 'jwt');
}

/**
 * The body of a REST API's 400 for a request body that fails its route's JSON Schema (the BAD_REQUEST_BODY
 * gateway response). A deployment snapshots it, so it is part of the deployment fingerprint.
 */
export const BAD_REQUEST_BODY_MESSAGE = "Invalid request body: it does not match this route's JSON Schema";

/** The gateway responses a gateway overrides; each is one resource and part of what a deployment snapshots. */
export function gatewayResponseTypes(gateway: GatewaySpec, deniesMethods: boolean, routes: readonly RoutePlan[]): GatewayResponseType[] {
  const authorizer = hasJwtRoutes(routes);
  const types: GatewayResponseType[] = gateway.cors ? ['DEFAULT_4XX', 'DEFAULT_5XX'] : [];
  if (authorizer) types.push('UNAUTHORIZED');
  // Resource-policy and authorizer denials would otherwise answer with a body naming the API's ARN.
  if (deniesMethods || authorizer || gateway.endpoint.type === 'PRIVATE' || Boolean(gateway.edge?.resourcePolicy?.ipAllow || gateway.edge?.resourcePolicy?.ipDeny)) types.push('ACCESS_DENIED');
  // Validation failures answer with what is wrong (and CORS headers, so a browser can read it).
  if (routes.some((r) => r.features.validation)) types.push('BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS');
  return types;
}

export function fixedResources(gateway: GatewaySpec, gatewayResponses: number, routes: readonly RoutePlan[]): number {
  const consumers = Object.values(gateway.consumers);
  return (
    3 + // RestApi, Deployment, Stage
    (gateway.stage.accessLogs.enabled ? 1 : 0) +
    gatewayResponses +
    (hasJwtRoutes(routes) ? AUTHORIZER_RESOURCES : 0) +
    observabilityResources(gateway) +
    Object.keys(gateway.plans).length +
    consumers.length + // ApiKey
    consumers.reduce((sum, c) => sum + c.plans.length, 0) // UsagePlanKey
  );
}

export interface Grouping {
  /** Route id → group index. */
  readonly routeGroup: ReadonlyMap<string, number>;
  /** API resource path → group index, or undefined when created in the gateway's own stack. */
  readonly resourceGroup: ReadonlyMap<string, number | undefined>;
  readonly groups: number;
}

/**
 * Packs routes, in path order so siblings share a group, into groups that each stay within the budget.
 * A path needed by more than one group is created once in the parent stack and imported by the groups.
 */
export function groupRoutes(routes: readonly RoutePlan[], budget = STACK_RESOURCE_BUDGET - STACK_OVERHEAD): Grouping {
  const ordered = [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.routeIndex - b.routeIndex);
  const routeGroup = new Map<string, number>();
  let group = 0;
  let used = 0;
  let pathsInGroup = new Set<string>();
  const costIn = (route: RoutePlan, present: ReadonlySet<string>) =>
    methodCount(route) + new Set(route.resourcePaths.flatMap(ancestorsAndSelf).filter((p) => !present.has(p))).size;
  for (const route of ordered) {
    if (used > 0 && used + costIn(route, pathsInGroup) > budget) {
      group += 1;
      used = 0;
      pathsInGroup = new Set();
    }
    used += costIn(route, pathsInGroup);
    for (const p of route.resourcePaths.flatMap(ancestorsAndSelf)) pathsInGroup.add(p);
    routeGroup.set(route.id, group);
  }
  const users = new Map<string, Set<number>>();
  for (const route of routes) {
    for (const p of route.resourcePaths.flatMap(ancestorsAndSelf)) {
      const set = users.get(p) ?? new Set<number>();
      set.add(routeGroup.get(route.id) ?? 0);
      users.set(p, set);
    }
  }
  const resourceGroup = new Map<string, number | undefined>();
  for (const path of resourceTree(routes)) {
    const owners = [...(users.get(path) ?? [])];
    resourceGroup.set(path, owners.length === 1 ? owners[0] : undefined);
  }
  return { routeGroup, resourceGroup, groups: group + 1 };
}

export function estimateBytes(resources: number): number {
  return BYTES_PER_STACK + resources * BYTES_PER_RESOURCE;
}
