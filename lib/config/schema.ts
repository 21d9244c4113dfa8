// The one schema of gatehouse.yaml: shapes, defaults and per-field rules (cross-field rules live in rules.ts).
import { z } from 'zod';
import { LOG_RETENTION_DAYS, HTTP_INTEGRATIONS_PER_API, HTTP_ROUTES_PER_API } from './limits';
import { aggregateSchema } from './aggregate-schema';
import { gatewayAuthSchema, routeAuthSchema } from './auth-schema';
import { observabilitySchema } from './observability-schema';
import { rateLimitSchema } from './rate-limit-schema';
import { serviceSchema } from './service-schema';

export { serviceSchema };
import { edgeSchema, routeCacheSchema, routeValidateSchema } from './edge-schema';
import { customDomainSchema } from './domain-schema';
import { throttleSchema } from './throttle-schema';
import { acknowledgeSchema } from './acknowledge-schema';
import { pathTemplateProblems } from './path-template';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Names used as map keys (gateways, services, plans, consumers) end up in construct ids and resource names. */
const name = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9-]{0,62}$/, 'use letters, digits and "-", starting with a letter (at most 63 characters)');

/** A literal path or a template (`/users/{id}`, `/files/{rest+}`); path-template.ts holds API Gateway's rules. */
const routePath = z.string().superRefine((p, ctx) => {
  for (const message of pathTemplateProblems(p)) ctx.addIssue({ code: 'custom', message });
});

export { throttleSchema } from './throttle-schema';

const methodList = z
  .array(z.enum([...HTTP_METHODS, 'ANY'], { error: `a method is one of ${HTTP_METHODS.join(', ')} or ANY` }))
  .min(1, 'list at least one method, or leave methods out for ANY')
  .refine((ms) => !ms.includes('ANY') || ms.length === 1, 'ANY already covers every method: use it alone')
  .refine((ms) => new Set(ms).size === ms.length, 'a method is listed twice');

export const routeSchema = z.strictObject({
  /** Optional label shown by `gatehouse explain`. */
  name: z.string().optional(),
  /** Name of an entry under `services`. */
  service: z.string(),
  /**
   * Paths, literal or templated (`/users/{id}`, `/files/{rest+}`). With `match: prefix` each also matches everything
   * below it (an implicit `{proxy+}` child); with `match: exact` only itself.
   */
  paths: z.array(routePath).min(1, 'list at least one path'),
  /** `prefix`: the path and everything below it; `exact`: the path only. A path ending in `{name+}` is exact by nature. */
  match: z
    .enum(['prefix', 'exact'], { error: 'match is prefix (the path and everything below it) or exact (the path only)' })
    .default('prefix'),
  methods: methodList.default(['ANY']),
  /** Remove the matched prefix before forwarding (Kong's strip_path). */
  stripPath: z.boolean().default(false),
  /** Require an API key (x-api-key header) from a consumer on one of the gateway's plans. */
  apiKey: z.boolean().default(false),
  /** Per-route throttle, applied to each of the route's methods on the stage. */
  throttle: throttleSchema.optional(),
  /** Who may call the route; needs the gateway's `auth` section. */
  auth: routeAuthSchema.optional(),
  /** Exact limits per window and client, counted across Lambda instances (puts the route behind its service's proxy). */
  rateLimit: rateLimitSchema.optional(),
  /** Request validation by API Gateway (JSON Schema body, required query parameters and headers). */
  validate: routeValidateSchema.optional(),
  /** CloudFront caching of a GET route; needs edge.cloudfront. */
  cache: routeCacheSchema.optional(),
});

const quotaSchema = z.strictObject({
  limit: z.number().int().positive('quota limit must be > 0 requests'),
  period: z.enum(['DAY', 'WEEK', 'MONTH']),
});

export const planSchema = z.strictObject({
  description: z.string().optional(),
  throttle: throttleSchema.optional(),
  quota: quotaSchema.optional(),
  /** Tighter throttles for some routes of this plan (API Gateway's per-method usage-plan throttles). */
  routeThrottles: z
    .array(
      z.strictObject({
        path: routePath,
        methods: methodList.default(['ANY']),
        throttle: throttleSchema,
      }),
    )
    .default([]),
});

export const consumerSchema = z.strictObject({
  description: z.string().optional(),
  /** Plans this consumer's API key is attached to. */
  plans: z.array(z.string()).min(1, 'attach the consumer to at least one plan'),
  enabled: z.boolean().default(true),
  /** With auth.jwt.clientIdAsApiKey: the JWT client id whose calls count against this consumer's plans. */
  clientId: z.string().min(1).optional(),
});

export const corsSchema = z.strictObject({
  origins: z
    .array(z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, 'an origin is "*" or scheme://host[:port] without a path'))
    .min(1, 'list at least one origin, e.g. https://app.example.com'),
  methods: z.array(z.enum(HTTP_METHODS)).default(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']),
  headers: z.array(z.string()).default(['Content-Type', 'Authorization', 'X-Api-Key', 'X-Request-ID']),
  exposeHeaders: z.array(z.string()).default(['X-Request-ID']),
  credentials: z.boolean().default(false),
  maxAgeSeconds: z.number().int().min(0).max(86_400, 'browsers cap maxAgeSeconds at a day (86400)').default(600),
});

