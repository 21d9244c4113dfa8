// Lambda services behind a gateway: one invoke permission per function per API, invoke grants for the Lambdas that call them, and the S3-body limit on tokens.
import { Aws, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { lambdaServiceArn, type ArnContext } from '../openapi/function-names';
import type { GatewayPlan } from '../plan/types';
import { pascal } from '../plan/naming';
import { invalidProps } from './validation-error';

/** Where the stack's own ARNs get their partition, region and account (CloudFormation's pseudo parameters). */
const STACK_ARNS: ArnContext = { partition: Aws.PARTITION, region: Aws.REGION, account: Aws.ACCOUNT_ID };

/** The ARN a Lambda service's function is invoked by, in the stack's template. */
export function lambdaServiceFunctionArn(fn: string): string {
  return lambdaServiceArn(STACK_ARNS, fn);
}

/**
 * One `AWS::Lambda::Permission` per function the gateway's routes invoke directly, for every route and method of the
 * API (never one per method), scoped to the API by its execute-api ARN. The permission names the function exactly as
 * the integration invokes it: a permission on an alias or version covers invocations of that qualifier only
 * (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html). Ids come from the first service
 * (by name) that names the function, never from positions. Returns the permissions by function.
 */
export function allowApiToInvokeLambdaServices(scope: Construct, plan: GatewayPlan, apiId: string): Record<string, lambda.CfnPermission> {
  const servicesByFunction = new Map<string, Set<string>>();
  for (const route of plan.routes) {
    if (route.integration.kind !== 'lambda-function') continue;
    const services = servicesByFunction.get(route.integration.function) ?? new Set<string>();
    servicesByFunction.set(route.integration.function, services.add(route.integration.service));
  }
  const out: Record<string, lambda.CfnPermission> = {};
  for (const [fn, services] of servicesByFunction) {
    const first = [...services].sort()[0]!;
    out[fn] = new lambda.CfnPermission(scope, `${pascal(first)}LambdaInvoke`, {
      action: 'lambda:InvokeFunction',
      functionName: lambdaServiceFunctionArn(fn),
      principal: 'apigateway.amazonaws.com',
      // As allowInvokeByApi: the partition from the pseudo parameter, so aws-cn and aws-us-gov work too.
      sourceArn: `arn:${Aws.PARTITION}:execute-api:${Aws.REGION}:${Aws.ACCOUNT_ID}:${apiId}/*/*/*`,
    });
  }
  return out;
}

/**
 * `lambda:InvokeFunction` on exactly the functions a proxy or aggregator invokes (`ApiFunctionPlan.invokes`): the ARN
 * it calls, qualified when the service names an alias or version, and nothing else.
 */
export function grantInvokeLambdaServices(fn: lambda.Function, invokes: readonly string[] | undefined): void {
  if (!invokes?.length) return;
  fn.addToRolePolicy(
    new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [...new Set(invokes.map(lambdaServiceFunctionArn))] }),
  );
}

/**
 * A definition kept in S3 is read by API Gateway, never by CloudFormation, so it cannot hold a CDK token: a Lambda
 * service given as a construct (or its ARN token) needs the inline body, or a literal ARN or name.
 */
export function checkNoTokenLambdaServices(scope: Construct, plan: GatewayPlan, kind: 'RestGateway' | 'HttpGateway'): void {
  const tokens = [
    ...new Set(
      plan.routes.flatMap((r) =>
        r.integration.kind === 'lambda-function' && Token.isUnresolved(r.integration.function) ? [r.integration.service] : [],
      ),
    ),
  ];
  if (!tokens.length) return;
  throw invalidProps(
    scope,
    `${kind} "${plan.name}": its API definition is too large to inline and goes to S3, which CloudFormation does not resolve, but services.${tokens.join(', services.')}.lambda ` +
      'is a function known only at deploy (a CDK token): give that function a fixed functionName and write it as a literal name or ARN, or spread the routes over several gateways so the definition stays inline',
  );
}
