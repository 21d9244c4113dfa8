// Estimated cost per million requests of a gateway in both flavors, from dated list prices; `explain` prints it.
import type { GatewayPlan } from './types';

/**
 * List prices, us-east-1, checked in 2026. Estimates only: free tiers, volume tiers past the first,
 * data transfer and CloudWatch are left out.
 */
export const PRICES_2026 = {
  /**
   * API Gateway REST APIs, first 333 million requests a month, per million; HTTP APIs, first 300 million.
   * https://aws.amazon.com/api-gateway/pricing/ and the "Cost optimization" table of
   * https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html
   */
  restApiPerMillion: 3.5,
  httpApiPerMillion: 1.0,
  /**
   * Lambda: $0.20 per million invocations, $0.0000133334 per GB-second on arm64 (first 7.5 billion GB-s).
   * https://aws.amazon.com/lambda/pricing/ ; the figures as quoted by https://cloudchipr.com/blog/aws-lambda-pricing
   */
  lambdaPerMillionInvocations: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  /**
   * AWS WAF: $0.60 per million requests inspected, $5 per web ACL and $1 per rule (a managed group counts as one) a month.
   * https://aws.amazon.com/waf/pricing/ ; https://aws.amazon.com/blogs/networking-and-content-delivery/cost-effective-ways-for-securing-your-web-applications-using-aws-waf/
   */
  wafPerMillionRequests: 0.6,
  wafPerWebAclMonth: 5,
  wafPerRuleMonth: 1,
  /**
   * CloudFront HTTPS requests, United States and Europe: $0.0100 per 10,000. https://aws.amazon.com/cloudfront/pricing/ ;
   * the figure as quoted by https://kindatechnical.com/aws-certification-associate-developer/lesson-87-cloudfront-pricing.html
   */
  cloudfrontPerMillionHttpsRequests: 1.0,
  /**
   * CloudFront Functions: $0.10 per million invocations (the viewer-IP function). https://aws.amazon.com/cloudfront/pricing/ ;
   * the billing code's description at https://cur.vantage.sh/aws/amazoncloudfront/
   */
  cloudfrontFunctionPerMillion: 0.1,
} as const;

/** Share of requests answered from API Gateway's authorizer cache when it is on (a token reused for several calls). */
export const ASSUMED_AUTHORIZER_CACHE_HIT_RATIO = 0.8;
/** Time of one authorizer invocation with the JWKS cached (bench/authorizer.bench.ts measures well under this). */
const ASSUMED_AUTHORIZER_MS = 20;
/** Memory of the authorizer function (handler-function.ts default). */
const AUTHORIZER_MEMORY_MB = 256;
/** Time of one proxied or aggregated request, mostly waiting on the upstream. */
const ASSUMED_PROXY_MS = 100;

export interface FlavorCost {
  /** Dollars per million requests, every line summed; undefined when the gateway cannot be this flavor. */
  readonly perMillion?: number;
  /** Each part, e.g. `API $3.50`. */
  readonly lines: readonly string[];
  /** Why the gateway cannot be this flavor. */
  readonly blockers: readonly string[];
}

export interface GatewayCost {
  readonly rest: FlavorCost;
  readonly http: FlavorCost;
  /** Monthly fixed cost of the web ACLs and their rules (REST only). */
  readonly wafMonthly: number;
  /** What each request through a proxy or aggregator Lambda adds, per million. */
  readonly lambdaPerMillionProxied?: number;
}

function lambdaPerMillion(memoryMb: number, ms: number): number {
  return PRICES_2026.lambdaPerMillionInvocations + 1_000_000 * (memoryMb / 1024) * (ms / 1000) * PRICES_2026.lambdaArmPerGbSecond;
}

const usd = (n: number) => `$${n.toFixed(2)}`;

