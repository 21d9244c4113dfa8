// Cross-field rules of Lambda services: the function is where the stack is, and the payload version is one its gateways can send.
import type { RawIssue } from './errors';
import { lambdaArnOf, partitionOf } from './lambda-function';
import type { GatehouseSpec } from './schema';

/**
 * API Gateway invokes a function of its own region only: an integration URI names the API's region
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html), and a
 * Lambda permission's SourceArn the API's. So a function ARN must be in `account.region`, when the config says it,
 * and in that region's partition.
 */
export function checkLambdaServices(spec: GatehouseSpec): RawIssue[] {
  const issues: RawIssue[] = [];
  const region = spec.account.region;
  for (const [name, service] of Object.entries(spec.services)) {
    if (service.lambda === undefined) continue;
    const at = ['services', name];
    const arn = lambdaArnOf(service.lambda);
    if (arn && region && arn.partition !== partitionOf(region)) {
      issues.push({
        path: [...at, 'lambda'],
        message: `the function is in partition ${arn.partition}, but account.region ${region} is in ${partitionOf(region)}: API Gateway invokes functions of its own partition and region only`,
      });
    } else if (arn && region && arn.region !== region) {
      issues.push({
        path: [...at, 'lambda'],
        message: `the function is in ${arn.region}, not in account.region ${region}: API Gateway invokes functions of its own region only; deploy the function (or a copy) in ${region}, or fix the ARN`,
      });
    }
    if (service.clientCertificate) {
      issues.push({
        path: [...at, 'clientCertificate'],
        message: 'API Gateway invokes a Lambda service through IAM, with no TLS client handshake: remove clientCertificate',
      });
    }
    if (service.payload === '2.0') {
      const flavors = new Set(
        Object.values(spec.gateways)
          .filter((g) => usesService(g, name))
          .map((g) => g.flavor),
      );
      if (flavors.size > 0 && !flavors.has('http')) {
        issues.push({
          path: [...at, 'payload'],
          message:
            'only REST gateways reach this service, and a REST API always sends payload 1.0 to a Lambda (its proxy does the same): remove payload, or set "1.0"',
        });
      }
    }
  }
  return issues;
}

function usesService(gateway: GatehouseSpec['gateways'][string], service: string): boolean {
  return (
    gateway.routes.some((r) => r.service === service) ||
    gateway.aggregates.some((a) => Object.values(a.parts ?? {}).some((p) => p.service === service))
  );
}
