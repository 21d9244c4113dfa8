// Edge planning: the gateway's web ACLs (rules, capacity), CloudFront distribution, resource-policy IP lists and request validation.
import { isIPv4 } from 'node:net';
import { ORIGIN_VERIFY_HEADER } from '../../lambdas/contract/origin-verify';
import { VIEWER_IP_HEADER } from '../../lambdas/contract/viewer-ip';
import { ConfigError, formatPath, type SpecIssue } from '../config/errors';
import {
  CLOUDFRONT_ORIGIN_READ_TIMEOUT_MAX_S,
  WAF_BODY_INSPECTION_DEFAULT_BYTES,
  WAF_BODY_INSPECTION_LIMITS,
  WAF_WCU_BASE_PRICE,
  WAF_WCU_MAX,
} from '../config/edge-limits';
import { cloudfrontOf } from '../config/edge-rules';
import type { WafSpec } from '../config/edge-schema';
import type { GatewaySpec } from '../config/schema';
import { readSchemaFile } from '../config/schema-files';
import type {
  CacheBehaviorPlan,
  CloudfrontPlan,
  EdgePlan,
  OriginVerifyPlan,
  RouteValidationPlan,
  WafRulePlan,
  WafScope,
  WebAclPlan,
} from './edge-types';
import { POLICY_BASE_CHARS, ipConditionChars } from './resource-policy';
import type { PlanWarning, RoutePlan } from './types';
import { MANAGED_GROUPS, MANAGED_ORDER, WCU, ipListWcu, userAgentWcu } from './waf-capacity';

export { ORIGIN_VERIFY_HEADER } from '../../lambdas/contract/origin-verify';

/** CloudFront allows 25 cache behaviors per distribution (quota "Cache behaviors per distribution"). */
const CLOUDFRONT_MAX_BEHAVIORS = 25;

/**
 * Resources one web ACL costs besides its IP and regex sets: the ACL, plus the association for a
 * regional ACL (a CloudFront ACL is attached by the distribution), plus log group and logging config.
 */
function webAclResources(acl: WebAclPlan): number {
  const sets = acl.rules.reduce((n, r) => {
    if (r.kind === 'ip-allow' || r.kind === 'ip-deny') return n + (r.ipv4.length ? 1 : 0) + (r.ipv6.length ? 1 : 0);
    if (r.kind === 'user-agent-deny') return n + (r.regex.length ? 1 : 0);
    return n;
  }, 0);
  return 1 + (acl.scope === 'REGIONAL' ? 1 : 0) + sets + (acl.logs ? 2 : 0);
}

/**
 * How long an HTTP API caches the origin-verify authorizer's answer per header value: one invocation per
 * value and period, and a value that has left the secret's current and previous versions stops working
 * within this time.
 */
export const ORIGIN_VERIFY_CACHE_TTL_SECONDS = 300;

/** The origin-verify authorizer of an HTTP API: function, role, its policy (secret read), log group, invoke permission (the authorizer is in the OpenAPI body). */
export const ORIGIN_AUTHORIZER_RESOURCES = 5;

/**
 * Secret, distribution and response-headers policy, a cache policy per cached route, the log bucket and its
 * policy, the viewer-IP function, and on an HTTP API the origin-verify authorizer when some route has no JWT
 * authorizer to check the header.
 */
function cloudfrontResources(cf: CloudfrontPlan): number {
  const originAuthorizer = cf.originVerify.enforcedBy === 'lambda-authorizers' && cf.originVerify.originAuthorizer;
  return (
    3 +
    new Set(cf.cacheBehaviors.map((b) => b.routeIndex)).size +
    (cf.accessLogs ? 2 : 0) +
    (cf.viewerIpHeader ? 1 : 0) +
    (originAuthorizer ? ORIGIN_AUTHORIZER_RESOURCES : 0)
  );
}

/**
 * Resources CDK adds for the CloudFront web ACL's ARN crossing from us-east-1: in the edge stack an export
 * writer (custom resource, its provider function and role), in the gateway's stack a reader of the same three.
 */
export const CROSS_REGION_WRITER_RESOURCES = 3;

/** Mutual TLS: the custom domain name and its base path mapping to the stage. */
const MTLS_RESOURCES = 2;
export const CROSS_REGION_READER_RESOURCES = 3;

export interface EdgeResult {
  readonly edge?: EdgePlan;
  readonly errors: SpecIssue[];
  readonly warnings: PlanWarning[];
}

