// The `edge` section of a gateway (CloudFront, WAF, resource-policy IP lists) and the per-route `validate` and `cache` options.
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { ARN_PREFIX, orToken } from './tokens';
import { COUNTRY_CODES, WAF_BODY_INSPECTION_MAX_BYTES, WAF_RATE_LIMIT_MIN, WAF_RATE_WINDOWS_SECONDS } from './edge-limits';
import { LOG_RETENTION_DAYS } from './limits';

/** The names of AWS managed rule groups Gatehouse offers; lib/plan/waf-capacity.ts maps each to its group and WCU. */
export const MANAGED_RULE_PRESETS = [
  'common',
  'knownBadInputs',
  'sqli',
  'ipReputation',
  'anonymousIp',
  'linux',
  'unix',
  'adminProtection',
  'botControl',
] as const;
export type ManagedRulePreset = (typeof MANAGED_RULE_PRESETS)[number];

const headerName = z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name uses letters, digits and "-"');

/** An IPv4 or IPv6 range in CIDR notation, as WAF IP sets and the aws:SourceIp condition take it. */
export const cidr = z.string().superRefine((value, ctx) => {
  const message = cidrMessage(value);
  if (message) ctx.addIssue({ code: 'custom', message });
});

function cidrMessage(value: string): string | undefined {
  const [address, bits, extra] = value.split('/');
  if (extra !== undefined || address === undefined) return `"${value}" is not a CIDR range such as 203.0.113.0/24 or 2001:db8::/32`;
  const v4 = isIPv4(address);
  if (!v4 && !isIPv6(address)) return `"${value}" is not a CIDR range such as 203.0.113.0/24 or 2001:db8::/32`;
  if (bits === undefined) return `"${value}" has no prefix length: write ${address}/${v4 ? 32 : 128} for one address`;
  const n = Number(bits);
  const max = v4 ? 32 : 128;
  // WAF IP sets accept every prefix except /0.
  if (!/^\d+$/.test(bits) || n < 1 || n > max) return `"${value}": the prefix length of an IPv${v4 ? 4 : 6} range is 1 to ${max}`;
  return undefined;
}

const ipList = z.array(cidr).min(1, 'list at least one range, or leave the field out');

const country = z.string().superRefine((c, ctx) => {
  if (!(COUNTRY_CODES as readonly string[]).includes(c)) {
    ctx.addIssue({ code: 'custom', message: `"${c}" is not an ISO 3166-1 alpha-2 country code (two capital letters, e.g. DE, US)` });
  }
});

export const wafSchema = z.strictObject({
  /** AWS managed rule groups by preset name; botControl is paid per request and must be listed explicitly. */
  managedRules: z
    .array(z.enum(MANAGED_RULE_PRESETS, { error: `a managed rule preset is one of ${MANAGED_RULE_PRESETS.join(', ')}` }))
    .refine((rs) => new Set(rs).size === rs.length, 'a managed rule preset is listed twice')
    .default(['common', 'knownBadInputs', 'sqli', 'ipReputation']),
  /** Requests per client IP per window; over it, the IP gets 429 until its rate falls below the limit. */
  rateLimitPerIp: z
    .strictObject({
      limit: z
        .number()
        .int()
        .min(WAF_RATE_LIMIT_MIN, `WAF's smallest rate limit is ${WAF_RATE_LIMIT_MIN} requests per window`)
        .max(2_000_000_000),
      windowSeconds: z
        .number()
        .refine(
          (w) => (WAF_RATE_WINDOWS_SECONDS as readonly number[]).includes(w),
          `windowSeconds is one of WAF's windows: ${WAF_RATE_WINDOWS_SECONDS.join(', ')}`,
        )
        .default(300),
    })
    .optional(),
  /** Only these client ranges get through (403 for others). */
  ipAllow: ipList.optional(),
  /** These client ranges get a 403. */
  ipDeny: ipList.optional(),
  /** Countries (ISO 3166-1 alpha-2) whose clients get a 403. */
  geoBlock: z.array(country).min(1, 'list at least one country, or leave geoBlock out').optional(),
  /** Requests with a larger body get a 403; at most WAF's largest body inspection limit. */
  maxBodyBytes: z
    .number()
    .int()
    .positive()
    .max(
      WAF_BODY_INSPECTION_MAX_BYTES,
      `WAF inspects at most ${WAF_BODY_INSPECTION_MAX_BYTES} bytes of a body (64 KB); larger limits cannot be enforced by WAF (API Gateway itself caps payloads at 10 MB)`,
    )
    .optional(),
  /** The cheap alternative to Bot Control: block User-Agents that contain a string (case-insensitive) or match a regex. */
  userAgentDeny: z
    .strictObject({
      contains: z.array(z.string().min(1).max(200)).max(10, 'at most 10 strings; use regex for more').default([]),
      // A WAF regex pattern set holds at most 10 patterns of up to 200 characters.
      regex: z
        .array(z.string().min(1).max(200, 'a WAF regex is at most 200 characters'))
        .max(10, 'a WAF regex pattern set holds at most 10 patterns')
        .default([]),
    })
    .optional(),
  logs: z
    .strictObject({
      enabled: z.boolean().default(true),
      retentionDays: z
        .number()
        .refine(
          (d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d),
          `retentionDays must be one of CloudWatch Logs' values: ${LOG_RETENTION_DAYS.join(', ')}`,
        )
        .default(30),
    })
    .prefault({}),
});

