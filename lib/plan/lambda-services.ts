// Lambda services in the plan: the invoke target the proxy, the aggregator and a direct AWS_PROXY route get, the payload version per flavor, and their warnings.
import { lambdaTargetLabel, type LambdaInvokeTarget } from '../../lambdas/contract/lambda-target';
import { formatPath } from '../config/errors';
import type { GatehouseSpec, ServiceSpec } from '../config/schema';
import type { GatewayPlan, PlanWarning } from './types';

/**
 * The event version a Lambda service receives on a gateway of `flavor`. A REST API's Lambda proxy integration
 * sends 1.0 only; an HTTP API sends 1.0 or 2.0, 2.0 unless the service says otherwise
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 * The proxy and the aggregator send the same version, so the function sees one event shape per gateway.
 */
export function lambdaPayload(service: ServiceSpec, flavor: 'rest' | 'http'): '1.0' | '2.0' {
  return flavor === 'rest' ? '1.0' : (service.payload ?? '2.0');
}

/** The function the proxy or aggregator invokes for a Lambda service, or undefined for an HTTP service. */
export function lambdaInvokeTarget(service: ServiceSpec, flavor: 'rest' | 'http'): LambdaInvokeTarget | undefined {
  return service.lambda === undefined ? undefined : { functionName: service.lambda, payload: lambdaPayload(service, flavor) };
}

/** A Lambda service's target as the proxy's `targets` list holds it: its `url` is a label, never fetched. */
export function lambdaProxyTarget(target: LambdaInvokeTarget): { name: string; url: string; lambda: LambdaInvokeTarget; weight: number } {
  return { name: 'default', url: lambdaTargetLabel(target), lambda: target, weight: 1 };
}

/** Why a direct route to a Lambda service needs no Gatehouse Lambda, in the words `explain` prints. */
export const LAMBDA_FUNCTION_REASON =
  "direct Lambda proxy (AWS_PROXY): API Gateway invokes the service's function itself, with one invoke permission per function per API; no Gatehouse Lambda is in the path";

/**
 * `payload: "2.0"` on a service that REST gateways reach too: those send 1.0 (a REST-only one is a config error), so
 * the function gets both shapes and must read both.
 */
export function lambdaPayloadWarnings(spec: GatehouseSpec): PlanWarning[] {
  return Object.entries(spec.services).flatMap(([name, service]) => {
    if (service.lambda === undefined || service.payload !== '2.0') return [];
    const reaches = (g: GatehouseSpec['gateways'][string]) =>
      g.routes.some((r) => r.service === name) || g.aggregates.some((a) => Object.values(a.parts ?? {}).some((p) => p.service === name));
    const rest = Object.entries(spec.gateways)
      .filter(([, g]) => g.flavor === 'rest' && reaches(g))
      .map(([g]) => g);
    if (rest.length === 0) return [];
    return [
      {
        code: 'LAMBDA_PAYLOAD_PER_FLAVOR',
        where: formatPath(['services', name, 'payload']),
        message: `REST gateway(s) ${rest.join(', ')} send this function payload 1.0 (the only version a REST API has), HTTP gateways 2.0: the function must read both event shapes, or give it a REST and an HTTP service of its own`,
      },
    ];
  });
}

/**
 * `stripPath` shortens the path API Gateway appends to an upstream URL; a direct Lambda route has no URL, and the event
 * carries the caller's full path (`path` in 1.0, `rawPath` in 2.0), so the setting does nothing there.
 */
export function lambdaStripPathWarnings(gateways: readonly GatewayPlan[]): PlanWarning[] {
  return gateways.flatMap((g) => {
    const indices = [...new Set(g.routes.filter((r) => r.integration.kind === 'lambda-function' && r.stripPath).map((r) => r.routeIndex))];
    return indices.map((index) => ({
      code: 'STRIP_PATH_NOT_FOR_LAMBDA',
      where: formatPath(['gateways', g.name, 'routes', index, 'stripPath']),
      message:
        "the route invokes a Lambda service directly, whose event carries the caller's full path: stripPath changes nothing; remove it, or strip the prefix in the function",
    }));
  });
}
