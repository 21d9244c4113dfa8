// The REST API's resource policy size: API Gateway caps it at 8,192 characters ("Length, in characters, of API Gateway resource policy").
import type { GatewaySpec } from '../config/schema';

/** Characters kept free in the policy for the fixed statements (allow-all, and a PRIVATE API's VPC endpoint rule). */
export const POLICY_BASE_CHARS = 900;

/** Characters the resource policy's source-IP statements take (edge.resourcePolicy): each range plus quotes and comma, and the statement around them. */
export function ipConditionChars(gateway: GatewaySpec): number {
  const p = gateway.edge?.resourcePolicy;
  const lists = [p?.ipAllow, p?.ipDeny].filter((l): l is string[] => Boolean(l?.length));
  return lists.reduce((n, l) => n + 200 + l.reduce((m, c) => m + c.length + 3, 0), 0);
}
