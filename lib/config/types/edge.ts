// What a user writes under `gateways.<name>.edge` and `.domain`, and a route's `validate` and `cache`.
// Checked against lib/config/edge-schema.ts and domain-schema.ts by test/config/spec-types.check.ts.

/** AWS managed WAF rule groups by preset name (lib/plan/waf-capacity.ts maps each to its group). */
export type ManagedRulePreset =
  'common' | 'knownBadInputs' | 'sqli' | 'ipReputation' | 'anonymousIp' | 'linux' | 'unix' | 'adminProtection' | 'botControl';

/** WAF's per-IP rate-based rule. */
export interface WafRateLimitSpec {
  /** Requests per client IP per window (WAF's minimum is 10). */
  readonly limit: number;
  /** One of WAF's windows: 60, 120, 300, 600. @default 300 */
  readonly windowSeconds?: number;
}

/** A WAF web ACL in front of the gateway. */
export interface WafSpec {
  /** AWS managed rule groups; botControl is paid per request. @default ['common', 'knownBadInputs', 'sqli', 'ipReputation'] */
  readonly managedRules?: ManagedRulePreset[];
  /** Requests per client IP per window; over it the IP gets 429. @default - no rate rule */
  readonly rateLimitPerIp?: WafRateLimitSpec;
  /** Only these CIDR ranges get through (403 for others). @default - every address */
  readonly ipAllow?: string[];
  /** These CIDR ranges get a 403. @default - none */
  readonly ipDeny?: string[];
  /** Countries (ISO 3166-1 alpha-2) whose clients get a 403. @default - none */
  readonly geoBlock?: string[];
  /** Requests with a larger body get a 403 (WAF inspects at most 64 KB). @default - no size rule */
  readonly maxBodyBytes?: number;
  /** Block User-Agents containing a string or matching a regex (the cheap alternative to Bot Control). @default - none */
  readonly userAgentDeny?: UserAgentDenySpec;
  /** WAF logs to CloudWatch Logs. @default - on, kept 30 days */
  readonly logs?: LogsSpec;
}

/** `waf.userAgentDeny`. */
export interface UserAgentDenySpec {
  /** Substrings, case-insensitive, at most 10. @default [] */
  readonly contains?: string[];
  /** Regular expressions, at most 10 of up to 200 characters. @default [] */
  readonly regex?: string[];
}

/** A log group's switch and retention. */
export interface LogsSpec {
  /** @default true */
  readonly enabled?: boolean;
  /** One of CloudWatch Logs' retention periods. @default 30 */
  readonly retentionDays?: number;
}

/** A CloudFront distribution in front of the API; the API then only answers CloudFront. */
export interface CloudfrontSpec {
  /** @default true */
  readonly enabled?: boolean;
  /** Custom domain of the distribution (needs `certificateArn`). @default - the cloudfront.net name */
  readonly domain?: string;
  /** ACM certificate for `domain`, in us-east-1. @default - none */
  readonly certificateArn?: string;
  /** Edge locations used. @default 100 */
  readonly priceClass?: 100 | 200 | 'All';
  /** Standard access logs to an S3 bucket the stack creates. @default false */
  readonly accessLogs?: boolean;
}

/** Mutual TLS on a regional custom domain; the execute-api endpoint is then turned off. */
export interface MtlsSpec {
  /** The custom domain clients call. */
  readonly domain: string;
  /** ACM certificate for `domain`, in the API's own region. */
  readonly certificateArn: string;
  /** s3://bucket/key of the PEM bundle of the client CAs. */
  readonly truststoreUri: string;
  /** S3 object version of the truststore, so a new upload needs a deploy. @default - the latest version */
  readonly truststoreVersion?: string;
}

/** Source-IP rules in the API's resource policy (no WAF needed). */
export interface ResourcePolicySpec {
  /** Only these CIDR ranges may call. @default - every address */
  readonly ipAllow?: string[];
  /** These CIDR ranges may not call. @default - none */
  readonly ipDeny?: string[];
}

/** `gateways.<name>.edge`: what stands in front of the API. */
export interface EdgeSpec {
  /** @default - no CloudFront */
  readonly cloudfront?: CloudfrontSpec;
  /** On CloudFront when that is on, else on the REST stage. @default - no WAF */
  readonly waf?: WafSpec;
  /** @default - no mutual TLS */
  readonly mtls?: MtlsSpec;
  /** @default - no IP rules in the resource policy */
  readonly resourcePolicy?: ResourcePolicySpec;
}

/** `gateways.<name>.domain`: a regional custom domain in front of the stage. */
export interface CustomDomainSpec {
  /** Lower-case host name, e.g. api.example.com. */
  readonly name: string;
  /** ACM certificate covering `name`, in the API's own region. */
  readonly certificateArn: string;
  /** Path under the domain this gateway answers at (`orders` or `orders/v1`). @default - the root */
  readonly basePath?: string;
  /** `false` turns the API's own execute-api URL off, so clients only call through this domain. @default true */
  readonly executeApiEndpoint?: boolean;
}

/** A route's request validation by API Gateway (REST). */
export interface RouteValidateSpec {
  /** A JSON Schema (draft 4) file for the body, relative to the config file's directory. @default - body not validated */
  readonly body?: string;
  /** Query parameters that must be present. @default [] */
  readonly query?: string[];
  /** Headers that must be present. @default [] */
  readonly headers?: string[];
}

/** A CloudFront cache behavior for a GET route (needs `edge.cloudfront`). */
export interface RouteCacheSpec {
  /** How long a response is cached. */
  readonly ttlSeconds: number;
  /** Request headers in the cache key, at most 10. @default [] */
  readonly keyHeaders?: string[];
  /** Query strings in the cache key, at most 10. @default [] */
  readonly keyQuery?: string[];
}