export const stageSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,128}$/, 'a stage name uses letters, digits and "_" only')
    .default('prod'),
  throttle: throttleSchema.prefault({ rate: 1_000, burst: 2_000 }),
  tracing: z.boolean().default(true),
  accessLogs: z
    .strictObject({
      enabled: z.boolean().default(true),
      retentionDays: z
        .number()
        .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
          message: `retentionDays must be one of CloudWatch Logs' values: ${LOG_RETENTION_DAYS.join(', ')}`,
        })
        .default(30),
    })
    .prefault({}),
  /**
   * Execution logging level; needs the account's API Gateway CloudWatch role (see account.manageCloudWatchRole).
   * Left unset here so an explicit value can be told from the default: the planner applies ERROR on REST
   * APIs, and warns when one is set on an HTTP API, which has no execution logs.
   */
  executionLogs: z.enum(['OFF', 'ERROR', 'INFO']).optional(),
});

export const endpointSchema = z.strictObject({
  type: z.enum(['REGIONAL', 'EDGE', 'PRIVATE']).default('REGIONAL'),
  /** VPC endpoint ids allowed to call a PRIVATE API. */
  vpcEndpointIds: z.array(z.string().regex(/^vpce-[0-9a-f]+$/, 'a VPC endpoint id looks like vpce-0123456789abcdef0')).optional(),
});

export const gatewaySchema = z.strictObject({
  /** `rest` (API Gateway REST API) or `http` (HTTP API: cheaper, fewer features; see lib/plan/capabilities.ts). */
  flavor: z.enum(['rest', 'http']).default('rest'),
  description: z.string().optional(),
  endpoint: endpointSchema.prefault({}),
  stage: stageSchema.prefault({}),
  cors: corsSchema.optional(),
  /** Dashboard and alarms. */
  observability: observabilitySchema.prefault({}),
  /** Token issuers the gateway trusts; routes opt in with `auth`. */
  auth: gatewayAuthSchema.optional(),
  /** CloudFront, WAF and resource-policy IP rules in front of the API. */
  edge: edgeSchema.optional(),
  /** A regional custom domain name (and base path) the stage is served at. */
  domain: customDomainSchema.optional(),
  correlationId: z
    .strictObject({
      /** Header carrying the caller's correlation id, passed upstream unchanged. */
      header: z
        .string()
        .regex(/^[A-Za-z0-9-]+$/, 'a header name uses letters, digits and "-"')
        .default('X-Request-ID'),
      /** Header that always carries API Gateway's own request id upstream. */
      gatewayHeader: z
        .string()
        .regex(/^[A-Za-z0-9-]+$/, 'a header name uses letters, digits and "-"')
        .default('X-Gateway-Request-ID'),
    })
    .prefault({}),
  /** At least one route or aggregate (checked in aggregate-rules.ts). */
  routes: z.array(routeSchema).default([]),
  /** BFF routes composed from several services. */
  aggregates: z.array(aggregateSchema).default([]),
  plans: z.record(name, planSchema).default({}),
  consumers: z.record(name, consumerSchema).default({}),
});

export const accountSchema = z.strictObject({
  /**
   * Create the region-wide API Gateway CloudWatch role (AWS::ApiGateway::Account) in this stack.
   * Exactly one stack per account and region should do this; every other stack leaves it false.
   */
  manageCloudWatchRole: z.boolean().default(false),
  /** The daily check that disables API keys past `--expires` or their rotation grace period (`gatehouse keys`). */
  keyExpiry: z
    .strictObject({
      /** Created only when some gateway has usage plans. */
      enabled: z.boolean().default(true),
      warningDays: z.number().int().min(1).max(365).default(14),
    })
    .prefault({}),
  /** Quotas in force for this account and region, when raised from AWS's defaults. */
  quotas: z
    .strictObject({
      requestsPerSecond: z.number().int().positive().default(10_000),
      resourcesPerApi: z.number().int().positive().default(300),
      /** HTTP APIs: routes (route keys) per API; raisable in Service Quotas. */
      routesPerApi: z.number().int().positive().default(HTTP_ROUTES_PER_API),
      /** HTTP APIs: integrations per API; raisable in Service Quotas. */
      integrationsPerApi: z.number().int().positive().default(HTTP_INTEGRATIONS_PER_API),
      resourcePolicyChars: z.number().int().min(8192, 'the default quota is 8192 characters; set a raised value only').default(8192),
    })
    .prefault({}),
  /** The stack's region; required with edge.cloudfront, whose web ACL lives in a us-east-1 stack. */
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'region is an AWS region code such as eu-west-1')
    .optional(),
});

export const specSchema = z.strictObject({
  version: z.literal(1, 'version must be 1 (the only spec version so far)').default(1),
  account: accountSchema.prefault({}),
  services: z.record(name, serviceSchema).refine((s) => Object.keys(s).length > 0, 'define at least one service'),
  gateways: z.record(name, gatewaySchema).refine((g) => Object.keys(g).length > 0, 'define at least one gateway'),
  /** Planner warnings reviewed and accepted: `{ code, where, reason }`; `explain` lists them. */
  acknowledge: acknowledgeSchema,
});

/** What a user writes: every defaulted field optional. */
export type GatehouseSpecInput = z.input<typeof specSchema>;
/** A validated spec with every default applied. */
export type GatehouseSpec = z.output<typeof specSchema>;
export type GatewaySpec = GatehouseSpec['gateways'][string];
export type { ServiceSpec } from './service-schema';
export type RouteSpec = GatewaySpec['routes'][number];
export type UsagePlanSpec = GatewaySpec['plans'][string];
export type ConsumerSpec = GatewaySpec['consumers'][string];
export type CorsSpec = NonNullable<GatewaySpec['cors']>;
export type ThrottleSpec = z.output<typeof throttleSchema>;
