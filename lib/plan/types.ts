// Plan: pure data saying what to build per gateway and route, and why; render and explain both read it.
import type { DomainPlan } from './domains';
import type { AggregatorConfig } from '../../lambdas/contract/aggregator-config';
import type { AuthorizerConfig } from '../../lambdas/contract/authorizer-config';
import type { ProxyConfig } from '../../lambdas/contract/proxy-config';
import type { ObservabilitySpec } from '../config/observability-schema';
import type { CorsSpec, HttpMethod, UsagePlanSpec, ConsumerSpec, ThrottleSpec } from '../config/schema';
import type { EdgePlan, RouteValidationPlan } from './edge-types';
import type { GatewayObservabilityPlan } from './observability-types';

export type PlanMethod = HttpMethod | 'ANY';

/** API Gateway's HTTP proxy straight to the upstream: no Lambda in the path. */
export interface HttpProxyIntegration {
  readonly kind: 'http-proxy';
  /** Upstream URL for the exact path. */
  readonly uri: string;
  /** Upstream URL for everything below the path; `{proxy}` is filled from the greedy path parameter. */
  readonly greedyUri: string;
  readonly timeoutMs: number;
  /**
   * Integration request headers set by the gateway, as API Gateway mapping expressions
   * (`context.requestId`, `context.authorizer.sub`, or the quoted static `'-'` that overwrites an identity header a client might spoof).
   */
  readonly headers: Readonly<Record<string, string>>;
  /** A private service reached through a VPC link (`services.<name>.private`). @default - over the internet */
  readonly vpcLink?: PrivateIntegrationPlan;
}

/** How a direct route reaches a private service: through which VPC link, to which target. */
export interface PrivateIntegrationPlan {
  /** Key of the `Plan.vpcLinks` entry. */
  readonly link: string;
  /** An existing link's id (`private.vpcLink`); otherwise the renderer takes the id of the link the stack creates. */
  readonly connectionId?: string;
  readonly target: 'nlb' | 'listener' | 'cloudMap';
  /**
   * The NLB (REST), or the listener or Cloud Map service (HTTP: the integration's `uri`) the route reaches. Part of
   * the deployment fingerprint, so a REST stage is redeployed when its link's target changes (the link is replaced).
   */
  readonly targetArn: string;
  /** HTTP APIs, https:// upstreams: the host name the upstream's certificate is verified against (tlsConfig). */
  readonly serverName?: string;
}

/** The service's resilient proxy Lambda (Lambda proxy integration, payload 1.0). */
export interface LambdaProxyIntegration {
  readonly kind: 'lambda-proxy';
  /** The service whose proxy function (one per gateway) serves the route. */
  readonly service: string;
  /** Upstream base URLs, for `explain`. */
  readonly upstreams: readonly string[];
  /** API Gateway's integration timeout: the proxy's deadline plus the margin it needs to answer. */
  readonly timeoutMs: number;
}

/** An aggregate's own aggregator Lambda (Lambda proxy integration, payload 1.0): parts called in parallel, one merged answer. */
export interface AggregatorIntegration {
  readonly kind: 'aggregator';
  /** The aggregate's name: its function is `GatewayPlan.aggregators` entry of that name. */
  readonly aggregate: string;
  /** Part names, for `explain`. */
  readonly parts: readonly string[];
  /** API Gateway's integration timeout: the aggregate's deadline plus the margin it needs to answer. */
  readonly timeoutMs: number;
}

/** The service's own Lambda function, called by API Gateway directly (AWS_PROXY): no Gatehouse Lambda in the path. */
export interface LambdaFunctionIntegration {
  readonly kind: 'lambda-function';
  /** The service whose `lambda` this is. */
  readonly service: string;
  /** The function as the spec gives it: an ARN, a name or `name:qualifier` (of this account and region), or a CDK token. */
  readonly function: string;
  /** The event version API Gateway sends: always 1.0 on REST APIs, `payload` (default 2.0) on HTTP APIs. */
  readonly payload: '1.0' | '2.0';
  readonly timeoutMs: number;
}

