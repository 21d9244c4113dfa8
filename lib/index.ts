// Public API of the gatehouse package.
export { loadSpec, parseSpec, validateSpec } from './spec/load';
export { SpecError, type SpecIssue } from './spec/errors';
export type { GatehouseSpec, GatehouseSpecInput, GatewaySpec, ServiceSpec, RouteSpec, PlanSpec, ConsumerSpec, CorsSpec } from './spec/schema';
export { planSpec } from './plan/plan';
export { explainPlan } from './plan/explain';
export type { Plan, GatewayPlan, RoutePlan, PlanWarning, ProxyPlan, AggregatorPlan } from './plan/types';
export { Gatehouse, type GatehouseProps } from './constructs/gatehouse';
export { RestGateway, type RestGatewayProps } from './constructs/rest-gateway';
export { ApiGatewayCloudWatchRole } from './constructs/cloudwatch-role';
export { ResilientProxy, type ResilientProxyProps } from './constructs/resilient-proxy';
export { AggregatorFunction, type AggregatorFunctionProps } from './constructs/aggregator-function';
export { StateTable } from './constructs/state-table';
export type { ProxyConfig } from '../lambdas/proxy/config';
export type { AggregatorConfig } from '../lambdas/aggregator/config';
export { GatehouseStack, type GatehouseStackProps } from './stack';
export { addGatehouseChecks } from './checks';
export * as keys from './keys';