export const cloudfrontSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Custom domain (needs certificateArn). */
  domain: z
    .string()
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'domain is a lower-case host name such as api.example.com')
    .optional(),
  /** ACM certificate for `domain`; CloudFront only uses certificates in us-east-1. */
  certificateArn: orToken(
    z
      .string()
      .regex(
        /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/,
        'certificateArn is an ACM certificate ARN: arn:aws:acm:us-east-1:123456789012:certificate/…',
      )
      .refine(
        (arn) => !arn.startsWith('arn:') || arn.split(':')[3] === 'us-east-1',
        'CloudFront only uses ACM certificates from us-east-1; request or import the certificate there',
      ),
    ARN_PREFIX,
  ).optional(),
  priceClass: z.union([z.literal(100), z.literal(200), z.literal('All')], { error: 'priceClass is 100, 200 or All' }).default(100),
  /** CloudFront standard access logs to an S3 bucket the stack creates. */
  accessLogs: z.boolean().default(false),
});

/** Mutual TLS on a regional custom domain; the execute-api endpoint is then turned off. */
export const mtlsSchema = z.strictObject({
  domain: z
    .string()
    .regex(
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
      'domain is a lower-case host name such as partners.example.com',
    ),
  /** ACM certificate for `domain`, in the API's own region (a regional custom domain). */
  certificateArn: orToken(
    z
      .string()
      .regex(
        /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/,
        'certificateArn is an ACM certificate ARN: arn:aws:acm:<region>:123456789012:certificate/…',
      ),
    ARN_PREFIX,
  ),
  /** The truststore (PEM bundle of the client CAs) in S3. */
  truststoreUri: z
    .string()
    .regex(
      /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/,
      'truststoreUri is s3://bucket/key of a PEM bundle of the CA certificates clients are signed by',
    ),
  /** S3 object version of the truststore (bucket versioning on); pin it so a new upload needs a deploy. */
  truststoreVersion: z.string().min(1).optional(),
});

export const edgeSchema = z.strictObject({
  /** A CloudFront distribution in front of the API; the API then only answers CloudFront. */
  cloudfront: cloudfrontSchema.optional(),
  /** A WAF web ACL: on CloudFront (us-east-1) when that is on, else on the REST stage; an HTTP API's always at CloudFront. */
  waf: wafSchema.optional(),
  /** Mutual TLS: clients present a certificate signed by a CA in the truststore. */
  mtls: mtlsSchema.optional(),
  /** Source-IP rules in the API's resource policy (no WAF needed). */
  resourcePolicy: z
    .strictObject({
      ipAllow: ipList.optional(),
      ipDeny: ipList.optional(),
    })
    .optional(),
});

/** JSON Schema request validation of one route (REST API request validators and models). */
export const routeValidateSchema = z.strictObject({
  /** A JSON Schema (draft 4) file, relative to the config file's directory. */
  body: z.string().min(1).optional(),
  /** Query parameters that must be present. */
  query: z.array(z.string().regex(/^[A-Za-z0-9._~-]+$/, 'a query parameter name uses letters, digits and . _ ~ -')).default([]),
  /** Headers that must be present. */
  headers: z.array(headerName).default([]),
});

/** A CloudFront cache behavior for a GET route. */
export const routeCacheSchema = z.strictObject({
  ttlSeconds: z.number().int().min(1).max(31_536_000, 'ttlSeconds is at most a year (31536000)'),
  // A CloudFront cache policy allows at most 10 headers and 10 query strings in the key.
  keyHeaders: z.array(headerName).max(10, 'a CloudFront cache key holds at most 10 headers').default([]),
  keyQuery: z.array(z.string().min(1)).max(10, 'a CloudFront cache key holds at most 10 query strings').default([]),
});

export type EdgeSpec = z.output<typeof edgeSchema>;
export type WafSpec = z.output<typeof wafSchema>;
export type CloudfrontSpec = z.output<typeof cloudfrontSchema>;
export type MtlsSpec = z.output<typeof mtlsSchema>;
export type RouteValidateSpec = z.output<typeof routeValidateSchema>;
export type RouteCacheSpec = z.output<typeof routeCacheSchema>;
