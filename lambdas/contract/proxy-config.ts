// The resilient proxy's slice of the plan: one service on one gateway, baked into its bundle at synth and read once at init.
import type { CircuitBreakerConfig } from './circuit-breaker-config';
import type { RateLimitConfig } from './rate-limit-config';
import type { LambdaInvokeTarget } from './lambda-target';
import type { RetryPolicy } from './retry-policy';

/** A JSON value as YAML or JSON gives it. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** One upstream of the service: the unit that has its own breaker and weight. */
export interface ProxyTarget {
  /** Names the target in breaker keys, logs, metrics and version rules: `default` for a single `url`. */
  readonly name: string;
  /**
   * Base URL (http or https, no query); the request's upstream path is appended to it. For a Lambda
   * target, `lambdaTargetLabel(lambda)` (a label, never fetched).
   */
  readonly url: string;
  /** The target is this Lambda function, invoked with the AWS SDK, not `url`. */
  readonly lambda?: LambdaInvokeTarget;
  /** Share of the traffic no version rule pins, relative to the other targets' weights; 0 takes none. */
  readonly weight: number;
}

/**
 * Pins requests carrying a header or query value to one target, whatever the weights say. Query rules
 * are tried before header rules, each kind in the order given; the first that matches wins.
 */
export type VersionRule = HeaderVersionRule | QueryVersionRule;

/**
 * The header name is lower-case. For `accept`, the rule matches when any media range listed equals
 * `value` (case and parameters ignored); for any other header, when the trimmed value equals `value` ignoring case.
 */
export interface HeaderVersionRule {
  readonly header: string;
  readonly value: string;
  readonly target: string;
}

/** Matches when any value of query parameter `query` (its name compared exactly, as query names are case-sensitive) equals `value` exactly. */
export interface QueryVersionRule {
  readonly query: string;
  readonly value: string;
  readonly target: string;
}

/** Header, query or JSON field names per transformation, Kong's request-/response-transformer shape. */
export interface FieldOps<T> {
  readonly headers?: T;
  readonly querystring?: T;
  /** JSON body fields by dot path (`a.b`, `items[].secret`). */
  readonly json?: T;
}

/**
 * A transformation, applied in this order: remove, rename, replace (only if present), add (only if
 * absent), set (always), append (another value; headers and query only). Header names match case-insensitively.
 * JSON operations apply only to JSON bodies (`application/json`, `*+json`) that parse; other bodies pass untouched.
 */
export interface TransformOps<V> {
  readonly remove?: FieldOps<readonly string[]>;
  /** Old name → new name. */
  readonly rename?: FieldOps<Readonly<Record<string, string>>>;
  readonly replace?: FieldOps<Readonly<Record<string, V>>>;
  readonly add?: FieldOps<Readonly<Record<string, V>>>;
  readonly set?: FieldOps<Readonly<Record<string, V>>>;
  readonly append?: FieldOps<Readonly<Record<string, string>>>;
}

/**
 * A path rewrite: the first rule whose `match` fits the client's request path wins. Patterns are
 * whole paths with `{name}` for one segment and `{name+}` for the rest (one or more segments);
 * `to` reuses the names, and `{path.name}` takes a parameter of the route's path, URL-encoded.
 * A matching rule replaces `stripPath`.
 */
export interface PathRewrite {
  readonly match: string;
  readonly to: string;
}

export interface RequestTransform extends TransformOps<JsonValue> {
  readonly path?: readonly PathRewrite[];
}

export interface ResponseTransform extends Omit<TransformOps<JsonValue>, 'append'> {
  readonly append?: Omit<FieldOps<Readonly<Record<string, string>>>, 'querystring'>;
  /** Convert `application/xml` / `text/xml` bodies to JSON before the JSON operations. */
  readonly xmlToJson?: boolean;
}

export interface TransformConfig {
  readonly request?: RequestTransform;
  readonly response?: ResponseTransform;
}

/** Per-target circuit breaker settings plus where instances share state. */
export interface ProxyBreakerConfig extends CircuitBreakerConfig {
  /** Statuses counted as failures (timeouts and connection errors always are). */
  readonly failureStatuses: readonly number[];
  /** `dynamodb`: shared through the table named by env `GATEHOUSE_BREAKER_TABLE`; `memory`: per instance. */
  readonly store: 'dynamodb' | 'memory';
}

