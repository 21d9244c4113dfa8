// Stage 2 of the planner: a gateway's routes and aggregates from the service plans, their request validation, and the proxies that serve them.
import type { GatehouseSpec, GatewaySpec } from '../config/schema';
import { planAggregates } from './aggregates';
import { withValidation } from './edge';
import { httpRoutes } from './http';
import { planProxies } from './proxy';
import { planRoutes } from './routes';
import type { ServicePlans } from './service-plan';
import type { GatewayRoutes, PlanFindings } from './stage-types';

export function planGatewayRoutes(
  name: string,
  gateway: GatewaySpec,
  spec: GatehouseSpec,
  services: ServicePlans,
  findings: PlanFindings,
): GatewayRoutes {
  const aggregates = planAggregates(name, gateway, spec, services);
  findings.errors.push(...aggregates.issues);
  findings.warnings.push(...aggregates.warnings);
  // Validation belongs to the route: on an HTTP API it is what sends the route through the proxy, which checks it.
  // Every route is operations in the API's definition: no CloudFormation resource per route or method.
  const planned = [...withValidation(planRoutes(gateway, services), gateway, name), ...aggregates.routes];
  // The spec rules rejected what an HTTP API lacks (keys, resource policy): see capabilities.ts.
  const routes = gateway.flavor === 'http' ? httpRoutes(planned, gateway) : planned;
  return { name, gateway, routes, proxies: planProxies(name, gateway, services, routes), aggregators: aggregates.aggregators };
}
