// The physical names of a gateway's Lambdas and the ARNs an API definition names them by, decided before any function exists (REST and HTTP alike).
import { createHash } from 'node:crypto';
import { Token } from 'aws-cdk-lib';
import type { GatewayPlan } from '../plan/types';

/** Lambda's limit on a function name. */
const FUNCTION_NAME_MAX = 64;

/** Where a definition's ARNs get their partition, region and account. */
export interface ArnContext {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * The variables API Gateway itself resolves when it imports a definition
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/import-api-aws-variables.html, whose example is an
 * OpenAPI 3.0 document): what a definition kept in S3 uses, since CloudFormation resolves nothing in a file that
 * `BodyS3Location` names.
 */
export const IMPORT_VARIABLES: ArnContext = { partition: '${AWS::Partition}', region: '${AWS::Region}', account: '${AWS::AccountId}' };

/** Physical names of a gateway's Lambdas, so its definition can name them without a reference to them. */
export interface GatewayFunctionNames {
  readonly proxies: Readonly<Record<string, string>>;
  readonly aggregators: Readonly<Record<string, string>>;
  /** The Gatehouse JWT Lambda authorizer. */
  readonly authorizer?: string;
  /** The origin-verify Lambda authorizer of an HTTP gateway behind CloudFront. */
  readonly originVerifyAuthorizer?: string;
}

export function gatewayFunctionNames(stackName: string, plan: GatewayPlan): GatewayFunctionNames {
  const name = (...parts: string[]) => functionName([stackName, plan.name, ...parts]);
  const originVerify = plan.edge?.cloudfront?.originVerify;
  return {
    proxies: Object.fromEntries(plan.proxies.map((p) => [p.service, name('proxy', p.service)])),
    aggregators: Object.fromEntries(plan.aggregators.map((a) => [a.name, name('aggregate', a.name)])),
    authorizer: plan.authorizer ? name('authorizer') : undefined,
    originVerifyAuthorizer:
      originVerify?.enforcedBy === 'lambda-authorizers' && originVerify.originAuthorizer ? name('origin-verify') : undefined,
  };
}

/** Every name of `names`, for uniqueness checks. */
export function allFunctionNames(names: GatewayFunctionNames): string[] {
  return [
    ...Object.values(names.proxies),
    ...Object.values(names.aggregators),
    ...[names.authorizer, names.originVerifyAuthorizer].filter((n): n is string => n !== undefined),
  ];
}

/** The ARN of the function named `name`. */
export function lambdaFunctionArn(arn: ArnContext, name: string): string {
  return `arn:${arn.partition}:lambda:${arn.region}:${arn.account}:function:${name}`;
}

/**
 * The ARN of a Lambda service's function as the spec gives it: an ARN (or a CDK token, which only a typed spec holds and
 * which must stand for an ARN) as it is; a name or `name:qualifier` as that function of the API's own account and region.
 */
export function lambdaServiceArn(arn: ArnContext, fn: string): string {
  return fn.startsWith('arn:') || Token.isUnresolved(fn) ? fn : lambdaFunctionArn(arn, fn);
}

/** The Lambda invocation URI API Gateway calls a function by (integrations and authorizers alike). */
export function lambdaInvocationUri(arn: Pick<ArnContext, 'partition' | 'region'>, functionArn: string): string {
  return `arn:${arn.partition}:apigateway:${arn.region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
}

/** `stack-gateway-kind-name` in Lambda's alphabet; past 64 characters, cut and suffixed with a hash of the whole, so names stay unique. */
function functionName(parts: readonly string[]): string {
  const full = parts.map((p) => p.replace(/[^A-Za-z0-9-_]+/g, '-')).join('-');
  if (full.length <= FUNCTION_NAME_MAX) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, FUNCTION_NAME_MAX - hash.length - 1)}-${hash}`;
}
