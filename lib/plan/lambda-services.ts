// Lambda services in the plan: the direct AWS_PROXY integration, the invoke target the proxy and aggregator get, and the payload version per flavor.
import { lambdaTargetLabel, type LambdaInvokeTarget } from '../../lambdas/shared/lambda-target';
import type { ServiceSpec } from '../spec/schema';
import type { LambdaFunctionIntegration } from './types';

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

export function lambdaFunctionIntegration(name: string, service: ServiceSpec, flavor: 'rest' | 'http'): LambdaFunctionIntegration {
  return { kind: 'lambda-function', service: name, function: service.lambda!, payload: lambdaPayload(service, flavor), timeoutMs: service.timeoutMs };
}

/** Why a direct route to a Lambda service needs no Gatehouse Lambda, in the words `explain` prints. */
export const LAMBDA_FUNCTION_REASON =
  "direct Lambda proxy (AWS_PROXY): API Gateway invokes the service's function itself, with one invoke permission per function per API; no Gatehouse Lambda is in the path";
