// The names and invocation URIs of a REST gateway's Lambdas as its definition writes them, decided before any function exists.
import { gatewayFunctionNames, lambdaFunctionArn, lambdaInvocationUri, lambdaServiceArn, type ArnContext } from '../function-names';
import type { GatewayPlan } from '../../plan/types';
import type { RestFunctionUris } from './operations';

export { IMPORT_VARIABLES, type ArnContext } from '../function-names';

/** Physical names of the gateway's Lambdas, so the definition can name them without a reference to them. */
export interface RestFunctionNames {
  readonly proxies: Readonly<Record<string, string>>;
  readonly aggregators: Readonly<Record<string, string>>;
  readonly authorizer?: string;
  /** The function of each Lambda service the routes call directly, by service name, as the spec gives it (ARN, name or token). */
  readonly lambdaServices: Readonly<Record<string, string>>;
}

/** The shared names, less the origin-verify authorizer (REST gateways behind CloudFront check the header with WAF). */
export function restFunctionNames(stackName: string, plan: GatewayPlan): RestFunctionNames {
  const { proxies, aggregators, authorizer } = gatewayFunctionNames(stackName, plan);
  const lambdaServices = Object.fromEntries(
    plan.routes.flatMap((r) => (r.integration.kind === 'lambda-function' ? [[r.integration.service, r.integration.function]] : [])),
  );
  return { proxies, aggregators, authorizer, lambdaServices };
}

export function restFunctionUris(names: RestFunctionNames, arn: ArnContext): RestFunctionUris {
  const uri = (fn: string) => lambdaInvocationUri(arn, lambdaFunctionArn(arn, fn));
  const each = (byName: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(byName).map(([k, fn]) => [k, uri(fn)]));
  return {
    proxies: each(names.proxies),
    aggregators: each(names.aggregators),
    authorizer: names.authorizer && uri(names.authorizer),
    lambdaServices: Object.fromEntries(
      Object.entries(names.lambdaServices).map(([service, fn]) => [service, lambdaInvocationUri(arn, lambdaServiceArn(arn, fn))]),
    ),
  };
}
