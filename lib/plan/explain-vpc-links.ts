// The `VPC link` lines of `gatehouse explain`: each link of the stack, created or reused, what it reaches and which routes use it.
import type { Plan } from './types';

export function explainVpcLinks(plan: Plan): string[] {
  return plan.vpcLinks.map((l) => {
    const kind = l.version === 'v1' ? 'REST (AWS::ApiGateway::VpcLink)' : 'HTTP (AWS::ApiGatewayV2::VpcLink)';
    const how =
      l.existingId !== undefined
        ? `reuses existing link ${l.existingId}`
        : l.version === 'v1'
          ? `created, targets ${l.targetArns.join(', ')}`
          : `created in subnets ${l.subnetIds.join(', ')}${l.securityGroupIds.length ? ` with security groups ${l.securityGroupIds.join(', ')}` : ''}`;
    return `VPC link ${l.key}: ${kind}, ${how}; services ${l.services.join(', ')}; routes ${l.routes.join(', ')}`;
  });
}