export type RouteIntegration = HttpProxyIntegration | LambdaProxyIntegration | AggregatorIntegration | LambdaFunctionIntegration;

export interface RouteFeatures {
  readonly apiKey: boolean;
  /** Usage plans whose keys can call this route (only when apiKey is on). */
  readonly plans: readonly string[];
  readonly throttle?: ThrottleSpec;
  /** Preflight answered by the gateway (an OPTIONS mock on both resources of the route). */
  readonly cors: boolean;
  /** `jwt`: the gateway's Lambda authorizer must allow the call. */
  readonly auth: 'none' | 'jwt';
  /** Scopes all required, with auth jwt. */
  readonly scopes: readonly string[];
  /** Roles of which one is required, with auth jwt. */
  readonly roles: readonly string[];
  /** Names of the trusted issuers whose tokens it accepts, with auth jwt. @default - every trusted issuer */
  readonly issuers?: readonly string[];
  readonly cache: 'off';
  /** Request validation by API Gateway (validators and models), when the route has `validate`. */
  readonly validation?: RouteValidationPlan;
}

/** One path of one spec route: the unit that becomes API Gateway resources and methods. */
export interface RoutePlan {
  /** Stable id of the route within the plan: `<index>-<path>` (routes are no CloudFormation resources, so no logical id derives from it). */
  readonly id: string;
  readonly routeIndex: number;
  readonly name?: string;
  readonly service: string;
  readonly path: string;
  /** API Gateway resource paths this route owns methods on: the path itself and its greedy child (an aggregate: the path only). */
  readonly resourcePaths: readonly string[];
  /**
   * The implicit `{proxy+}` child among `resourcePaths` (`match: prefix`): its requests reach a direct upstream at
   * the integration's `greedyUri`, the route's own path at `uri`. @default - none (`match: exact`, a path that ends
   * greedy itself such as `/files/{rest+}`, an aggregate)
   */
  readonly greedyChild?: string;
  /** Methods the route serves, as configured. */
  readonly methods: readonly PlanMethod[];
  /** Methods the API serves on each of the route's paths: exactly the configured ones. */
  readonly apiMethods: readonly PlanMethod[];
  /** Why the methods are rendered the way they are. */
  readonly methodsReason: string;
  readonly stripPath: boolean;
  readonly integration: RouteIntegration;
  readonly features: RouteFeatures;
  /** Why this integration was chosen, in a sentence `explain` prints. */
  readonly reason: string;
}

/** What a Lambda keeps in the stack's DynamoDB state table; its grants and environment follow from it. */
export interface StateTableUses {
  /** Circuit-breaker state shared across instances. */
  readonly breaker: boolean;
  /** Rate-limit counters. */
  readonly rateLimit: boolean;
}

/** What every Lambda behind an API (a proxy, an aggregator) is sized, placed and timed with. */
export interface ApiFunctionPlan {
  readonly memoryMb: number;
  readonly reservedConcurrency?: number;
  readonly vpc?: { readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] };
  /** What the function keeps in the stack's state table (`usesStateTable` says whether it needs it at all). */
  readonly stateUses: StateTableUses;
  /** The most a request waits on the breaker and counter tables, outside its deadline (`sharedStateWaitMs`). */
  readonly stateWaitMs: number;
  /** Integration timeout of the routes it serves, in ms: deadline + `stateWaitMs` + answer margin. */
  readonly integrationTimeoutMs: number;
  /**
   * POWERTOOLS_SERVICE_NAME: the `service` dimension of its metrics, named after the API's unique name so two
   * stacks' functions never share a metric. @default - named after the gateway (a plan made outside `planSpec`)
   */
  readonly serviceName?: string;
  /**
   * Lambda services it invokes with the AWS SDK (as `LambdaInvokeTarget.functionName` names them): its role may
   * call `lambda:InvokeFunction` on these functions only. @default - none
   */
  readonly invokes?: readonly string[];
}

