// What a gateway's execute-api URL output says: whether clients may use it, or must go through CloudFront or the mTLS domain.
import type { GatewayPlan } from '../plan/types';

export function apiUrlDescription(plan: GatewayPlan): string {
  if (plan.edge?.mtls)
    return `execute-api URL of gateway "${plan.name}": turned off, clients use https://${plan.edge.mtls.domain} with a certificate`;
  if (!plan.executeApiEndpoint)
    return `execute-api URL of gateway "${plan.name}": turned off (domain.executeApiEndpoint: false), clients use its custom domain`;
  if (plan.edge?.cloudfront)
    return `execute-api URL of gateway "${plan.name}": refuses calls that skip CloudFront; clients use the distribution's URL output`;
  return `Invoke URL of gateway "${plan.name}"`;
}
