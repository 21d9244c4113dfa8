// Public API of the gatehouse package: the constructs, the typed config, its loader and planner, checks and errors.
//
// The product is `Gatehouse` (any scope) and `GatehouseStack` (a stack holding one). The constructs a Gatehouse
// builds per gateway (RestGateway, HttpGateway, EdgeProtection, ...) take slices of the internal plan as props,
// so they are exported as types only: reach them through `gatehouse.gateways`, `gatehouse.edges`, ...
// Constructs whose props are in domain terms are exported to use alone.

// Constructs
export { Gatehouse, type GatehouseProps } from './constructs/gatehouse';
export { GatehouseStack, type GatehouseStackProps } from './stack';
export { GatewayApi, type GatewayApiProps } from './constructs/gateway-api';
export { ApiGatewayCloudWatchRole } from './constructs/cloudwatch-role';
export { StateTable } from './constructs/state-table';
export type { RestGateway } from './constructs/rest-gateway';
export type { HttpGateway } from './constructs/http-gateway';
export type { HttpLambdaAuthorizer } from './constructs/http-lambda-authorizer';
export type { ResilientProxy } from './constructs/resilient-proxy';
export type { AggregatorFunction } from './constructs/aggregator-function';
export type { KeyExpiry } from './constructs/key-expiry';
export type { CustomDomain } from './constructs/custom-domain';
export type { EdgeProtection } from './constructs/edge/edge-protection';
export type { WebAcl } from './constructs/edge/web-acl';
export type { EdgeDistribution } from './constructs/edge/edge-distribution';

// cdk-nag checks (cdk-nag is an optional peer dependency, loaded only when a check is added)
export { addGatehouseChecks, addAppWideChecks, type GatehouseChecksOptions } from './checks';

// The config: what a user writes (named, documented interfaces), and reading and validating it
export type * from './config/types';
export type { GatehouseSpec as ResolvedGatehouseSpec } from './config/schema';
export { loadConfig, parseConfig, validateConfig } from './config/load';
/** @deprecated since 0.2: renamed `loadConfig`, `parseConfig`, `validateConfig` (the config module moved to lib/config); these aliases go in the next release. */
export { loadConfig as loadSpec, parseConfig as parseSpec, validateConfig as validateSpec } from './config/load';

// Errors: ConfigError from the loader; constructs throw aws-cdk-lib ValidationErrors (test with Errors.isValidationError)
export { ConfigError, isInvalidSpecError, INVALID_SPEC_CODE, type SpecIssue } from './config/errors';
/** @deprecated since 0.2: renamed `ConfigError`; this alias goes in the next release. */
export { ConfigError as SpecError } from './config/errors';
export { GatehouseSpecError } from './constructs/validation-error';

// The plan: what is built and why (`gatehouse explain`, `gatehouse.plan`)
export { planSpec } from './plan/plan';
export { explainPlan } from './plan/explain';
export type { Plan, GatewayPlan, RestGatewayPlan, HttpGatewayPlan, RoutePlan, PlanWarning, ProxyPlan, AggregatorPlan } from './plan/types';
export { isRestGateway, isHttpGateway } from './plan/types';
export type { VpcLinkPlan } from './plan/vpc-links';
export type { RenderedVpcLink } from './constructs/vpc-links';

// The API definitions the gateways deploy (`gatehouse export openapi`)
export { renderRestDefinition, type RestFunctionUris, type SwaggerDocument } from './openapi/rest';
export { renderHttpOpenApi, type OpenApiDocument, type HttpOpenApiOptions } from './openapi/http/document';
export type { HttpFunctionRefs } from './openapi/http/integrations';
export { exportOpenApi, ExportError } from './openapi/export';
export type { EdgePlan, WebAclPlan, WafRulePlan, CloudfrontPlan } from './plan/edge-types';
export { CAPABILITIES, type Capability } from './plan/capabilities';

// API keys of consumers (what `gatehouse keys` runs)
export * as keys from './keys';
