// The us-east-1 stack CloudFront web ACLs live in, created next to the Gatehouse's own stack, and the region check it needs.
import { Stack, Stage, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ConfigError } from '../../config/errors';
import { acknowledgeCrossRegionReferences } from './cross-region-references';

/** CLOUDFRONT-scope WAF resources can only be created in us-east-1. */
export const CLOUDFRONT_WAF_REGION = 'us-east-1';

/**
 * CloudFront's web ACL is created in us-east-1 and its ARN crosses to the gateway's region through CDK's
 * cross-region references, which need both regions written in the templates: an environment-agnostic stack
 * cannot have CloudFront. `specRegion` is account.region, which GatehouseStack also uses as its region.
 */
export function checkEdgeRegion(scope: Construct, specRegion: string | undefined): void {
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region)) {
    throw new ConfigError([
      {
        path: ['account', 'region'],
        where: 'account.region',
        message:
          "CloudFront needs the stack's region to be known at synth (its web ACL lives in a us-east-1 stack): set account.region, or give the stack an env with a region",
      },
    ]);
  }
  if (specRegion && specRegion !== region) {
    throw new ConfigError([
      {
        path: ['account', 'region'],
        where: 'account.region',
        message: `account.region is ${specRegion} but the stack is in ${region}; make them match`,
      },
    ]);
  }
}

/** The stack holding CLOUDFRONT-scope web ACLs (`<stack>-edge-<region>`): a sibling of `scope`'s stack, in us-east-1, deployed before it. */
export function createEdgeStack(scope: Construct): Stack {
  const home = Stack.of(scope);
  const parent = Stage.of(home) ?? home.node.root;
  const edge = new Stack(parent, `${home.node.id}Edge`, {
    // Every home region has its own edge stack in us-east-1: the same stack deployed in two regions of one account
    // must not fight over one stack name there.
    stackName: `${home.stackName}-edge-${home.region}`,
    env: { account: Token.isUnresolved(home.account) ? undefined : home.account, region: CLOUDFRONT_WAF_REGION },
    crossRegionReferences: true,
    description: `Gatehouse CloudFront web ACLs of ${home.stackName} (CLOUDFRONT-scope WAF lives in ${CLOUDFRONT_WAF_REGION})`,
  });
  home.addStackDependency(edge, 'the distribution uses the CloudFront web ACL created in us-east-1');
  acknowledgeCrossRegionReferences(edge, home);
  return edge;
}
