// Rules of a gateway with `flavor: http`: features an HTTP API lacks are rejected with the field and the choices.
// The matrix behind these messages, and the README table, is lib/plan/capabilities.ts.
import type { RawIssue } from './errors';
import type { GatewaySpec } from './schema';

const SWITCH = 'switch the gateway to flavor: rest';
/** What a keyed route can use instead on an HTTP API. */
const KEYS_INSTEAD = `HTTP APIs have no usage plans or API keys: ${SWITCH}, or use a per-consumer rateLimit on the route (by: consumer, served by the proxy)`;

export function checkHttpRules(gateway: GatewaySpec, at: readonly (string | number)[]): RawIssue[] {
  if (gateway.flavor !== 'http') return [];
  const issues: RawIssue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path: [...at, ...path], message });

  if (gateway.endpoint.type !== 'REGIONAL') {
    add(
      ['endpoint', 'type'],
      gateway.endpoint.type === 'EDGE'
        ? `HTTP APIs are REGIONAL only: ${SWITCH} for an EDGE endpoint, or leave endpoint.type out (REGIONAL)`
        : `HTTP APIs cannot be PRIVATE (they have no resource policy to admit VPC endpoints only): ${SWITCH}`,
    );
  }
  if (Object.keys(gateway.plans).length) add(['plans'], KEYS_INSTEAD);
  if (Object.keys(gateway.consumers).length) add(['consumers'], KEYS_INSTEAD);

  gateway.routes.forEach((route, index) => {
    if (route.apiKey) add(['routes', index, 'apiKey'], KEYS_INSTEAD);
    if (route.rateLimit?.by === 'apiKey')
      add(
        ['routes', index, 'rateLimit', 'by'],
        `HTTP APIs have no API keys to count by: use by: consumer, ip or header:<Name>, or ${SWITCH}`,
      );
  });

  const edge = gateway.edge;
  // WAF on an HTTP API runs at CloudFront (see cloudfrontOf in edge-rules.ts); turning CloudFront off leaves it nowhere to run.
  if (edge?.waf && edge.cloudfront?.enabled === false) {
    add(
      ['edge', 'cloudfront', 'enabled'],
      `HTTP APIs take no web ACL, so edge.waf runs at CloudFront in front of the API: remove cloudfront.enabled: false, drop waf, or ${SWITCH} (WAF on the stage)`,
    );
  }
  if (edge?.resourcePolicy)
    add(
      ['edge', 'resourcePolicy'],
      `HTTP APIs have no resource policy: use edge.waf.ipAllow / ipDeny (WAF checks them at CloudFront against the viewer's address), or ${SWITCH}`,
    );

  // Roles, several issuers and custom claim rules are served by the Gatehouse Lambda authorizer (see lib/plan/http.ts).
  if (gateway.auth?.jwt?.clientIdAsApiKey) add(['auth', 'jwt', 'clientIdAsApiKey'], KEYS_INSTEAD);
  return issues;
}
