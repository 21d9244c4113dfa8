// What a user writes under `services`: upstreams and the resilience features that put a route behind the proxy Lambda.
// Checked against lib/config/service-schema.ts by test/config/spec-types.check.ts: a field added there must be added here.
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';

/** An HTTP status code, 100 to 599. */
export type HttpStatus = number;

/** A JSON value, as YAML or JSON gives it. */
export type JsonValue = unknown;

/** Per field kind, as Kong's request-/response-transformer names them. A type (not an interface) so it fits the schema's map. */
export type TransformFields<T> = {
  /** Request or response headers. */
  readonly headers?: T;
  /** Query string parameters (requests only). */
  readonly querystring?: T;
  /** Top-level fields of a JSON body. */
  readonly json?: T;
};

/** Response operations have no query string. */
export type ResponseTransformFields<T> = Omit<TransformFields<T>, 'querystring'>;

/** Changes to the request before it goes upstream; operations apply in the order listed here. */
export interface RequestTransformSpec {
  /** Names to remove. @default - nothing removed */
  readonly remove?: TransformFields<string[]>;
  /** Old name → new name. @default - nothing renamed */
  readonly rename?: TransformFields<Record<string, string>>;
  /** Values set only where the name is already present. @default - nothing replaced */
  readonly replace?: TransformFields<Record<string, JsonValue>>;
  /** Values set only where the name is absent. @default - nothing added */
  readonly add?: TransformFields<Record<string, JsonValue>>;
  /** Values set whether or not the name is present. @default - nothing set */
  readonly set?: TransformFields<Record<string, JsonValue>>;
  /** Values appended to headers or query parameters (kept alongside existing ones). @default - nothing appended */
  readonly append?: Omit<TransformFields<Record<string, string | number | boolean>>, 'json'>;
  /** Path rewrites, first match wins: `{ match: '/api/orders/{id}', to: '/v2/orders/{id}' }`. @default - the path is kept */
  readonly path?: PathRewriteSpec[];
}

/** One path rewrite of `transform.request.path`. */
export interface PathRewriteSpec {
  /** Path pattern with `{name}` placeholders, starting with "/". */
  readonly match: string;
  /** Rewritten path, using the placeholders of `match`. */
  readonly to: string;
}

/** Changes to the upstream's response before it goes back to the client. */
export interface ResponseTransformSpec {
  /** Names to remove. @default - nothing removed */
  readonly remove?: ResponseTransformFields<string[]>;
  /** Old name → new name. @default - nothing renamed */
  readonly rename?: ResponseTransformFields<Record<string, string>>;
  /** Values set only where the name is already present. @default - nothing replaced */
  readonly replace?: ResponseTransformFields<Record<string, JsonValue>>;
  /** Values set only where the name is absent. @default - nothing added */
  readonly add?: ResponseTransformFields<Record<string, JsonValue>>;
  /** Values set whether or not the name is present. @default - nothing set */
  readonly set?: ResponseTransformFields<Record<string, JsonValue>>;
  /** Values appended to response headers. @default - nothing appended */
  readonly append?: { readonly headers?: Record<string, string | number | boolean> };
  /** Turn XML upstream bodies into JSON (then the json operations apply). @default false */
  readonly xmlToJson?: boolean;
}

/** `services.<name>.transform`. */
export interface TransformSpec {
  /** @default - the request goes upstream unchanged */
  readonly request?: RequestTransformSpec;
  /** @default - the response comes back unchanged */
  readonly response?: ResponseTransformSpec;
}

/** Header names to values, plus `query`: query parameter names to values. */
export interface VersionMatchSpec {
  readonly query?: Readonly<Record<string, string>>;
  readonly [header: string]: string | Readonly<Record<string, string>> | undefined;
}

