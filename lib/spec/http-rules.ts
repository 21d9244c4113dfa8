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
    if (route.rateLimit?.by === 'apiKey') add(['routes', index, 'rateLimit', 'by'], `HTTP APIs have no API keys to count by: use by: consumer, ip or header:<Name>, or ${SWITCH}`);
    if (route.cache) add(['routes', index, 'cache'], `route caching needs CloudFront in front of the API, which Gatehouse does not render for HTTP APIs yet: ${SWITCH}, or drop cache`);
  });

  const edge = gateway.edge;
  if (edge?.waf) add(['edge', 'waf'], `HTTP APIs cannot be associated with a WAF web ACL, and WAF through CloudFront needs an origin-verify check on the stage that Gatehouse does not render for HTTP APIs yet: ${SWITCH}`);
  if (edge?.cloudfront?.enabled) add(['edge', 'cloudfront'], `CloudFront in front of an HTTP API is not rendered yet: the execute-api URL could bypass it (the origin-verify rule needs a web ACL on the stage, which HTTP APIs lack): ${SWITCH}`);
  if (edge?.resourcePolicy) add(['edge', 'resourcePolicy'], `HTTP APIs have no resource policy: ${SWITCH}, or restrict sources in the upstream`);
  if (edge?.mtls) add(['edge', 'mtls'], `mutual TLS is not rendered for HTTP APIs yet: ${SWITCH}`);

  // Roles, several issuers and custom claim rules are served by the Gatehouse Lambda authorizer (see lib/plan/http.ts).
  if (gateway.auth?.jwt?.clientIdAsApiKey) add(['auth', 'jwt', 'clientIdAsApiKey'], KEYS_INSTEAD);
  return issues;
}
