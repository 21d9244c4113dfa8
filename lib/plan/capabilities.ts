// The capability matrix of the two API flavors: what each supports, and what Gatehouse does about every HTTP API gap.
// The README's "REST vs HTTP API" table is rendered from it (npm run docs:capabilities); a test keeps them equal.

/** How Gatehouse handles a feature on an HTTP API. */
export type HttpHandling =
  /** The HTTP API does it natively. */
  | 'native'
  /** Gatehouse serves it another way (the proxy Lambda, CloudFront, the Lambda authorizer). */
  | 'routed-around'
  /** The config is rejected with a message naming the field and the choices. */
  | 'rejected'
  /** Accepted with a plan warning; the setting has no effect on an HTTP API. */
  | 'ignored-with-warning';

export interface Capability {
  /** Stable id, used by the planner's rejection messages. */
  readonly id: string;
  readonly feature: string;
  /** What a REST API (`flavor: rest`) gives. */
  readonly rest: string;
  readonly http: HttpHandling;
  /** What an HTTP API (`flavor: http`) gives, or what Gatehouse does instead. */
  readonly httpDetail: string;
}

export const CAPABILITIES: readonly Capability[] = [
  {
    id: 'routes',
    feature: 'prefix routes, stripPath, timeouts',
    rest: 'yes',
    http: 'native',
    httpDetail:
      "yes: `ANY /path` and `ANY /path/{proxy+}` (or the listed methods; with CORS, ANY becomes every verb but OPTIONS) with HTTP_PROXY integrations, all in the API's OpenAPI body; timeouts up to 29 s",
  },
  {
    id: 'path-templates',
    feature: 'path templates (`{id}`, `{rest+}`), `match: exact`, per-method services',
    rest: 'yes: `{id}` resources with required string path parameters, mapped into HTTP_PROXY URIs (`integration.request.path.id`); one method per service on a shared path; the JWT policy stays exact (or its cache goes off, with a warning, where no single policy can be)',
    http: 'native',
    httpDetail:
      'yes: route keys such as `GET /users/{id}` and `ANY /files/{rest+}`, HTTP_PROXY URIs naming `{id}`; the Lambda authorizer answers per route key; path parameters reach proxied routes in the event',
  },
  {
    id: 'jwt',
    feature: 'JWT auth with scopes and roles, identity headers',
    rest: 'yes (Lambda authorizer)',
    http: 'native',
    httpDetail:
      'yes: the native JWT authorizer (one issuer, audiences, scopes as route authorization scopes) when that is enough; with roles, several issuers (and so route issuer lists), custom claim rules or a baked JWKS, or behind CloudFront (where it also checks the origin-verify header), the Gatehouse Lambda authorizer with simple responses (payload 2.0, cached per token and route key); issuer `grants` are refused on the native one, which passes the scope claim unfiltered (remove them, or flavor: rest); identity headers by parameter mapping',
  },
  {
    id: 'proxy',
    feature: 'resilient proxy, exact rate limits, BFF aggregates',
    rest: 'yes (Lambda proxy, payload 1.0)',
    http: 'native',
    httpDetail: 'yes (Lambda proxy, payload 2.0), one invoke permission per function per API',
  },
  {
    id: 'lambda-services',
    feature: 'Lambda function services (`services.<name>.lambda`)',
    rest: 'yes: direct AWS_PROXY, payload 1.0 only (`payload: "2.0"` on a REST-only service is an error), one invoke permission per function per API',
    http: 'native',
    httpDetail:
      'yes: direct AWS_PROXY, payload 2.0 by default or 1.0 (`payload`), one invoke permission per function per API; through the proxy or an aggregate, the Lambda invokes the function with the same payload',
  },
  {
    id: 'observability',
    feature:
      'dashboard, alarms (API, breakers, degradation, retries, rate limits, errors, JWKS, functions, WAF, CloudFront), saved queries',
    rest: 'yes (API metrics by ApiName `<stack>-<gateway>` and Stage)',
    http: 'native',
    httpDetail: 'yes (v2 metrics: `5xx`, `4xx`, `Count`, `Latency` by ApiId and Stage)',
  },
  {
    id: 'usage-plans',
    feature: 'usage plans, API keys, quotas',
    rest: 'yes',
    http: 'rejected',
    httpDetail: 'rejected: switch the gateway to `flavor: rest`, or use a per-consumer `rateLimit` (served by the proxy)',
  },
  {
    id: 'throttles',
    feature: 'stage and per-route throttles',
    rest: 'yes',
    http: 'native',
    httpDetail: 'yes (stage default route settings and per-route `RouteSettings`)',
  },
  {
    id: 'cors',
    feature: 'CORS (preflight, gateway errors)',
    rest: 'yes (upstreams add headers to their responses)',
    http: 'native',
    httpDetail:
      'yes, natively (`x-amazon-apigateway-cors`): the API answers preflights, since no route matches OPTIONS unless the route lists it, and adds the headers to every response, upstream ones included',
  },
  {
    id: 'access-logs',
    feature: 'access logs',
    rest: 'yes',
    http: 'native',
    httpDetail: 'yes (JSON, the same fields where v2 has them)',
  },
  {
    id: 'execution-logs',
    feature: 'execution logs, X-Ray on the API',
    rest: 'yes',
    http: 'ignored-with-warning',
    httpDetail:
      'HTTP APIs have neither: an explicit `stage.executionLogs` other than `OFF` is ignored with a warning; `stage.tracing` traces the Lambdas only',
  },
  {
    id: 'endpoint',
    feature: 'endpoint types',
    rest: 'REGIONAL, EDGE, PRIVATE',
    http: 'rejected',
    httpDetail: 'REGIONAL only: EDGE and PRIVATE are rejected (use `flavor: rest`)',
  },
  {
    id: 'waf',
    feature: 'WAF, CloudFront with origin-verify, route caching',
    rest: 'yes (WAF on the stage, or at CloudFront with an origin-verify rule on the stage)',
    http: 'routed-around',
    httpDetail:
      "yes, at CloudFront: HTTP APIs take no web ACL, so `edge.waf` puts CloudFront in front (with a warning when `edge.cloudfront` is not written) and runs the WAF there; the origin-verify header is checked by Lambda authorizers (the JWT routes' own, a cached one on the others), so the execute-api URL cannot bypass it; route `cache` in CloudFront as on REST",
  },
  {
    id: 'resource-policy',
    feature: 'resource-policy IP rules',
    rest: 'yes',
    http: 'rejected',
    httpDetail: 'rejected: HTTP APIs have no resource policy; use `edge.waf.ipAllow` / `ipDeny` (WAF at CloudFront), or `flavor: rest`',
  },
  {
    id: 'mtls',
    feature: 'mutual TLS',
    rest: 'yes (regional custom domain, execute-api endpoint off)',
    http: 'native',
    httpDetail: 'yes (a v2 regional custom domain with the truststore, execute-api endpoint off)',
  },
  {
    id: 'validation',
    feature: 'request validation',
    rest: 'yes',
    http: 'routed-around',
    httpDetail: "yes: in the proxy Lambda (ajv), the route goes through its service's proxy",
  },
  {
    id: 'private-services',
    feature: 'private services through VPC links (`services.<name>.private`)',
    rest: 'NLB only (`private.nlb`, an AWS::ApiGateway::VpcLink); a listener or Cloud Map service is rejected',
    http: 'native',
    httpDetail:
      'ALB or NLB listener (`private.listener`) or Cloud Map service (`private.cloudMap`), through an AWS::ApiGatewayV2::VpcLink in `private.subnets`; an NLB named only by `private.nlb` is rejected (add its listener)',
  },
  {
    id: 'pricing',
    feature: 'price per million requests (first tier)',
    rest: '$3.50',
    http: 'native',
    httpDetail: '$1.00 (see `gatehouse explain` for the whole estimate)',
  },
];

export function capability(id: string): Capability {
  const found = CAPABILITIES.find((c) => c.id === id);
  if (!found) throw new TypeError(`no capability "${id}"`);
  return found;
}

export const CAPABILITY_TABLE_START = '<!-- capabilities:start (generated by npm run docs:capabilities from lib/plan/capabilities.ts) -->';
export const CAPABILITY_TABLE_END = '<!-- capabilities:end -->';

/** The README table, between its markers. */
export function renderCapabilityTable(): string {
  const rows = CAPABILITIES.map((c) => `| ${c.feature} | ${c.rest} | ${c.httpDetail} |`);
  return [
    CAPABILITY_TABLE_START,
    '| feature | REST (`flavor: rest`) | HTTP (`flavor: http`) |',
    '|---|---|---|',
    ...rows,
    CAPABILITY_TABLE_END,
  ].join('\n');
}

/** Replaces the table between the markers of a README text; throws when the markers are missing. */
export function withCapabilityTable(readme: string): string {
  const start = readme.indexOf(CAPABILITY_TABLE_START);
  const end = readme.indexOf(CAPABILITY_TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has no capability table markers');
  return readme.slice(0, start) + renderCapabilityTable() + readme.slice(end + CAPABILITY_TABLE_END.length);
}
