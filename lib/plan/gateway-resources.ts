// Stage 4, per gateway: the API's unique name, its functions' metric names and alarms, what it costs in CloudFormation, and the HTTP API's route quotas.
import { aggregatorServiceName } from '../../lambdas/contract/aggregator-metrics';
import { authorizerServiceName } from '../../lambdas/contract/authorizer-metrics';
import { proxyServiceName } from '../../lambdas/contract/proxy-metrics';
import { formatPath } from '../config/errors';
import type { GatehouseSpec } from '../config/schema';
import { CLIENT_CERTIFICATE_RESOURCES } from './client-certificate';
import { httpApiCounts, httpControlPlaneCalls, httpGatewayResources } from './http';
import { observabilityExtraResources, planGatewayObservability, uniqueApiName } from './observability';
import { directLambdaFunctions, proxyResources, restControlPlaneCalls, restGatewayResources } from './resources';
import type { GatewayDraft, GatewayEdge, PlanFindings } from './stage-types';

export function planGatewayResources(
  edged: GatewayEdge,
  spec: GatehouseSpec,
  stackName: string | undefined,
  findings: PlanFindings,
): GatewayDraft {
  const { name, gateway, routes, proxies, aggregators, edge } = edged;
  let fixed: number;
  let controlPlaneCalls: number;
  if (gateway.flavor === 'http') {
    fixed =
      httpGatewayResources(gateway, [...proxies, ...aggregators], edged.httpAuthorizer) +
      directLambdaFunctions(routes).length +
      (edge?.stackResources ?? 0);
    const counts = httpApiCounts(routes, proxies.length + aggregators.length);
    for (const [what, used, quota, field] of [
      ['routes', counts.routes, spec.account.quotas.routesPerApi, 'routesPerApi'],
      ['integrations', counts.integrations, spec.account.quotas.integrationsPerApi, 'integrationsPerApi'],
    ] as const) {
      if (used > quota) {
        const path = ['gateways', name, 'routes'];
        const message = `the HTTP API needs ${used} ${what}, over its ${quota} ${what}-per-API quota (one route per method and path, greedy paths included); spread the routes over several gateways, or request an increase in Service Quotas and set account.quotas.${field}`;
        findings.errors.push({ path, where: formatPath(path), message });
      }
    }
    // One import of the body, the stage, and the API mapping of a custom domain (as explain counts them).
    controlPlaneCalls = httpControlPlaneCalls(gateway.domain ? 1 : 0);
  } else {
    fixed =
      (edged.clientCertificate ? CLIENT_CERTIFICATE_RESOURCES : 0) +
      restGatewayResources(gateway, routes) +
      directLambdaFunctions(routes).length +
      [...proxies, ...aggregators].reduce((sum, p) => sum + proxyResources(p, gateway.stage.tracing), 0) +
      (edge?.stackResources ?? 0);
    controlPlaneCalls = restControlPlaneCalls(gateway);
  }
  // Names the API and its functions' metrics uniquely per stack, and plans the alarms and saved queries of the
  // gateway's features (whose resources join its fixed cost).
  const apiName = uniqueApiName(name, stackName);
  const namedProxies = proxies.map((p) => ({ ...p, serviceName: proxyServiceName(apiName, p.service) }));
  const namedAggregators = aggregators.map((a) => ({ ...a, serviceName: aggregatorServiceName(apiName, a.config.route) }));
  const authorizer = edged.authorizer && { ...edged.authorizer, serviceName: authorizerServiceName(apiName) };
  const observability = planGatewayObservability({
    gateway: name,
    apiName,
    spec: gateway.observability,
    accessLogs: gateway.stage.accessLogs.enabled,
    proxies: namedProxies,
    aggregators: namedAggregators,
    authorizer,
    edge,
    region: spec.account.region,
  });
  return {
    name,
    gateway,
    routes,
    gatewayResponses: edged.gatewayResponses,
    proxies: namedProxies,
    aggregators: namedAggregators,
    edge,
    fixed: fixed + observabilityExtraResources(observability, gateway.observability.alarms.enabled),
    controlPlaneCalls,
    ...(edged.clientCertificate ? { clientCertificate: edged.clientCertificate } : {}),
    apiName,
    authorizer,
    observability,
  };
}
