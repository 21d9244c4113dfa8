// Stage 3 of the planner: what stands in front of a gateway's routes: its authorizer, CloudFront and WAF, resource policy, gateway responses and mutual TLS.
import { formatPath } from '../config/errors';
import type { GatehouseSpec } from '../config/schema';
import { issuerRestrictionWarnings, nativeJwtRestrictionIssues, planAuthorizer } from './authorizer';
import { planClientCertificate } from './client-certificate';
import { planEdge } from './edge';
import { lambdaAuthorizerReasons, planHttpLambdaAuthorizer, planNativeJwtAuthorizer } from './http';
import { gatewayResponseTypes } from './resources';
import type { ServicePlans } from './service-plan';
import type { GatewayEdge, GatewayRoutes, PlanFindings } from './stage-types';

export function planGatewayEdge(routed: GatewayRoutes, spec: GatehouseSpec, services: ServicePlans, findings: PlanFindings): GatewayEdge {
  const { name, gateway, routes } = routed;
  const { errors, warnings } = findings;
  if (gateway.flavor === 'http') {
    const httpAuthorizer = planNativeJwtAuthorizer(gateway, routes)
      ? 'native'
      : lambdaAuthorizerReasons(gateway, routes).length
        ? 'lambda'
        : undefined;
    if (httpAuthorizer === 'native') errors.push(...nativeJwtRestrictionIssues(name, gateway));
    warnings.push(...issuerRestrictionWarnings(name, gateway, routes));
    if (gateway.stage.executionLogs && gateway.stage.executionLogs !== 'OFF') {
      warnings.push({
        code: 'EXECUTION_LOGS_NOT_ON_HTTP',
        where: formatPath(['gateways', name, 'stage', 'executionLogs']),
        message: `HTTP APIs have no execution logs, so ${gateway.stage.executionLogs} is ignored; the access log carries the integration and authorizer errors (remove the line, or set OFF)`,
      });
    }
    // Resource-policy IPs and mTLS were rejected by the spec rules; CloudFront and its WAF are planned as on REST.
    const { edge, errors: edgeErrors, warnings: edgeWarnings } = planEdge(name, gateway, routes);
    errors.push(...edgeErrors);
    warnings.push(...edgeWarnings);
    return { ...routed, gatewayResponses: [], edge, httpAuthorizer, authorizer: planHttpLambdaAuthorizer(gateway, routes) };
  }
  warnings.push(...issuerRestrictionWarnings(name, gateway, routes));
  const { edge, errors: edgeErrors, warnings: edgeWarnings } = planEdge(name, gateway, routes, spec.account.quotas.resourcePolicyChars);
  errors.push(...edgeErrors);
  warnings.push(...edgeWarnings);
  const certificate = planClientCertificate(name, routes, services);
  errors.push(...certificate.issues);
  return {
    ...routed,
    gatewayResponses: gatewayResponseTypes(gateway, routes),
    edge,
    clientCertificate: certificate.plan,
    authorizer: planAuthorizer(gateway, routes),
  };
}