/** One upstream of a service with several (`targets`). */
export interface TargetSpec {
  /** Names the target in logs, metrics and breaker state. @default t<index> */
  readonly name?: string;
  /** The target's base URL (http:// or https://, no query or fragment). */
  readonly url: string;
  /** Relative share of the traffic that no `match` pins; 0 makes it reachable by `match` only. @default 1 */
  readonly weight?: number;
  /**
   * Version routing: a request with any of these header values, or any of the query values under `query`
   * (`query: { version: '2' }` for `?version=2`), goes here; query pins are checked before header pins. @default - weight only
   */
  readonly match?: VersionMatchSpec;
}

/** When to stop calling a failing upstream for a while and fail fast (or serve `fallback`). */
export interface CircuitBreakerSpec {
  /** Opens at this share of failed requests in the window, in percent. @default 50 */
  readonly failureRate?: number;
  /** Requests the window must hold before the rate counts. @default 20 */
  readonly minimumRequests?: number;
  /** Length of the window the failure rate is measured over. @default 30 */
  readonly windowSeconds?: number;
  /** How long an open circuit fails fast before probing. @default 30 */
  readonly openSeconds?: number;
  /** Probes a half-open circuit lets through at once (per instance). @default 1 */
  readonly halfOpenProbes?: number;
  /** Upstream statuses counted as failures (timeouts and connection errors always are). @default - every 5xx */
  readonly failureStatuses?: HttpStatus[];
  /** `shared`: one state for every Lambda instance (DynamoDB); `local`: each instance decides alone. @default shared */
  readonly state?: 'shared' | 'local';
}

/** Retries of idempotent requests (or ones with an Idempotency-Key). */
export interface RetriesSpec {
  /** Retries after the first attempt. @default 2 */
  readonly attempts?: number;
  /** Cap of the first backoff (full jitter), doubling per retry. @default 50 */
  readonly baseDelayMs?: number;
  /** Largest backoff. @default 1000 */
  readonly maxDelayMs?: number;
  /** Upstream statuses worth another attempt (400–599). @default [502, 503, 504] */
  readonly onStatuses?: HttpStatus[];
  /** Most extra load retries may add, in percent of requests. @default 10 */
  readonly budgetPercent?: number;
}

/** The answer when the upstream fails (or its circuit is open). */
export interface FallbackSpec {
  /** @default 503 */
  readonly status?: HttpStatus;
  /** Response headers. @default {} */
  readonly headers?: Record<string, string>;
  /** A JSON body (sent as application/json); give this or `body`. @default - no body */
  readonly json?: JsonValue;
  /** A text body (Content-Type from `headers`, text/plain by default). @default - no body */
  readonly body?: string;
}

/** GET only: serve the last good response while the upstream fails. */
export interface LastGoodSpec {
  /** How long a response stays servable once stored. */
  readonly ttlSeconds: number;
  /** Responses kept per Lambda instance. @default 100 */
  readonly maxEntries?: number;
  /** Largest response body kept. @default 256 */
  readonly maxBodyKb?: number;
  /** Request headers that select the caller's own answer, besides the upstream's `Vary`. @default [] */
  readonly varyHeaders?: string[];
  /** The service's GET answers are the same for every caller, so any may be kept on routes without gateway auth. @default false */
  readonly sharedAnswers?: boolean;
}

/** The Lambda function behind a service's proxy (or an aggregate). */
export interface FunctionSpec {
  /** Memory, which also sets the CPU share. @default 256 */
  readonly memoryMb?: number;
  /** Concurrency reserved for (and capping) the function. @default - the account's unreserved pool */
  readonly reservedConcurrency?: number;
  /** Place the function in a VPC to reach internal upstreams. @default - not in a VPC */
  readonly vpc?: FunctionVpcSpec;
}

/** Subnets and security groups of a function placed in a VPC. */
export interface FunctionVpcSpec {
  /** subnet-… ids. */
  readonly subnetIds: string[];
  /** sg-… ids. */
  readonly securityGroupIds: string[];
}

