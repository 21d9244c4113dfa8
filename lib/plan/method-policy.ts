// Method collapsing: a route's method list enforced by the API's resource policy, so it needs one ANY method per resource.
//
// A REST API costs one AWS::ApiGateway::Method per verb per resource; a prefix route listing
// GET/POST/PUT costs 6. With one ANY method per resource and a resource-policy Deny on the verbs the
// route does not list, the same route costs 2, and unlisted verbs still get a 403 as they would
// without a method. The policy is capped at 8,192 characters (API Gateway quota "Length, in
// characters, of API Gateway resource policy"), so routes are collapsed while they fit and keep
// per-verb methods after that; the plan records which and why.
import { HTTP_METHODS, type HttpMethod, type GatewaySpec } from '../spec/schema';
import type { RoutePlan } from './types';

/** Characters kept free in the policy for the fixed statements (allow-all, and a PRIVATE API's VPC endpoint rule). */
export const POLICY_BASE_CHARS = 900;

/** Resource-policy resource strings denying `method` on a route's path and everything below it. */
export function denyResources(stage: string, method: HttpMethod, path: string): string[] {
  return [`execute-api:/${stage}/${method}${path}`, `execute-api:/${stage}/${method}${path}/*`];
}

export interface CollapsedRoutes {
  readonly routes: RoutePlan[];
  /** Every Deny resource of the API's resource policy, in route order. */
  readonly denied: string[];
}

export function collapseMethods(routes: readonly RoutePlan[], gateway: GatewaySpec, policyChars: number): CollapsedRoutes {
  const denied: string[] = [];
  let used = POLICY_BASE_CHARS + ipConditionChars(gateway);
  const pinned = pinnedByPlanThrottles(gateway);
  const collapsed = routes.map((route): RoutePlan => {
    const listed = route.methods.filter((m): m is HttpMethod => m !== 'ANY');
    const keep = (why: string): RoutePlan => ({ ...route, methodsReason: why });
    if (listed.length < 2) return keep(listed.length ? 'one method: nothing to save' : 'ANY: every method is forwarded');
    if (routes.some((other) => other !== route && other.path.startsWith(route.path === '/' ? '/' : `${route.path}/`))) {
      return keep('one method per verb: a policy Deny on this prefix would also cover the routes below it');
    }
    // An ANY method would clash with the other route's (or aggregate's) methods on the same resource.
    if (routes.some((other) => other !== route && other.path === route.path)) {
      return keep('one method per verb: another route or aggregate has methods on the same path');
    }
    if (pinned.has(route.path)) return keep('one method per verb: a usage plan throttles single methods of this route');
    if (route.features.validation) return keep('one method per verb: request validation (validator, model, required parameters) is set per method');
    const deny = HTTP_METHODS.filter((m) => !listed.includes(m) && !(m === 'OPTIONS' && route.features.cors));
    const resources = deny.flatMap((m) => denyResources(gateway.stage.name, m, route.path));
    const cost = resources.reduce((n, r) => n + r.length + 3, 0); // quotes and comma in the JSON
    if (used + cost > policyChars) {
      return keep(`one method per verb: the resource policy is full (${policyChars} characters, account.quotas.resourcePolicyChars)`);
    }
    used += cost;
    denied.push(...resources);
    return {
      ...route,
      apiMethods: ['ANY'],
      deniedMethods: deny,
      methodsReason: `${listed.join(',')} enforced by the resource policy (Deny ${deny.join(',')}): one ANY method per resource instead of ${listed.length}`,
    };
  });
  return { routes: collapsed, denied };
}

/** Paths whose single methods a plan throttles: those need a method per verb to hang the throttle on. */
function pinnedByPlanThrottles(gateway: GatewaySpec): Set<string> {
  return new Set(
    Object.values(gateway.plans).flatMap((p) => p.routeThrottles.filter((rt) => !rt.methods.includes('ANY')).map((rt) => rt.path)),
  );
}

/** Characters the resource policy's source-IP statements take (edge.resourcePolicy): each range plus quotes and comma, and the statement around them. */
export function ipConditionChars(gateway: GatewaySpec): number {
  const p = gateway.edge?.resourcePolicy;
  const lists = [p?.ipAllow, p?.ipDeny].filter((l): l is string[] => Boolean(l?.length));
  return lists.reduce((n, l) => n + 200 + l.reduce((m, c) => m + c.length + 3, 0), 0);
}
