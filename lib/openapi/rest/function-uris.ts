// The names and invocation URIs of a REST gateway's Lambdas as its definition writes them, decided before any function exists.
import { createHash } from 'node:crypto';
import type { GatewayPlan } from '../../plan/types';
import type { RestFunctionUris } from './operations';

/** Lambda's limit on a function name. */
const FUNCTION_NAME_MAX = 64;

/** Where the definition's ARNs get their partition, region and account. */
export interface ArnContext {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * The variables API Gateway itself resolves when it imports a definition
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/import-api-aws-variables.html): what a definition
 * kept in S3 uses, since CloudFormation resolves nothing in a BodyS3Location file.
 */
export const IMPORT_VARIABLES: ArnContext = { partition: '${AWS::Partition}', region: '${AWS::Region}', account: '${AWS::AccountId}' };

/** Physical names of the gateway's Lambdas, so the definition can name them without a reference to them. */
export interface RestFunctionNames {
  readonly proxies: Readonly<Record<string, string>>;
  readonly aggregators: Readonly<Record<string, string>>;
  readonly authorizer?: string;
}

export function restFunctionNames(stackName: string, plan: GatewayPlan): RestFunctionNames {
  const name = (...parts: string[]) => functionName([stackName, plan.name, ...parts]);
  return {
    proxies: Object.fromEntries(plan.proxies.map((p) => [p.service, name('proxy', p.service)])),
    aggregators: Object.fromEntries(plan.aggregators.map((a) => [a.name, name('aggregate', a.name)])),
    authorizer: plan.authorizer ? name('authorizer') : undefined,
  };
}

export function restFunctionUris(names: RestFunctionNames, arn: ArnContext): RestFunctionUris {
  const uri = (fn: string) =>
    `arn:${arn.partition}:apigateway:${arn.region}:lambda:path/2015-03-31/functions/arn:${arn.partition}:lambda:${arn.region}:${arn.account}:function:${fn}/invocations`;
  const each = (byName: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(byName).map(([k, fn]) => [k, uri(fn)]));
  return { proxies: each(names.proxies), aggregators: each(names.aggregators), authorizer: names.authorizer && uri(names.authorizer) };
}

/** `stack-gateway-kind-name` in Lambda's alphabet; past 64 characters, cut and suffixed with a hash of the whole, so names stay unique. */
function functionName(parts: readonly string[]): string {
  const full = parts.map((p) => p.replace(/[^A-Za-z0-9-_]+/g, '-')).join('-');
  if (full.length <= FUNCTION_NAME_MAX) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, FUNCTION_NAME_MAX - hash.length - 1)}-${hash}`;
}
