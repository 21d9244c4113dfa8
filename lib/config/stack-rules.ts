// Checks of the stack the repo ships (bin/app.ts): what its synth would refuse for a valid config, run by `gatehouse validate` too.
import type { RawIssue } from './errors';
import type { GatehouseSpec } from './schema';

/**
 * GatehouseStack takes its region from account.region alone (the app gives no env), and CloudFront's web ACL
 * is created in a us-east-1 stack that needs the main stack's region at synth; without it synth fails.
 */
export function shippedStackIssues(spec: GatehouseSpec): RawIssue[] {
  if (spec.account.region) return [];
  return Object.entries(spec.gateways)
    .filter(([, g]) => g.edge?.cloudfront)
    .map(([name]) => ({
      path: ['gateways', name, 'edge', 'cloudfront'],
      message:
        "CloudFront needs the stack's region at synth (its web ACL lives in a us-east-1 stack): set account.region, e.g. account: { region: eu-west-1 }",
    }));
}