/** The resilient proxy of one service on one gateway: its function and what it is baked with. */
export interface ProxyPlan extends ApiFunctionPlan {
  readonly service: string;
  readonly config: ProxyConfig;
  /** The service's features that need the proxy. */
  readonly reasons: readonly string[];
}

/** The aggregator Lambda of one aggregate on one gateway: its function and what it is baked with. */
export interface AggregatorPlan extends ApiFunctionPlan {
  /** The aggregate's name (unique in the gateway). */
  readonly name: string;
  /** Id of the aggregate's RoutePlan. */
  readonly routeId: string;
  /** `<gateway>.<aggregate>` whose parts this one reuses. */
  readonly from?: string;
  readonly config: AggregatorConfig;
  /** For each part, the parts whose answers its path uses. */
  readonly dependencies: Readonly<Record<string, readonly string[]>>;
  /** How the deadline was chosen, for `explain`. */
  readonly deadlineReason: string;
  readonly reasons: readonly string[];
}

export interface ResourceEstimate {
  /** CloudFormation resources in the gateway's own stack. */
  readonly stackResources: number;
  /** API Gateway control-plane calls CloudFormation makes at a first deploy (create and read per API Gateway resource, one import of the definition). */
  readonly controlPlaneCalls: number;
  /** Rough template size of the gateway's own stack, in bytes (the synth summary measures the real one). */
  readonly stackBytesEstimate: number;
}

/** A REST API's estimate: its resources (paths) count against a per-API quota. */
export interface RestResourceEstimate extends ResourceEstimate {
  /** API Gateway resources (paths) in the API, counted against the per-API quota. */
  readonly apiResources: number;
}

/** What both flavors' stages are configured with. */
export interface StagePlan {
  /** The configured stage name: a REST stage's name; an HTTP API serves on `$default` (the dashboard is still named after it). */
  readonly name: string;
  readonly throttle: ThrottleSpec;
  readonly tracing: boolean;
  readonly accessLogs: { readonly enabled: boolean; readonly retentionDays: number };
}

/** A REST stage: execution logs and per-method throttles. */
export interface RestStagePlan extends StagePlan {
  readonly executionLogs: 'OFF' | 'ERROR' | 'INFO';
  /**
   * Routes' own throttles as stage method settings, by `<resource path>/<METHOD>` (`*` for ANY): one per resource
   * path and method of each route with a `throttle`.
   */
  readonly methodThrottles: Readonly<Record<string, ThrottleSpec>>;
}

/** An HTTP API's `$default` stage: no execution logs (a configured level was warned about), per-route throttles. */
export interface HttpStagePlan extends StagePlan {
  /** Routes' own throttles as stage route settings, by route key (`GET /api/users`), for each route with a `throttle`. */
  readonly routeThrottles: Readonly<Record<string, ThrottleSpec>>;
}

/** What a gateway's plan holds whichever flavor it is: renderers narrow on `flavor` (`isRestGateway`, `isHttpGateway`) for the rest. */
export interface GatewayPlanBase {
  readonly name: string;
  /** The API's name in API Gateway, unique per stack (`<stack>-<gateway>`): REST metrics, alarms and dashboards key on it. */
  readonly apiName: string;
  /** `rest`: API Gateway REST API (RestGateway); `http`: HTTP API (HttpGateway). See capabilities.ts. */
  readonly flavor: 'rest' | 'http';
  readonly description?: string;
  readonly stage: StagePlan;
  readonly cors?: CorsSpec;
  readonly correlationId: { readonly header: string; readonly gatewayHeader: string };
  readonly routes: readonly RoutePlan[];
  /** One resilient proxy function per service whose routes need one. */
  readonly proxies: readonly ProxyPlan[];
  /** One aggregator function per aggregate; each aggregate is also a route (integration kind `aggregator`). */
  readonly aggregators: readonly AggregatorPlan[];
  /**
   * Dashboard and alarms, as configured; `throttledAlarm` is off when access logs (its source) are. `alarmPlans`
   * lists every alarm the gateway's features call for (created when `alarms.enabled`), `queries` its saved Logs Insights queries.
   */
  readonly observability: ObservabilitySpec & { readonly throttledAlarm: boolean } & GatewayObservabilityPlan;
  /**
   * The Gatehouse JWT Lambda authorizer: on REST, when any route requires a JWT; on HTTP, when the native JWT
   * authorizer cannot serve the JWT routes.
   */
  readonly authorizer?: JwtAuthorizerPlan;
  /** CloudFront, web ACLs and resource-policy IP lists, when the gateway has an `edge` section. */
  readonly edge?: EdgePlan;
  /**
   * Whether the API's own execute-api URL answers: off with mutual TLS (calls there would skip the certificate
   * check) and when `domain.executeApiEndpoint` is false.
   */
  readonly executeApiEndpoint: boolean;
  readonly estimate: ResourceEstimate;
  /** Hash of everything a deployment snapshots; part of the Deployment's logical id (REST), the document's version (HTTP). */
  readonly deploymentFingerprint: string;
}

