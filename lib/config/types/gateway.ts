// What a user writes: the whole config (`GatehouseSpec`), its account section, gateways, routes, stages and usage plans.
// Checked against lib/config/schema.ts by test/config/spec-types.check.ts: a field added there must be added here.
import type { AggregateSpec } from './aggregate';
import type { GatewayAuthSpec, RouteAuthSpec } from './auth';
import type { CustomDomainSpec, EdgeSpec, LogsSpec, RouteCacheSpec, RouteValidateSpec } from './edge';
import type { ObservabilitySpec } from './observability';
import type { ServiceSpec } from './service';
import type { RateLimitSpec, ThrottleSpec } from './throttle';

/** An HTTP method a route can list. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/**
 * A Gatehouse config, as `gatehouse.yaml` holds it or as a typed object in a CDK app. Names used as map keys
 * (services, gateways, plans, consumers) use letters, digits and "-", starting with a letter.
 */
export interface GatehouseSpec {
  /** The config format's version. @default 1 */
  readonly version?: 1;
  /** Settings of the AWS account and region the stack deploys to. @default - no account-wide resources, AWS's default quotas */
  readonly account?: AccountSpec;
  /** Upstream services by name; routes name them. */
  readonly services: Record<string, ServiceSpec>;
  /** API Gateway APIs by name, each with its routes. */
  readonly gateways: Record<string, GatewaySpec>;
  /** Planner warnings reviewed and accepted, each with its reason (`explain` lists them). @default [] */
  readonly acknowledge?: AcknowledgementSpec[];
}

/** One accepted warning under `acknowledge`. */
export interface AcknowledgementSpec {
  /** The warning's code as `validate` prints it, e.g. `CORS_RESPONSE_HEADERS_FROM_UPSTREAM`. */
  readonly code: string;
  /** Config path the warning is at; it also covers everything below. @default - everywhere */
  readonly where?: string;
  /** Why the warning is fine for this config. */
  readonly reason: string;
}

/** `account`: what is shared by every API in the account and region. */
export interface AccountSpec {
  /** Create the region-wide API Gateway CloudWatch role here; exactly one stack per account and region should. @default false */
  readonly manageCloudWatchRole?: boolean;
  /** The daily check that disables API keys past their expiry or rotation grace period. @default - on, warns 14 days ahead */
  readonly keyExpiry?: KeyExpirySpec;
  /** Quotas in force for this account and region, when raised from AWS's defaults. @default - AWS's defaults */
  readonly quotas?: QuotasSpec;
  /** The stack's region; required with `edge.cloudfront`. @default - the stack's environment */
  readonly region?: string;
}

/** `account.keyExpiry`. */
export interface KeyExpirySpec {
  /** Created only when some gateway has usage plans. @default true */
  readonly enabled?: boolean;
  /** Days before expiry a key is reported as expiring, 1 to 365. @default 14 */
  readonly warningDays?: number;
}

/** `account.quotas`: raised service quotas the planner checks against. */
export interface QuotasSpec {
  /** API Gateway's account throttle. @default 10000 */
  readonly requestsPerSecond?: number;
  /** Resources per REST API. @default 300 */
  readonly resourcesPerApi?: number;
  /** HTTP APIs: routes per API (one per method and path). @default 300 */
  readonly routesPerApi?: number;
  /** HTTP APIs: integrations per API. @default 300 */
  readonly integrationsPerApi?: number;
  /** Characters of a REST API's resource policy (at least 8192). @default 8192 */
  readonly resourcePolicyChars?: number;
}

/** `gateways.<name>`: one API Gateway API with its stage, routes, auth, plans and edge protection. */
export interface GatewaySpec {
  /** `rest` (REST API: usage plans, WAF on the stage, validation) or `http` (HTTP API: cheaper, fewer features). @default rest */
  readonly flavor?: 'rest' | 'http';
  /** The API's description. @default - none */
  readonly description?: string;
  /** Endpoint type of the API. @default - REGIONAL */
  readonly endpoint?: EndpointSpec;
  /** The stage: name, throttle, tracing, logs. @default - prod, 1000 rps / 2000 burst, tracing and access logs on */
  readonly stage?: StageSpec;
  /** CORS for browsers. @default - no CORS */
  readonly cors?: CorsSpec;
  /** Dashboard and alarms. @default - a dashboard and the default alarms */
  readonly observability?: ObservabilitySpec;
  /** Token issuers the gateway trusts; routes opt in with `auth`. @default - no authorizer */
  readonly auth?: GatewayAuthSpec;
  /** CloudFront, WAF, mutual TLS and resource-policy IP rules in front of the API. @default - none */
  readonly edge?: EdgeSpec;
  /** A regional custom domain name (and base path) the stage is served at. @default - the execute-api URL only */
  readonly domain?: CustomDomainSpec;
  /** Headers carrying correlation ids upstream. @default - X-Request-ID and X-Gateway-Request-ID */
  readonly correlationId?: CorrelationIdSpec;
  /** Routes to services by path prefix; a gateway has at least one route or aggregate. @default [] */
  readonly routes?: RouteSpec[];
  /** BFF routes composed from several services. @default [] */
  readonly aggregates?: AggregateSpec[];
  /** Usage plans by name (REST): throttles and quotas per consumer. @default {} */
  readonly plans?: Record<string, UsagePlanSpec>;
  /** Consumers by name: each gets API keys (`gatehouse keys`) on its plans. @default {} */
  readonly consumers?: Record<string, ConsumerSpec>;
}