/** The response sent when the upstream cannot answer (open circuit, timeout, connection failure, 5xx after retries). */
export interface FallbackResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** For GET: serve the last good (2xx) response of the same URL while the upstream is failing. */
export interface LastGoodConfig {
  /** How long a kept response may be served, in seconds. */
  readonly ttlSeconds: number;
  /** Responses kept per instance (least recently used dropped first). */
  readonly maxEntries: number;
  /** Largest body kept, in bytes. */
  readonly maxBodyBytes: number;
  /** Lower-case request headers whose values are part of the key, besides Authorization, Cookie and X-Api-Key. */
  readonly varyHeaders: readonly string[];
  /** The service's GET answers are the same for every caller: keep them without a verified identity even when unmarked. */
  readonly sharedAnswers: boolean;
}

/** How one API Gateway resource of a route maps to the upstream path. */
export interface ProxyRoute {
  /**
   * The spec route's path as written, e.g. `/api/orders`, or a template such as `/api/users/{id}`
   * (`{name}` one segment, a last `{name+}` the rest), whose parameters are `{path.name}` in rewrites and transforms.
   */
  readonly prefix: string;
  /** Remove `prefix` (what a template matched) before forwarding. */
  readonly stripPath: boolean;
  /** Exact limits counted in the table named by env `GATEHOUSE_RATE_LIMIT_TABLE`, checked before the upstream is called. */
  readonly rateLimit?: RateLimitConfig;
  /** Request validation on an HTTP API (which validates nothing itself), checked after the rate limit, before the upstream. */
  readonly validate?: ProxyRouteValidation;
}

/** What a route requires of a request; `body` applies to POST, PUT and PATCH, as on REST APIs. */
export interface ProxyRouteValidation {
  /** A JSON Schema (draft 4) the JSON body must match. */
  readonly body?: Readonly<Record<string, unknown>>;
  /** Query parameters that must be present. */
  readonly query: readonly string[];
  /** Headers that must be present (any case). */
  readonly headers: readonly string[];
}

export interface ProxyCors {
  readonly origins: readonly string[];
  readonly credentials: boolean;
  readonly exposeHeaders: readonly string[];
}

export interface ProxyConfig {
  readonly gateway: string;
  readonly service: string;
  readonly targets: readonly ProxyTarget[];
  readonly versionRules: readonly VersionRule[];
  /** Deadline of each attempt, in ms; the planner keeps it (with retries) below the integration timeout. */
  readonly timeoutMs: number;
  /**
   * Deadline of the whole request (attempts, backoff, fallback), in ms: below API Gateway's
   * integration timeout so the client gets the proxy's 504 or fallback, not the gateway's.
   */
  readonly deadlineMs: number;
  readonly transform: TransformConfig;
  /** Absent: no breaker. */
  readonly circuitBreaker?: ProxyBreakerConfig;
  /** Absent: a single attempt. */
  readonly retry?: RetryPolicy;
  /** Most extra load retries may add, as a share of requests (0.1 = 10 %). */
  readonly retryBudgetRatio: number;
  readonly fallback?: FallbackResponse;
  readonly lastGood?: LastGoodConfig;
  /** Header added to a degraded answer (fallback or last good), e.g. `X-Gatehouse-Degraded: fallback`. */
  readonly degradedHeader: string;
  /** Keyed by `METHOD resourcePath` (`GET /api/orders/{proxy+}`), with `ANY resourcePath` as the catch-all. */
  readonly routes: Readonly<Record<string, ProxyRoute>>;
  /** Caller's correlation header: set to the gateway's request id when the client sent none. */
  readonly correlationHeader: string;
  /** Always carries API Gateway's request id upstream. */
  readonly gatewayRequestIdHeader: string;
  /**
   * Identity headers set from the authorizer's context (`sub`, `roles`, `scopes`, `clientId`) when the
   * request was authorized by a JWT, and removed otherwise so a client cannot spoof them.
   */
  readonly identityHeaders?: Readonly<{ userId: string; roles: string; scopes: string; clientId: string }>;
  /** CORS headers the proxy adds to the responses it returns (the upstream's own are kept). */
  readonly cors?: ProxyCors;
}

/** The constant the bundle's config is injected as (esbuild `define`). */
export const PROXY_CONFIG_GLOBAL = '__GATEHOUSE_PROXY_CONFIG__';

/** Environment variable naming the DynamoDB table of shared breaker state. */
export const BREAKER_TABLE_ENV = 'GATEHOUSE_BREAKER_TABLE';
