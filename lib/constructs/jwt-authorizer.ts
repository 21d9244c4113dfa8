// JwtAuthorizer: the function of one REST API's jose Lambda REQUEST authorizer, bundled at synth with its plan baked in.
// The authorizer itself is part of the API's definition (x-amazon-apigateway-authorizer), which names this function.
import { Aws, Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { authorizerDefine } from '../../lambdas/contract/authorizer-define';
import { authorizerServiceName } from '../../lambdas/contract/authorizer-metrics';
import type { JwtAuthorizerPlan } from '../plan/types';
import { createHandlerFunction, type HandlerFunction } from './handler-function';

export interface JwtAuthorizerProps {
  readonly api: apigw.IRestApi;
  readonly plan: JwtAuthorizerPlan;
  /** Name of the gateway, for the function's description and service name. */
  readonly gatewayName: string;
  /**
   * The function's physical name: the API's definition names the function, so it must be known before deploy.
   * @default - a name CloudFormation generates
   */
  readonly functionName?: string;
  /**
   * Retention of the function's log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

export class JwtAuthorizer extends Construct {
  public readonly function: lambda.Function;
  public readonly logGroup: logs.LogGroup;
  /** Minified bundle size in bytes, as built at synth. */
  public readonly bundleBytes: number;

  constructor(scope: Construct, id: string, props: JwtAuthorizerProps) {
    super(scope, id);
    const handler = createAuthorizerFunction(this, props.plan, `gateway "${props.gatewayName}"`, props.gatewayName, props.logRetention);
    this.function = handler.function;
    this.logGroup = handler.logGroup;
    this.bundleBytes = handler.bundleBytes;
    if (props.functionName) (this.function.node.defaultChild as lambda.CfnFunction).functionName = props.functionName;
    // One permission for the API's authorizers, never one per method.
    this.function.addPermission('InvokeByApiGateway', {
      principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      sourceArn: `arn:${Aws.PARTITION}:execute-api:${Aws.REGION}:${Aws.ACCOUNT_ID}:${props.api.restApiId}/authorizers/*`,
    });
  }
}

/** The authorizer's function, for a REST or an HTTP API: the plan's config baked in, the plan's timeout. */
export function createAuthorizerFunction(
  scope: Construct,
  plan: JwtAuthorizerPlan,
  /** Completes "Gatehouse JWT authorizer of …". */
  of: string,
  gatewayName: string,
  logRetention?: logs.RetentionDays,
): HandlerFunction {
  return createHandlerFunction(scope, {
    handler: 'authorizer/handler',
    define: authorizerDefine(plan.config),
    description: `Gatehouse JWT authorizer of ${of}`,
    serviceName: plan.serviceName ?? authorizerServiceName(gatewayName),
    timeout: Duration.seconds(plan.timeoutSeconds),
    tracing: true,
    logRetention,
  });
}