/** A REST API (`flavor: rest`): endpoint types, usage plans and keys, gateway responses, validators and a resource policy. */
export interface RestGatewayPlan extends GatewayPlanBase {
  readonly flavor: 'rest';
  readonly endpoint: { readonly type: 'REGIONAL' | 'EDGE' | 'PRIVATE'; readonly vpcEndpointIds: readonly string[] };
  readonly stage: RestStagePlan;
  readonly estimate: RestResourceEstimate;
  /** Media types API Gateway hands to Lambda proxies as base64 (all, when the gateway has proxy routes, so binary bodies round-trip). */
  readonly binaryMediaTypes: readonly string[];
  readonly plans: Readonly<Record<string, UsagePlanSpec>>;
  /** Each usage plan's route throttles, by `/resource/path/METHOD` (UsagePlan.ApiStages[].Throttle keys): its `routeThrottles` on both paths of each keyed route. */
  readonly planThrottles: Readonly<Record<string, Readonly<Record<string, ThrottleSpec>>>>;
  readonly consumers: Readonly<Record<string, ConsumerSpec>>;
  /** Where API keys come from: the x-api-key header, or the JWT authorizer (the token's client id). */
  readonly apiKeySource: 'HEADER' | 'AUTHORIZER';
  /**
   * Gateway responses the API overrides: DEFAULT_4XX/5XX to carry CORS headers, UNAUTHORIZED for
   * RFC 6750's 401, ACCESS_DENIED for a 403 that does not name the API's ARN.
   */
  readonly gatewayResponses: readonly GatewayResponseType[];
  /**
   * The services whose direct routes get the stage's client certificate (`services.<name>.clientCertificate`).
   * @default - no client certificate
   */
  readonly clientCertificate?: { readonly services: readonly string[] };
}

/** An HTTP API (`flavor: http`): one `$default` stage, the native JWT authorizer where it suffices. */
export interface HttpGatewayPlan extends GatewayPlanBase {
  readonly flavor: 'http';
  readonly stage: HttpStagePlan;
  /** The HTTP API's native JWT authorizer, when any route requires a JWT and it can serve them (else `authorizer`). */
  readonly nativeJwtAuthorizer?: NativeJwtAuthorizerPlan;
}

/** One gateway's plan, by flavor. */
export type GatewayPlan = RestGatewayPlan | HttpGatewayPlan;

export function isRestGateway(plan: GatewayPlan): plan is RestGatewayPlan {
  return plan.flavor === 'rest';
}

export function isHttpGateway(plan: GatewayPlan): plan is HttpGatewayPlan {
  return plan.flavor === 'http';
}

export type GatewayResponseType =
  'DEFAULT_4XX' | 'DEFAULT_5XX' | 'UNAUTHORIZED' | 'ACCESS_DENIED' | 'BAD_REQUEST_BODY' | 'BAD_REQUEST_PARAMETERS';