/** `gateways.<name>.endpoint`. */
export interface EndpointSpec {
  /** @default REGIONAL */
  readonly type?: 'REGIONAL' | 'EDGE' | 'PRIVATE';
  /** VPC endpoint ids (vpce-…) allowed to call a PRIVATE API. @default - none */
  readonly vpcEndpointIds?: string[];
}

/** `gateways.<name>.stage`. */
export interface StageSpec {
  /** Letters, digits and "_". @default prod */
  readonly name?: string;
  /** The stage's default throttle for every method. @default { rate: 1000, burst: 2000 } */
  readonly throttle?: ThrottleSpec;
  /** X-Ray tracing. @default true */
  readonly tracing?: boolean;
  /** JSON access logs to CloudWatch Logs. @default - on, kept 30 days */
  readonly accessLogs?: LogsSpec;
  /** Execution logging (REST only; needs the account's CloudWatch role). @default - ERROR on REST APIs */
  readonly executionLogs?: 'OFF' | 'ERROR' | 'INFO';
}

/** `gateways.<name>.cors`. */
export interface CorsSpec {
  /** Allowed origins: "*" or scheme://host[:port]. */
  readonly origins: string[];
  /** @default every method but ANY */
  readonly methods?: HttpMethod[];
  /** Allowed request headers. @default ['Content-Type', 'Authorization', 'X-Api-Key', 'X-Request-ID'] */
  readonly headers?: string[];
  /** Response headers the browser may read. @default ['X-Request-ID'] */
  readonly exposeHeaders?: string[];
  /** Allow cookies and Authorization from the browser (not with origin "*"). @default false */
  readonly credentials?: boolean;
  /** How long browsers cache a preflight, at most 86400. @default 600 */
  readonly maxAgeSeconds?: number;
}

/** `gateways.<name>.correlationId`. */
export interface CorrelationIdSpec {
  /** Header carrying the caller's correlation id, passed upstream unchanged. @default X-Request-ID */
  readonly header?: string;
  /** Header that always carries API Gateway's own request id upstream. @default X-Gateway-Request-ID */
  readonly gatewayHeader?: string;
}

/** One route: path prefixes of a gateway sent to a service. */
export interface RouteSpec {
  /** Label shown by `gatehouse explain`. @default - none */
  readonly name?: string;
  /** Name of an entry under `services`. */
  readonly service: string;
  /** Literal or templated paths (`/users/{id}`, `/files/{rest+}`); see `match`. */
  readonly paths: string[];
  /** `prefix`: each path and everything below it; `exact`: the path only. @default prefix */
  readonly match?: 'prefix' | 'exact';
  /** Methods, or ['ANY'] for all. @default ['ANY'] */
  readonly methods?: (HttpMethod | 'ANY')[];
  /** Remove the matched prefix before forwarding (Kong's strip_path). @default false */
  readonly stripPath?: boolean;
  /** Require an API key (x-api-key) of a consumer on one of the gateway's plans. @default false */
  readonly apiKey?: boolean;
  /** Per-route throttle of each of the route's methods on the stage. @default - the stage's */
  readonly throttle?: ThrottleSpec;
  /** Who may call the route; needs the gateway's `auth`. @default - anyone */
  readonly auth?: RouteAuthSpec;
  /** Exact limits per window and client (puts the route behind its service's proxy). @default - none */
  readonly rateLimit?: RateLimitSpec;
  /** Request validation by API Gateway. @default - none */
  readonly validate?: RouteValidateSpec;
  /** CloudFront caching of a GET route; needs `edge.cloudfront`. @default - not cached */
  readonly cache?: RouteCacheSpec;
}

/** `gateways.<name>.plans.<plan>`: an API Gateway usage plan. */
export interface UsagePlanSpec {
  /** @default - none */
  readonly description?: string;
  /** Throttle per API key. @default - the stage's */
  readonly throttle?: ThrottleSpec;
  /** Requests per key per period. @default - no quota */
  readonly quota?: QuotaSpec;
  /** Tighter throttles for some routes of this plan. @default [] */
  readonly routeThrottles?: RouteThrottleSpec[];
}

/** A usage plan's quota. */
export interface QuotaSpec {
  /** Requests per period. */
  readonly limit: number;
  readonly period: 'DAY' | 'WEEK' | 'MONTH';
}

/** A usage plan's throttle for some methods of one route path. */
export interface RouteThrottleSpec {
  /** A path of one of the gateway's routes. */
  readonly path: string;
  /** @default ['ANY'] */
  readonly methods?: (HttpMethod | 'ANY')[];
  readonly throttle: ThrottleSpec;
}

/** `gateways.<name>.consumers.<consumer>`: a client of the API with keys on some plans. */
export interface ConsumerSpec {
  /** @default - none */
  readonly description?: string;
  /** Plans this consumer's API key is attached to. */
  readonly plans: string[];
  /** @default true */
  readonly enabled?: boolean;
  /** With `auth.jwt.clientIdAsApiKey`: the JWT client id whose calls count against this consumer's plans. @default - none */
  readonly clientId?: string;
}
