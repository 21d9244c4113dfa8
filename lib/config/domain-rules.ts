// Rules of gateways' custom domains: where a regional domain can serve, and how gateways share one.
import { cloudfrontOf } from './edge-rules';
import type { RawIssue } from './errors';
import type { GatehouseSpec, GatewaySpec } from './schema';

/** The gateway's own conflicts: its endpoint type and the other ways its edge section names a domain. */
export function checkDomainRules(gateway: GatewaySpec, at: readonly (string | number)[]): RawIssue[] {
  if (!gateway.domain) return [];
  const issues: RawIssue[] = [];
  const add = (message: string) => issues.push({ path: [...at, 'domain'], message });
  if (gateway.endpoint.type === 'EDGE') {
    add(
      'domain is a regional custom domain: use endpoint.type REGIONAL (edge-optimized domains are not rendered), or serve the name from CloudFront with edge.cloudfront.domain',
    );
  } else if (gateway.endpoint.type === 'PRIVATE') {
    add(
      'a PRIVATE API is reached through VPC endpoints, and private custom domain names are not rendered: remove domain, or use a REGIONAL endpoint',
    );
  }
  if (cloudfrontOf(gateway)) {
    add(
      'behind CloudFront, clients use edge.cloudfront.domain: calls on a regional domain would skip CloudFront and be refused by the origin-verify check; move the name to edge.cloudfront.domain',
    );
  }
  if (gateway.edge?.mtls)
    add("edge.mtls.domain is already this gateway's custom domain (it checks client certificates): remove domain, or drop mtls");
  return issues;
}

/** Across gateways: one certificate per shared domain, one gateway per base path, and the certificate's region. */
export function checkSpecDomains(spec: GatehouseSpec): RawIssue[] {
  const issues: RawIssue[] = [];
  const seen = new Map<string, { gateway: string; certificateArn: string; basePaths: Map<string, string> }>();
  const otherNames = new Map<string, string>();
  for (const [name, gateway] of Object.entries(spec.gateways)) {
    const cf = cloudfrontOf(gateway)?.domain;
    if (cf) otherNames.set(cf, `the CloudFront domain of gateway ${name}`);
    if (gateway.edge?.mtls) otherNames.set(gateway.edge.mtls.domain, `the mutual-TLS domain of gateway ${name}`);
  }
  for (const [name, gateway] of Object.entries(spec.gateways)) {
    const domain = gateway.domain;
    if (!domain) continue;
    const at = ['gateways', name, 'domain'];
    const certRegion = domain.certificateArn.split(':')[3];
    if (spec.account.region && certRegion !== spec.account.region) {
      issues.push({
        path: [...at, 'certificateArn'],
        message: `a regional custom domain uses an ACM certificate from the API's region (${spec.account.region}), this one is from ${certRegion}: request or import the certificate there`,
      });
    }
    const other = otherNames.get(domain.name);
    if (other) issues.push({ path: [...at, 'name'], message: `${domain.name} is also ${other}; a name can point at one of them only` });
    const shared = seen.get(domain.name);
    const basePath = domain.basePath ?? '';
    if (!shared) {
      seen.set(domain.name, { gateway: name, certificateArn: domain.certificateArn, basePaths: new Map([[basePath, name]]) });
      continue;
    }
    if (shared.certificateArn !== domain.certificateArn) {
      issues.push({
        path: [...at, 'certificateArn'],
        message: `gateway ${shared.gateway} serves ${domain.name} with another certificate: gateways sharing a domain name give the same certificateArn`,
      });
    }
    const taken = shared.basePaths.get(basePath);
    if (taken) {
      issues.push({
        path: [...at, 'basePath'],
        message: `gateway ${taken} already answers at https://${domain.name}/${basePath}: gateways sharing a domain name each take their own basePath (at most one none)`,
      });
    } else shared.basePaths.set(basePath, name);
  }
  return issues;
}
