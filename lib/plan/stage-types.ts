// What the planner's stages hand each other: a gateway after its routes, after its edge, and as a costed draft; and the findings they all add to.
import type { SpecIssue } from '../config/errors';
import type { GatewaySpec } from '../config/schema';
import type { EdgePlan } from './edge-types';
import type { GatewayObservabilityPlan } from './observability';
import type { AggregatorPlan, GatewayResponseType, RestGatewayPlan, JwtAuthorizerPlan, PlanWarning, ProxyPlan, RoutePlan } from './types';

/** The errors and warnings of a planning run, in the order the stages find them (the plan lists them so). */
export interface PlanFindings {
  readonly errors: SpecIssue[];
  readonly warnings: PlanWarning[];
}

/** Stage 2's output: a gateway's routes (aggregates last) with their integrations, and the Lambdas that serve them. */
export interface GatewayRoutes {
  readonly name: string;
  readonly gateway: GatewaySpec;
  readonly routes: RoutePlan[];
  readonly proxies: ProxyPlan[];
  readonly aggregators: AggregatorPlan[];
}

/** Stage 3's output: what stands in front of the routes (authorizer, CloudFront and WAF, gateway responses, mTLS). */
export interface GatewayEdge extends GatewayRoutes {
  readonly gatewayResponses: GatewayResponseType[];
  readonly edge?: EdgePlan;
  readonly clientCertificate?: RestGatewayPlan['clientCertificate'];
  /** HTTP APIs: which authorizer the routes need. */
  readonly httpAuthorizer?: 'native' | 'lambda';
  /** The Lambda authorizer, not yet named after the API. */
  readonly authorizer?: JwtAuthorizerPlan;
}

/** Stage 4's per-gateway output: a gateway's names, observability and costs, worked out once before the stack-wide checks. */
export interface GatewayDraft {
  readonly name: string;
  readonly gateway: GatewaySpec;
  readonly routes: RoutePlan[];
  readonly gatewayResponses: GatewayResponseType[];
  readonly proxies: ProxyPlan[];
  readonly aggregators: AggregatorPlan[];
  readonly edge?: EdgePlan;
  /** Resources the gateway costs (all of them: routes cost none on REST, and HTTP counts its own). */
  readonly fixed: number;
  /** API Gateway control-plane calls of a first deploy (REST; the HTTP planner counts its own). */
  readonly controlPlaneCalls: number;
  readonly clientCertificate?: RestGatewayPlan['clientCertificate'];
  /** The API's unique name, and what names its functions' metrics. */
  readonly apiName: string;
  readonly authorizer?: JwtAuthorizerPlan;
  readonly observability: GatewayObservabilityPlan;
}