/** An upstream service: one `url`, several `targets`, or a `lambda` function. */
export interface ServiceSpec {
  /** Upstream base URL; the route's path (after stripPath) is appended to it. Give this or `targets`. @default - targets */
  readonly url?: string;
  /** Several upstreams: weighted (canary, blue/green) and/or pinned by header (versions). @default - url */
  readonly targets?: TargetSpec[];
  /** A service inside a VPC, reached through a VPC link; `url` is then the Host and path it expects. @default - reached over the internet */
  readonly private?: PrivateServiceSpec;
  /**
   * The upstream is a Lambda function, invoked through an `AWS_PROXY` integration (or by the proxy, when the service
   * needs it): its ARN, name, or `name:alias`/`name:version`; in TypeScript also a `lambda.IFunction`, `IAlias` or
   * `IVersion`. Give this or `url`/`targets`. @default - url or targets
   */
  readonly lambda?: string | IFunction;
  /** The event version a Lambda service receives on HTTP APIs ("1.0" or "2.0"); REST APIs always send "1.0". @default "2.0" */
  readonly payload?: '1.0' | '2.0';
  /** Deadline of one upstream call (with retries: of each attempt), 50 to 29000. @default 10000 */
  readonly timeoutMs?: number;
  /** Free text shown by `gatehouse explain`. @default - none */
  readonly description?: string;
  /** Accept an http:// upstream reached across the internet (tokens and identity headers then travel in clear). @default false */
  readonly allowPlaintext?: boolean;
  /** REST APIs: present the API's client certificate to this https:// upstream on direct routes. @default false */
  readonly clientCertificate?: boolean;
  /** Header, query and JSON body changes (needs the proxy). @default - none */
  readonly transform?: TransformSpec;
  /** Fail fast while the upstream is failing (needs the proxy). @default - no breaker */
  readonly circuitBreaker?: CircuitBreakerSpec;
  /** Retries of idempotent requests (needs the proxy). @default - no retries */
  readonly retries?: RetriesSpec;
  /** What to answer when the upstream fails. @default - an honest 502/503/504 */
  readonly fallback?: FallbackSpec;
  /** GET only: serve the last good response while the upstream fails. @default - off */
  readonly lastGood?: LastGoodSpec;
  /** The service's proxy Lambda, when its routes need one. @default - 256 MB, no reserved concurrency, no VPC */
  readonly proxy?: FunctionSpec;
}

/**
 * `services.<name>.private`: where a service inside a VPC is. REST APIs reach an NLB (`nlb`) through an
 * AWS::ApiGateway::VpcLink; HTTP APIs reach a `listener` (ALB or NLB) or a `cloudMap` service through an
 * AWS::ApiGatewayV2::VpcLink. One link is created per distinct target set per stack, unless `vpcLink` reuses one.
 */
export interface PrivateServiceSpec {
  /** The Network Load Balancer in front of the service (REST APIs). @default - listener or cloudMap */
  readonly nlb?: string | elbv2.INetworkLoadBalancer;
  /** HTTP APIs: the ALB or NLB listener in front of the service. @default - nlb or cloudMap */
  readonly listener?: string | elbv2.IApplicationListener | elbv2.INetworkListener;
  /** HTTP APIs: the Cloud Map service the service's instances are registered in. @default - nlb or listener */
  readonly cloudMap?: string | servicediscovery.IService;
  /** An existing VPC link's id to reuse. @default - one link per distinct target set is created in the stack */
  readonly vpcLink?: string;
  /** Subnets of the HTTP API VPC link, and of the proxy Lambda when the service's routes need one. @default - none (required for an HTTP link created here) */
  readonly subnets?: (string | ec2.ISubnet)[];
  /** Security groups of the HTTP API VPC link, and of the proxy Lambda. @default - none (the proxy Lambda then needs proxy.vpc) */
  readonly securityGroups?: (string | ec2.ISecurityGroup)[];
}
