// Cross-field rules of private services (the schema checks each ARN's shape): one upstream per link, ARNs in the stack's region.
import type { RawIssue } from './errors';
import { parseArn } from './private-schema';
import type { GatehouseSpec } from './schema';

export function checkPrivateServices(spec: GatehouseSpec): RawIssue[] {
  const issues: RawIssue[] = [];
  for (const [name, service] of Object.entries(spec.services)) {
    const p = service.private;
    if (!p) continue;
    const at = ['services', name];
    if (service.targets) {
      issues.push({
        path: [...at, 'targets'],
        message: 'a private service is one upstream behind its VPC link: give url (the Host and path it expects), not targets',
      });
    }
    // A VPC link reaches load balancers and Cloud Map services of its own region only.
    const region = spec.account.region;
    for (const field of ['nlb', 'listener', 'cloudMap'] as const) {
      const arnRegion = p[field] && parseArn(p[field])?.region;
      if (region && arnRegion && arnRegion !== region) {
        issues.push({
          path: [...at, 'private', field],
          message: `this ARN is in ${arnRegion}, but the stack deploys to ${region} (account.region): a VPC link reaches targets of its own region only`,
        });
      }
    }
  }
  return issues;
}
