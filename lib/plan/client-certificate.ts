// The REST stage's client certificate: which services' direct routes present it, and the routes that could not.
import { formatPath, type SpecIssue } from '../config/errors';
import type { ServicePlans } from './service-plan';
import type { RestGatewayPlan, RoutePlan } from './types';

/** AWS::ApiGateway::ClientCertificate. */
export const CLIENT_CERTIFICATE_RESOURCES = 1;

/**
 * API Gateway presents the stage's certificate on its own HTTP integrations only; a route served by the
 * resilient proxy (or an aggregator) reaches the upstream from a Lambda, which has no such certificate.
 */
export function planClientCertificate(
  gateway: string,
  routes: readonly RoutePlan[],
  servicePlans: ServicePlans,
): { plan?: RestGatewayPlan['clientCertificate']; issues: SpecIssue[] } {
  const wanting = routes.filter((r) => r.integration.kind !== 'aggregator' && servicePlans.get(r.service)?.clientCertificate);
  const issues = wanting
    .filter((r) => r.integration.kind === 'lambda-proxy')
    .map((r) => {
      const path = ['gateways', gateway, 'routes', r.routeIndex, 'service'];
      return {
        path,
        where: formatPath(path),
        message: `route ${r.path} goes through the resilient proxy of "${r.service}", which calls the upstream itself and cannot present the gateway's client certificate: drop the proxy features of this route and service, or remove clientCertificate`,
      };
    });
  const services = [...new Set(wanting.filter((r) => r.integration.kind === 'http-proxy').map((r) => r.service))];
  return { plan: services.length ? { services } : undefined, issues };
}