export interface JwtAuthorizerPlan {
  /** What the handler is baked with, as is: `issuers[].jwks` holds the keys of each issuer's `jwksFile`. */
  readonly config: AuthorizerConfig;
  /** Issuer → the JWKS file its baked keys were read from. */
  readonly jwksFiles: Readonly<Record<string, string>>;
  /** The function's timeout: a JWKS fetch plus discovery with room to log and answer (`jwks.timeoutMs`). */
  readonly timeoutSeconds: number;
  /** API Gateway's cache of the authorizer's policy, per Authorization header value. */
  readonly cacheTtlSeconds: number;
  /** Set when the planner turned the cache off although the config asked for one. */
  readonly cacheOffReason?: string;
  /** POWERTOOLS_SERVICE_NAME of its function (see `ApiFunctionPlan.serviceName`). @default - named after the gateway */
  readonly serviceName?: string;
  readonly reason: string;
}

/** An HTTP API's built-in JWT authorizer: one issuer, its audiences; scopes are set per route. */
export interface NativeJwtAuthorizerPlan {
  readonly issuer: string;
  readonly audiences: readonly string[];
  readonly reason: string;
}

export interface PlanWarning {
  readonly code: string;
  readonly where: string;
  readonly message: string;
  /** The config file and position of `where`, when the spec was loaded from a file. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/** A warning silenced by the config's `acknowledge:` list, with the reason given there. */
export interface AcknowledgedWarning extends PlanWarning {
  readonly reason: string;
}

export interface Plan {
  readonly manageCloudWatchRole: boolean;
  /** Whether the stack creates the alarm topic: some gateway alarms without a topic of its own, or key expiry is on. */
  readonly sharedAlarmTopic: boolean;
  /** The key-expiry function, when enabled and some gateway has usage plans. */
  readonly keyExpiry?: { readonly warningDays: number };
  /** Whether the stack creates the DynamoDB table of state shared across Lambda instances (breakers). */
  readonly stateTable: boolean;
  /** The per-API resource quota checked against (account.quotas.resourcesPerApi). */
  readonly resourcesPerApi: number;
  /** The HTTP API quotas checked against (account.quotas.routesPerApi, account.quotas.integrationsPerApi). */
  readonly httpApiQuotas: { readonly routesPerApi: number; readonly integrationsPerApi: number };
  /** CloudFormation resources in the stack. */
  readonly stackResources: number;
  readonly stackBytesEstimate: number;
  /** The us-east-1 stack holding CloudFront web ACLs, when some gateway has CloudFront with a waf section. */
  readonly edgeStack?: { readonly region: 'us-east-1'; readonly resources: number };
  /** Regional custom domains, each mapped to the gateways that name it. */
  readonly domains: readonly DomainPlan[];
  /** VPC links of the stack's private services: one per distinct target set, shared by every route and gateway that uses it. */
  readonly vpcLinks: readonly VpcLinkPlan[];
  readonly gateways: readonly GatewayPlan[];
  readonly warnings: readonly PlanWarning[];
  /** Warnings the config acknowledged (`acknowledge:`), kept out of `warnings`. */
  readonly acknowledged: readonly AcknowledgedWarning[];
}

/** A VPC link the stack creates (or an existing one it reuses), shared by every route of every gateway that reaches its targets. */
export interface VpcLinkPlan {
  /** Stable name: the kind and the first service (by name) that uses it; the construct id derives from it. */
  readonly key: string;
  /**
   * `v1`: REST APIs' AWS::ApiGateway::VpcLink, targeting NLBs. `v2`: HTTP APIs' AWS::ApiGatewayV2::VpcLink, an
   * interface into subnets through which listeners and Cloud Map services are reached.
   */
  readonly version: 'v1' | 'v2';
  /** An existing link's id (`private.vpcLink`): nothing is created. */
  readonly existingId?: string;
  /** v1: the NLBs the link targets. */
  readonly targetArns: readonly string[];
  /** v2: the link's subnets and security groups. */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** Services reached through it. */
  readonly services: readonly string[];
  /** `<gateway> <path>` of every route that uses it. */
  readonly routes: readonly string[];
}