export function estimateGatewayCost(g: GatewayPlan): GatewayCost {
  const jwt = g.routes.some((r) => r.features.auth === 'jwt');
  const acls = [g.edge?.regionalWebAcl, g.edge?.cloudfront?.webAcl].filter((a) => a !== undefined);
  // An HTTP gateway behind CloudFront would, as a REST API, also get the regional origin-verify web ACL.
  const restAcls = acls.length + (g.flavor === 'http' && g.edge?.cloudfront ? 1 : 0);

  const restLines = [`API ${usd(PRICES_2026.restApiPerMillion)}`];
  let rest = PRICES_2026.restApiPerMillion;
  // A REST gateway's JWT routes always go through the Lambda authorizer; an HTTP one only when the native JWT authorizer cannot serve them.
  const hit = (g.authorizer?.cacheTtlSeconds ?? 0) > 0 || g.flavor === 'http' ? ASSUMED_AUTHORIZER_CACHE_HIT_RATIO : 0;
  const authorizerCost = (1 - hit) * lambdaPerMillion(AUTHORIZER_MEMORY_MB, ASSUMED_AUTHORIZER_MS);
  const authorizerLine = `Lambda authorizer ${usd(authorizerCost)} (${Math.round(hit * 100)} % cache hits assumed)`;
  if (jwt) {
    rest += authorizerCost;
    restLines.push(authorizerLine);
  }
  if (restAcls) {
    const waf = restAcls * PRICES_2026.wafPerMillionRequests;
    rest += waf;
    restLines.push(`WAF ${usd(waf)}${restAcls > 1 ? ` (${restAcls} web ACLs inspect each request)` : ''}`);
  }
  // Rate limits behind CloudFront add the viewer-IP function to every request (see planEdge).
  const rateLimited = g.proxies.some((p) => Object.values(p.config.routes).some((r) => r.rateLimit));
  const cloudfrontCost = PRICES_2026.cloudfrontPerMillionHttpsRequests + (rateLimited ? PRICES_2026.cloudfrontFunctionPerMillion : 0);
  const cloudfrontLine = `CloudFront ${usd(cloudfrontCost)}${rateLimited ? ' (with the viewer-IP function)' : ''}`;
  if (g.edge?.cloudfront) {
    rest += cloudfrontCost;
    restLines.push(cloudfrontLine);
  }

  // As an HTTP API, the waf section runs at CloudFront (one web ACL), which is then always in front; see planEdge.
  const wafSection = Boolean(g.edge?.cloudfront?.webAcl ?? (g.edge?.cloudfront ? undefined : g.edge?.regionalWebAcl));
  const httpCloudfront = Boolean(g.edge?.cloudfront) || wafSection;
  const blockers = httpBlockers(g);
  const httpLambda = jwt && httpNeedsLambdaAuthorizer(g, httpCloudfront);
  const httpLines = [
    `API ${usd(PRICES_2026.httpApiPerMillion)}`,
    ...(!jwt ? [] : httpLambda ? [authorizerLine] : ['native JWT authorizer $0.00']),
  ];
  let http = PRICES_2026.httpApiPerMillion + (httpLambda ? authorizerCost : 0);
  if (wafSection) {
    http += PRICES_2026.wafPerMillionRequests;
    httpLines.push(`WAF ${usd(PRICES_2026.wafPerMillionRequests)}`);
  }
  if (httpCloudfront) {
    http += cloudfrontCost;
    httpLines.push(cloudfrontLine);
    // Its answer is cached per header value, and CloudFront sends one value: a few invocations an hour.
    if (g.routes.some((r) => r.features.auth !== 'jwt')) httpLines.push('origin-verify authorizer $0.00 (cached per header value)');
  }
  const wafMonthly = acls.reduce((n, a) => n + PRICES_2026.wafPerWebAclMonth + a.rules.length * PRICES_2026.wafPerRuleMonth, 0);
  const functions = [...g.proxies, ...g.aggregators];
  return {
    rest: { perMillion: rest, lines: restLines, blockers: [] },
    http: { perMillion: blockers.length ? undefined : http, lines: httpLines, blockers },
    wafMonthly,
    lambdaPerMillionProxied: functions.length
      ? lambdaPerMillion(Math.max(...functions.map((f) => f.memoryMb)), ASSUMED_PROXY_MS)
      : undefined,
  };
}

/** What keeps a (REST) gateway from being an HTTP API; the spec rules reject the same (http-rules.ts). */
function httpBlockers(g: GatewayPlan): string[] {
  if (g.flavor === 'http') return [];
  const out: string[] = [];
  if (Object.keys(g.plans).length || g.routes.some((r) => r.features.apiKey)) out.push('usage plans/API keys');
  if (g.endpoint.type !== 'REGIONAL') out.push(`${g.endpoint.type} endpoint`);
  if (g.edge?.resourcePolicy.ipAllow.length || g.edge?.resourcePolicy.ipDeny.length) out.push('resource-policy IP rules');
  if (g.edge?.mtls) out.push('mutual TLS');
  if (g.authorizer?.config.clientIdAsApiKey) out.push('JWT client ids as API keys');
  return out;
}

/** Whether JWT routes as an HTTP API need the Lambda authorizer; the same tests as lambdaAuthorizerReasons, on the plan. */
function httpNeedsLambdaAuthorizer(g: GatewayPlan, behindCloudfront: boolean): boolean {
  if (g.flavor === 'http') return g.authorizer !== undefined;
  const c = g.authorizer?.config;
  if (!c) return false;
  return (
    behindCloudfront ||
    g.routes.some((r) => r.features.roles.length) ||
    c.issuers.length > 1 ||
    c.issuers.some((i) => i.jwksUri || g.authorizer!.jwksFiles[i.issuer]) ||
    c.requiredClaims.length > 0 ||
    c.maxTokenAgeSeconds !== undefined ||
    c.scopeClaims.join() !== 'scope,scp'
  );
}

/** The `explain` lines. */
export function explainCost(g: GatewayPlan): string[] {
  const c = estimateGatewayCost(g);
  const validatedDirect = g.routes.filter((r) => r.features.validation && r.integration.kind === 'http-proxy').map((r) => r.path);
  const line = (name: string, f: FlavorCost) =>
    f.perMillion === undefined
      ? `${name}: not possible (${f.blockers.join(', ')})`
      : `${name}: ${usd(f.perMillion)} (${f.lines.join(' + ')})`;
  const [mine, other] =
    g.flavor === 'http'
      ? [line('as an HTTP API', c.http), line('as a REST API', c.rest)]
      : [line('as a REST API', c.rest), line('as an HTTP API', c.http)];
  return [
    `  Cost per million requests (estimate from 2026 us-east-1 list prices, first tier, no free tier or data transfer): ${mine}; ${other}`,
    ...(c.wafMonthly ? [`    plus WAF ${usd(c.wafMonthly)} a month for its web ACLs and rules`] : []),
    // An HTTP API has no request validators: validated direct routes would go through the proxy.
    ...(g.flavor === 'rest' && c.http.perMillion !== undefined && validatedDirect.length
      ? [`    as an HTTP API, request validation of ${validatedDirect.join(', ')} would run in the proxy Lambda`]
      : []),
    ...(c.lambdaPerMillionProxied !== undefined
      ? [
          `    each million requests through a proxy or aggregator Lambda adds about ${usd(c.lambdaPerMillionProxied)} (${ASSUMED_PROXY_MS} ms assumed)`,
        ]
      : []),
  ];
}
