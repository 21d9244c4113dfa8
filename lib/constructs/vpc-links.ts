// The stack's VPC links (REST v1 to NLBs, HTTP v2 into subnets), one per distinct target set of the plan, shared by every gateway.
import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type { Construct } from 'constructs';
import type { GatewayPlan } from '../plan/types';
import type { VpcLinkPlan } from '../plan/vpc-links';
import { pascal } from '../plan/naming';
import { invalidProps } from './validation-error';

/** A created link: its L1 resource and the id integrations name it by. */
export interface RenderedVpcLink {
  readonly resource: apigw.CfnVpcLink | apigwv2.CfnVpcLink;
  readonly id: string;
}

/**
 * One resource per link the plan creates (reused links are left alone). Construct ids come from the link's key
 * (its kind and first service), never from positions. REST: AWS::ApiGateway::VpcLink with the NLB ARNs; HTTP:
 * AWS::ApiGatewayV2::VpcLink in the subnets and security groups
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html).
 */
export function renderVpcLinks(scope: Construct, links: readonly VpcLinkPlan[]): Record<string, RenderedVpcLink> {
  const stackName = Stack.of(scope).stackName;
  const out: Record<string, RenderedVpcLink> = {};
  for (const link of links) {
    if (link.existingId !== undefined) continue;
    const id = `VpcLink${pascal(link.key)}`;
    const name = `${stackName}-${link.key}`;
    const description = `Gatehouse: ${link.services.join(', ')}`;
    const resource =
      link.version === 'v1'
        ? new apigw.CfnVpcLink(scope, id, { name, description, targetArns: [...link.targetArns] })
        : new apigwv2.CfnVpcLink(scope, id, {
            name,
            subnetIds: [...link.subnetIds],
            securityGroupIds: link.securityGroupIds.length ? [...link.securityGroupIds] : undefined,
          });
    out[link.key] = { resource, id: resource.ref };
  }
  return out;
}

/**
 * CloudFormation resolves nothing in a definition in S3, so it cannot name a VPC link created in the same stack
 * (its id is known only at deploy); a reused link's id is a literal and works anywhere.
 */
export function refuseCreatedLinksInS3(scope: Construct, plan: GatewayPlan, bytes: number): void {
  const created = [
    ...new Set(
      plan.routes.flatMap((r) =>
        r.integration.kind === 'http-proxy' && r.integration.vpcLink && !r.integration.vpcLink.connectionId
          ? [r.integration.vpcLink.link]
          : [],
      ),
    ),
  ];
  if (!created.length) return;
  throw invalidProps(
    scope,
    `gateway "${plan.name}": its definition (${Math.round(bytes / 1000)} kB) is too large to inline and goes to S3, where CloudFormation cannot fill in the id of the VPC link ${created.join(', ')} this stack creates: ` +
      'reuse an existing link (services.<name>.private.vpcLink), or spread the routes over several gateways',
  );
}