export function planEdge(name: string, gateway: GatewaySpec, routes: readonly RoutePlan[], policyChars = 8192): EdgeResult {
  const at = ['gateways', name, 'edge'];
  const errors: SpecIssue[] = [];
  const warnings: PlanWarning[] = [];
  const spec = gateway.edge;
  if (!spec) return { errors, warnings };
  const corsOrigin = gateway.cors?.origins.length === 1 ? gateway.cors.origins[0] : undefined;
  const cfSpec = cloudfrontOf(gateway);
  const http = gateway.flavor === 'http';
  const logs = (waf: WafSpec) => (waf.logs.enabled ? { retentionDays: waf.logs.retentionDays } : undefined);

  let cloudfront: CloudfrontPlan | undefined;
  let regionalWebAcl: WebAclPlan | undefined;
  if (cfSpec) {
    const edgeAcl = spec.waf
      ? webAcl(
          'CLOUDFRONT',
          wafRules(spec.waf),
          spec.waf,
          logs(spec.waf),
          corsOrigin,
          'the waf section, evaluated at CloudFront against the viewer (CLOUDFRONT scope, us-east-1)',
        )
      : undefined;
    if (http && spec.waf && !spec.cloudfront) {
      warnings.push({
        code: 'HTTP_WAF_AT_CLOUDFRONT',
        where: formatPath([...at, 'waf']),
        message:
          "HTTP APIs take no web ACL, so a CloudFront distribution is put in front of the API for the waf section: clients call the distribution's URL (a stack output), and the execute-api URL refuses them; write edge.cloudfront to set a domain or price class",
      });
    }
    cloudfront = {
      domain: cfSpec.domain,
      certificateArn: cfSpec.certificateArn,
      priceClass: cfSpec.priceClass === 'All' ? 'PriceClass_All' : `PriceClass_${cfSpec.priceClass}`,
      accessLogs: cfSpec.accessLogs,
      originReadTimeoutSeconds: originReadTimeout(routes),
      originVerifyHeader: ORIGIN_VERIFY_HEADER,
      originVerify: http ? authorizerOriginVerify(routes, Boolean(edgeAcl)) : { enforcedBy: 'regional-web-acl' },
      // Any rate limit can count IPs (by: ip, and every anonymous request); see lambdas/shared/viewer-ip.ts.
      viewerIpHeader: gateway.routes.some((r) => r.rateLimit) ? VIEWER_IP_HEADER : undefined,
      cacheBehaviors: cacheBehaviors(gateway, routes),
      webAcl: edgeAcl,
    };
    if (cloudfront.cacheBehaviors.reduce((n, b) => n + b.pathPatterns.length, 0) > CLOUDFRONT_MAX_BEHAVIORS) {
      errors.push(
        issue(
          [...at, 'cloudfront'],
          `the cached routes need more than CloudFront's ${CLOUDFRONT_MAX_BEHAVIORS} cache behaviors per distribution (two per path); cache fewer paths`,
        ),
      );
    }
    // Behind CloudFront the regional ACL only enforces the secret header, so the execute-api URL cannot skip CloudFront and its WAF.
    // An HTTP API takes no web ACL: its authorizers check the header instead (authorizerOriginVerify).
    if (!http)
      regionalWebAcl = webAcl(
        'REGIONAL',
        [{ name: 'OriginVerify', priority: 0, wcu: WCU.stringExactly, kind: 'origin-verify', header: ORIGIN_VERIFY_HEADER }],
        undefined,
        undefined,
        corsOrigin,
        `requests without CloudFront's ${ORIGIN_VERIFY_HEADER} secret are blocked, so the execute-api URL cannot bypass CloudFront${edgeAcl ? ' and its WAF' : ''}`,
      );
  } else if (spec.waf) {
    regionalWebAcl = webAcl(
      'REGIONAL',
      wafRules(spec.waf),
      spec.waf,
      logs(spec.waf),
      corsOrigin,
      'the waf section, on the REST stage (no CloudFront)',
    );
  }

  for (const acl of [regionalWebAcl, cloudfront?.webAcl]) {
    if (!acl) continue;
    const where = [...at, 'waf'];
    if (acl.capacity > WAF_WCU_MAX) {
      errors.push(
        issue(
          [...where, 'managedRules'],
          `the ${acl.scope} web ACL needs ${acl.capacity} WCUs, over WAF's ${WAF_WCU_MAX}; drop managed rule groups (${describeCapacity(acl)})`,
        ),
      );
    } else if (acl.capacity > WAF_WCU_BASE_PRICE) {
      warnings.push({
        code: 'WAF_CAPACITY_ABOVE_BASE_PRICE',
        where: formatPath(where),
        message: `the ${acl.scope} web ACL needs ${acl.capacity} WCUs; WAF bills extra for each 500 WCUs above ${WAF_WCU_BASE_PRICE} (${describeCapacity(acl)})`,
      });
    }
    if (acl.bodyInspectionLimit) {
      warnings.push({
        code: 'WAF_BODY_INSPECTION_ABOVE_DEFAULT',
        where: formatPath([...where, 'maxBodyBytes']),
        message: `maxBodyBytes above ${WAF_BODY_INSPECTION_DEFAULT_BYTES} bytes raises the ${acl.scope} web ACL's body inspection limit to ${acl.bodyInspectionLimit}, which WAF bills per request`,
      });
    }
    if (acl.rules.some((r) => r.kind === 'managed' && r.preset === 'botControl')) {
      warnings.push({
        code: 'WAF_BOT_CONTROL_COST',
        where: formatPath([...where, 'managedRules']),
        message: MANAGED_GROUPS.botControl.note!,
      });
    }
  }

  if (POLICY_BASE_CHARS + ipConditionChars(gateway) > policyChars) {
    errors.push(
      issue(
        [...at, 'resourcePolicy'],
        `the IP lists need about ${ipConditionChars(gateway)} characters of the ${policyChars}-character resource policy (account.quotas.resourcePolicyChars); merge ranges into wider CIDRs, or use edge.waf.ipAllow / ipDeny (WAF IP sets hold 10,000 ranges)`,
      ),
    );
  }

  const edge: EdgePlan = {
    regionalWebAcl,
    cloudfront,
    mtls: spec.mtls,
    resourcePolicy: { ipAllow: spec.resourcePolicy?.ipAllow ?? [], ipDeny: spec.resourcePolicy?.ipDeny ?? [] },
    stackResources:
      (regionalWebAcl ? webAclResources(regionalWebAcl) : 0) +
      (cloudfront ? cloudfrontResources(cloudfront) : 0) +
      (spec.mtls ? MTLS_RESOURCES : 0),
    edgeStackResources: cloudfront?.webAcl ? webAclResources(cloudfront.webAcl) : 0,
  };
  return { edge, errors, warnings };
}

