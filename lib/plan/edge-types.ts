// Plan types of the edge: web ACLs and their rules with capacity, the CloudFront distribution, resource-policy IP lists.
import type { ManagedRulePreset } from '../config/edge-schema';
import type { JsonSchema } from '../config/schema-files';

export type WafScope = 'REGIONAL' | 'CLOUDFRONT';

/** One rule of a web ACL; `wcu` is its capacity as WAF computes it. */
export type WafRulePlan = { readonly name: string; readonly priority: number; readonly wcu: number } & (
  | { readonly kind: 'origin-verify'; readonly header: string }
  | { readonly kind: 'ip-deny' | 'ip-allow'; readonly ipv4: readonly string[]; readonly ipv6: readonly string[] }
  | { readonly kind: 'geo-block'; readonly countries: readonly string[] }
  | { readonly kind: 'user-agent-deny'; readonly contains: readonly string[]; readonly regex: readonly string[] }
  | { readonly kind: 'body-size'; readonly maxBytes: number }
  | { readonly kind: 'rate'; readonly limit: number; readonly windowSeconds: number }
  | { readonly kind: 'managed'; readonly preset: ManagedRulePreset; readonly vendor: string; readonly group: string }
);

export interface WebAclPlan {
  readonly scope: WafScope;
  readonly rules: readonly WafRulePlan[];
  /** Sum of the rules' WCUs; WAF rejects more than 5,000 and bills above 1,500. */
  readonly capacity: number;
  /** AssociationConfig body inspection limit, when raised above the 16 KB default (costs extra). */
  readonly bodyInspectionLimit?: 'KB_32' | 'KB_48' | 'KB_64';
  /** WAF logs to a CloudWatch log group named aws-waf-logs-<stack>-<gateway>-<scope>-<stack id>, or undefined when off. */
  readonly logs?: { readonly retentionDays: number };
  /** Allow headers added to block responses so browsers can read them (CORS with a single origin). */
  readonly corsOrigin?: string;
  readonly reason: string;
}

export interface CacheBehaviorPlan {
  readonly routeId: string;
  /** The spec route; its paths share one cache policy. */
  readonly routeIndex: number;
  /** CloudFront path patterns (the path and everything below it). */
  readonly pathPatterns: readonly string[];
  readonly ttlSeconds: number;
  readonly keyHeaders: readonly string[];
  readonly keyQuery: readonly string[];
}

export interface CloudfrontPlan {
  readonly domain?: string;
  readonly certificateArn?: string;
  readonly priceClass: 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';
  readonly accessLogs: boolean;
  /** Seconds CloudFront waits for the API: just above the longest integration timeout of the gateway. */
  readonly originReadTimeoutSeconds: number;
  /** Header CloudFront adds with the origin-verify secret; `originVerify` says what refuses requests without it. */
  readonly originVerifyHeader: string;
  readonly originVerify: OriginVerifyPlan;
  /**
   * A viewer-request CloudFront Function sets this header to the viewer's IP, when rate limits count IPs
   * (API Gateway sees CloudFront's address). @default - no function
   */
  readonly viewerIpHeader?: string;
  readonly cacheBehaviors: readonly CacheBehaviorPlan[];
  /** The CLOUDFRONT-scope web ACL (in the us-east-1 edge stack), when the gateway has a waf section. */
  readonly webAcl?: WebAclPlan;
}

/**
 * What makes the API refuse requests that did not come through CloudFront: on a REST API a rule of the
 * regional web ACL; on an HTTP API, which takes no web ACL, its Lambda authorizers.
 */
export type OriginVerifyPlan =
  | { readonly enforcedBy: 'regional-web-acl' }
  | {
      readonly enforcedBy: 'lambda-authorizers';
      /** Routes without JWT auth get the origin-verify authorizer; the JWT authorizer checks the header itself. */
      readonly originAuthorizer: boolean;
      /** How long the API caches the origin-verify authorizer's answer per header value. */
      readonly cacheTtlSeconds: number;
      readonly reason: string;
    };

export interface EdgePlan {
  /** The REGIONAL web ACL on the stage: the whole waf section, or only the origin-verify rule behind CloudFront. */
  readonly regionalWebAcl?: WebAclPlan;
  readonly cloudfront?: CloudfrontPlan;
  /** Mutual TLS custom domain; the API's execute-api endpoint is turned off with it. */
  readonly mtls?: {
    readonly domain: string;
    readonly certificateArn: string;
    readonly truststoreUri: string;
    readonly truststoreVersion?: string;
  };
  /** Source-IP rules of the API's resource policy. */
  readonly resourcePolicy: { readonly ipAllow: readonly string[]; readonly ipDeny: readonly string[] };
  /** CloudFormation resources the edge adds to the gateway's stack. */
  readonly stackResources: number;
  /** CloudFormation resources the gateway adds to the us-east-1 edge stack. */
  readonly edgeStackResources: number;
}

/** A route's request validation as planned; `body` applies to POST, PUT and PATCH only. */
export interface RouteValidationPlan {
  readonly body?: { readonly file: string; readonly schema: JsonSchema };
  readonly query: readonly string[];
  readonly headers: readonly string[];
}
