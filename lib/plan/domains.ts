// Custom domains: the gateways' `domain` entries grouped by name, one domain resource each and one API mapping per gateway.
import type { GatehouseSpec } from '../config/schema';

export interface DomainMappingPlan {
  readonly gateway: string;
  /** Path under the domain; undefined maps the domain's root. */
  readonly basePath?: string;
  /** `https://<name>/<basePath>/`: where clients call the gateway. */
  readonly url: string;
}

export interface DomainPlan {
  readonly name: string;
  readonly certificateArn: string;
  readonly mappings: readonly DomainMappingPlan[];
  readonly reason: string;
}

/** A domain is one AWS::ApiGatewayV2::DomainName, which REST and HTTP API stages map to alike. */
export const DOMAIN_RESOURCES = 1;
export const DOMAIN_MAPPING_RESOURCES = 1;

export function planDomains(spec: GatehouseSpec): DomainPlan[] {
  const byName = new Map<string, { certificateArn: string; mappings: DomainMappingPlan[] }>();
  for (const [gateway, g] of Object.entries(spec.gateways)) {
    if (!g.domain) continue;
    const { name, certificateArn, basePath } = g.domain;
    const entry = byName.get(name) ?? { certificateArn, mappings: [] };
    entry.mappings.push({ gateway, basePath, url: `https://${name}/${basePath ? `${basePath}/` : ''}` });
    byName.set(name, entry);
  }
  return [...byName].map(([name, { certificateArn, mappings }]) => ({
    name,
    certificateArn,
    mappings,
    reason:
      'a regional custom domain (TLS 1.2) with an API mapping per gateway; API Gateway strips the base path before routing. ' +
      'Point the name at the RegionalDomainName output (a CNAME, or a Route 53 alias with the RegionalHostedZoneId output)',
  }));
}

export function domainResources(domains: readonly DomainPlan[]): number {
  return domains.reduce((n, d) => n + DOMAIN_RESOURCES + d.mappings.length * DOMAIN_MAPPING_RESOURCES, 0);
}