/**
 * The origin-verify check of an HTTP API: routes without JWT auth get a small Lambda authorizer whose answer is
 * cached per header value; JWT routes get the Gatehouse Lambda authorizer, which checks the header before the token.
 */
function authorizerOriginVerify(routes: readonly RoutePlan[], waf: boolean): OriginVerifyPlan {
  const originAuthorizer = routes.some((r) => r.features.auth !== 'jwt');
  const jwt = routes.some((r) => r.features.auth === 'jwt');
  const checkers = [
    ...(originAuthorizer
      ? [
          `an origin-verify Lambda authorizer on ${jwt ? 'each route without JWT auth' : 'every route'} (its answer cached ${ORIGIN_VERIFY_CACHE_TTL_SECONDS} s per header value)`,
        ]
      : []),
    ...(jwt ? [`${originAuthorizer ? 'on JWT routes ' : ''}the JWT Lambda authorizer (it checks the header before the token)`] : []),
  ];
  return {
    enforcedBy: 'lambda-authorizers',
    originAuthorizer,
    cacheTtlSeconds: ORIGIN_VERIFY_CACHE_TTL_SECONDS,
    reason:
      `HTTP APIs take no web ACL, so ${checkers.join(' and ')} refuse requests without CloudFront's ${ORIGIN_VERIFY_HEADER} secret ` +
      `(401 when it is missing, 403 when it is wrong): the execute-api URL cannot bypass CloudFront${waf ? ' and its WAF' : ''}`,
  };
}

function webAcl(
  scope: WafScope,
  rules: WafRulePlan[],
  waf: WafSpec | undefined,
  logs: WebAclPlan['logs'],
  corsOrigin: string | undefined,
  reason: string,
): WebAclPlan {
  const maxBody = waf?.maxBodyBytes;
  const limit =
    maxBody && maxBody > WAF_BODY_INSPECTION_DEFAULT_BYTES
      ? WAF_BODY_INSPECTION_LIMITS.find((l) => l.bytes >= maxBody)?.setting
      : undefined;
  return {
    scope,
    rules,
    capacity: rules.reduce((n, r) => n + r.wcu, 0),
    bodyInspectionLimit: limit === 'KB_16' ? undefined : limit,
    logs,
    corsOrigin,
    reason,
  };
}

