// The edge part of `gatehouse explain`: web ACLs with their capacity, CloudFront, resource-policy IPs, validated routes.
import { relative } from 'node:path';
import { WAF_WCU_BASE_PRICE, WAF_WCU_MAX } from '../config/edge-limits';
import type { WebAclPlan } from './edge-types';
import type { GatewayPlan } from './types';

export function explainEdge(g: GatewayPlan): string[] {
  const lines: string[] = [];
  for (const r of g.routes) {
    const v = r.features.validation;
    if (!v) continue;
    const parts = [
      v.body ? `body ${relative(process.cwd(), v.body.file)} on POST/PUT/PATCH` : '',
      v.query.length ? `query ${v.query.join(',')}` : '',
      v.headers.length ? `headers ${v.headers.join(',')}` : '',
    ].filter(Boolean);
    lines.push(
      `  Validation ${r.path}: ${parts.join('; ')}; invalid requests get a 400 saying what is wrong`,
      `    ${r.path} methods: ${r.methodsReason}`,
    );
  }
  const edge = g.edge;
  if (!edge) return lines;
  const cf = edge.cloudfront;
  if (cf) {
    lines.push(
      `  CloudFront: ${cf.domain ?? 'cloudfront.net name'}, ${cf.priceClass}, HTTPS only (TLS 1.2+), HTTP/2 and 3, security headers; origin timeout ${cf.originReadTimeoutSeconds} s; ` +
        `no caching except ${cf.cacheBehaviors.length ? cf.cacheBehaviors.map((b) => `${b.pathPatterns[0]} ${b.ttlSeconds} s (key: ${[...b.keyHeaders, ...b.keyQuery.map((q) => `?${q}`)].join(',') || 'path'})`).join('; ') : 'nothing'}` +
        `${cf.accessLogs ? '; access logs to S3' : ''}` +
        `${cf.viewerIpHeader ? `; a CloudFront Function puts the viewer's IP in ${cf.viewerIpHeader}, which rate limits count (API Gateway sees CloudFront's)` : ''}`,
    );
    if (cf.webAcl) lines.push(...explainAcl(cf.webAcl));
    // On REST the regional web ACL below says it; an HTTP API's authorizers do the check instead.
    if (cf.originVerify.enforcedBy === 'lambda-authorizers') lines.push(`  Origin verify: ${cf.originVerify.reason}`);
  }
  if (edge.regionalWebAcl) lines.push(...explainAcl(edge.regionalWebAcl));
  if (edge.mtls) {
    lines.push(
      `  Mutual TLS: clients of https://${edge.mtls.domain} present a certificate signed by a CA in ${edge.mtls.truststoreUri}; the execute-api endpoint is off so it cannot be skipped`,
    );
  }
  const ips = edge.resourcePolicy;
  if (ips.ipAllow.length || ips.ipDeny.length) {
    lines.push(
      `  Resource policy: ${ips.ipAllow.length ? `only ${ips.ipAllow.join(', ')}` : ''}${ips.ipAllow.length && ips.ipDeny.length ? '; ' : ''}${ips.ipDeny.length ? `never ${ips.ipDeny.join(', ')}` : ''}`,
    );
  }
  return lines;
}

function explainAcl(acl: WebAclPlan): string[] {
  const cost = acl.capacity > WAF_WCU_BASE_PRICE ? ` (above the ${WAF_WCU_BASE_PRICE} WCUs of the base price)` : '';
  return [
    `  WAF ${acl.scope}: ${acl.reason}; ${acl.capacity} of ${WAF_WCU_MAX} WCUs${cost}${acl.logs ? `, logs kept ${acl.logs.retentionDays} d` : ''}`,
    `    rules: ${acl.rules.map((r) => `${r.name} (${r.wcu})`).join(', ')}`,
  ];
}
