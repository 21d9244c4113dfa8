// Public API of the gatehouse package.
export { loadSpec, parseSpec, validateSpec } from './spec/load';
export { SpecError, type SpecIssue } from './spec/errors';
export type { GatehouseSpec, GatehouseSpecInput, GatewaySpec, ServiceSpec, RouteSpec, PlanSpec, ConsumerSpec, CorsSpec } from './spec/schema';
export { planSpec } from './plan/plan';
export { explainPlan } from './plan/explain';
export type { Plan, GatewayPlan, RoutePlan, PlanWarning } from './plan/types';
export { Gatehouse, type GatehouseProps } from './constructs/gatehouse';
export { RestGateway, type RestGatewayProps } from './constructs/rest-gateway';
export { ApiGatewayCloudWatchRole } from './constructs/cloudwatch-role';
export { GatehouseStack, type GatehouseStackProps } from './stack';
export { addGatehouseChecks } from './checks';
export * as keys from './keys';
export { EdgeProtection, type EdgeProtectionProps } from './constructs/edge/edge-protection';
export { WebAcl, type WebAclProps } from './constructs/edge/web-acl';
export { EdgeDistribution, type EdgeDistributionProps } from './constructs/edge/edge-distribution';
export type { EdgeSpec, WafSpec, CloudfrontSpec, MtlsSpec } from './spec/edge-schema';
export type { EdgePlan, WebAclPlan, WafRulePlan, CloudfrontPlan } from './plan/edge-types';