/** The waf section as rules, in evaluation order: cheap blocks first, managed groups last. */
export function wafRules(waf: WafSpec): WafRulePlan[] {
  const rules: (WafRulePlan extends infer R ? (R extends WafRulePlan ? Omit<R, 'priority'> : never) : never)[] = [];
  const split = (list: readonly string[]) => ({
    ipv4: list.filter((c) => isIPv4(c.split('/')[0]!)),
    ipv6: list.filter((c) => !isIPv4(c.split('/')[0]!)),
  });
  if (waf.ipDeny) {
    const s = split(waf.ipDeny);
    rules.push({ name: 'IpDeny', kind: 'ip-deny', ...s, wcu: ipListWcu(s.ipv4, s.ipv6) });
  }
  if (waf.ipAllow) {
    const s = split(waf.ipAllow);
    rules.push({ name: 'IpAllowOnly', kind: 'ip-allow', ...s, wcu: ipListWcu(s.ipv4, s.ipv6) });
  }
  if (waf.geoBlock) rules.push({ name: 'GeoBlock', kind: 'geo-block', countries: waf.geoBlock, wcu: WCU.geoMatch });
  const ua = waf.userAgentDeny;
  if (ua && (ua.contains.length || ua.regex.length)) {
    rules.push({
      name: 'UserAgentDeny',
      kind: 'user-agent-deny',
      contains: ua.contains.map((c) => c.toLowerCase()),
      regex: ua.regex,
      wcu: userAgentWcu(ua.contains, ua.regex),
    });
  }
  if (waf.maxBodyBytes) rules.push({ name: 'MaxBodySize', kind: 'body-size', maxBytes: waf.maxBodyBytes, wcu: WCU.sizeConstraint });
  if (waf.rateLimitPerIp) rules.push({ name: 'RateLimitPerIp', kind: 'rate', ...waf.rateLimitPerIp, wcu: WCU.rateBased });
  for (const preset of MANAGED_ORDER.filter((p) => waf.managedRules.includes(p))) {
    const g = MANAGED_GROUPS[preset];
    rules.push({ name: g.group, kind: 'managed', preset, vendor: g.vendor, group: g.group, wcu: g.wcu });
  }
  return rules.map((r, i) => ({ ...r, priority: i + 1 }));
}

function describeCapacity(acl: WebAclPlan): string {
  return acl.rules.map((r) => `${r.name} ${r.wcu}`).join(', ');
}

/** API Gateway answers 504 at the integration timeout; CloudFront waits one second longer so the 504 reaches the client. */
function originReadTimeout(routes: readonly RoutePlan[]): number {
  const longest = Math.max(0, ...routes.map((r) => r.integration.timeoutMs));
  return Math.min(CLOUDFRONT_ORIGIN_READ_TIMEOUT_MAX_S, Math.ceil(longest / 1000) + 1);
}

/**
 * A cache behavior per path of each cached route. The caller's credentials join the key on routes
 * that need them, so one caller's response is never served to another; so does Origin with several CORS origins.
 */
function cacheBehaviors(gateway: GatewaySpec, routes: readonly RoutePlan[]): CacheBehaviorPlan[] {
  return routes.flatMap((route) => {
    const cache = gateway.routes[route.routeIndex]?.cache;
    if (!cache) return [];
    const credentials = [...(route.features.auth === 'jwt' ? ['Authorization'] : []), ...(route.features.apiKey ? ['X-Api-Key'] : [])];
    // With several CORS origins the answer names the caller's origin, so a cached one must not reach another origin.
    const origin = (gateway.cors?.origins.length ?? 0) > 1 ? ['Origin'] : [];
    const keyHeaders = [...new Set([...cache.keyHeaders, ...credentials, ...origin])];
    return [
      {
        routeId: route.id,
        routeIndex: route.routeIndex,
        pathPatterns: route.path === '/' ? ['/*'] : [route.path, `${route.path}/*`],
        ttlSeconds: cache.ttlSeconds,
        keyHeaders,
        keyQuery: cache.keyQuery,
      },
    ];
  });
}

/** Adds each route's request validation (body schema read from its file) to the route plans. */
export function withValidation(routes: RoutePlan[], gateway: GatewaySpec, gatewayName: string): RoutePlan[] {
  return routes.map((route) => {
    const v = gateway.routes[route.routeIndex]?.validate;
    if (!v) return route;
    let body: RouteValidationPlan['body'];
    if (v.body) {
      const read = readSchemaFile(v.body, process.cwd());
      if ('problem' in read)
        throw new ConfigError([issue(['gateways', gatewayName, 'routes', route.routeIndex, 'validate', 'body'], read.problem)]);
      body = { file: v.body, schema: read.schema };
    }
    return { ...route, features: { ...route.features, validation: { body, query: v.query, headers: v.headers } } };
  });
}

/** Which request validator a method of a validated route uses: body only on methods that carry one. */
export function validatorKind(
  validation: RouteValidationPlan | undefined,
  method: string,
): 'body-and-params' | 'params' | 'body' | undefined {
  if (!validation) return undefined;
  const body = validation.body !== undefined && ['POST', 'PUT', 'PATCH'].includes(method);
  const params = validation.query.length + validation.headers.length > 0;
  if (body && params) return 'body-and-params';
  if (body) return 'body';
  return params ? 'params' : undefined;
}

function issue(path: (string | number)[], message: string): SpecIssue {
  return { path, where: formatPath(path), message };
}
