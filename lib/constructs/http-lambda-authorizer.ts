// HttpLambdaAuthorizer: the function of the jose Lambda authorizer on one HTTP API; the authorizer itself (simple responses, cached per token and route key) is a security scheme of the API's OpenAPI body.
import { Aws } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_SECRET_ENV } from '../../lambdas/contract/origin-verify';
import type { JwtAuthorizerPlan } from '../plan/types';
import { createAuthorizerFunction } from './jwt-authorizer';
import { invalidProps } from './validation-error';

export interface HttpLambdaAuthorizerProps {
  readonly api: apigwv2.IHttpApi;
  readonly plan: JwtAuthorizerPlan;
  /** Name of the gateway, for the function's description and service name. */
  readonly gatewayName: string;
  /**
   * The function's physical name: an API body kept in S3 names the function, so it must be known before deploy.
   * @default - a name CloudFormation generates
   */
  readonly functionName?: string;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Behind CloudFront: the secret whose value the origin-verify header (named in the plan's config) must carry,
   * checked before the token.
   * @default - no origin check
   */
  readonly originVerifySecret?: secretsmanager.ISecret;
}

export class HttpLambdaAuthorizer extends Construct {
  public readonly function: lambda.Function;
  public readonly logGroup: logs.LogGroup;
  /** Minified bundle size in bytes, as built at synth. */
  public readonly bundleBytes: number;

  constructor(scope: Construct, id: string, props: HttpLambdaAuthorizerProps) {
    super(scope, id);
    const handler = createAuthorizerFunction(
      this,
      props.plan,
      `HTTP gateway "${props.gatewayName}"`,
      props.gatewayName,
      props.logRetention,
    );
    this.function = handler.function;
    this.logGroup = handler.logGroup;
    this.bundleBytes = handler.bundleBytes;
    if (props.functionName) (this.function.node.defaultChild as lambda.CfnFunction).functionName = props.functionName;
    const originHeader = props.plan.config.originVerify?.header;
    if (Boolean(originHeader) !== Boolean(props.originVerifySecret)) {
      throw invalidProps(
        this,
        `HttpLambdaAuthorizer "${props.gatewayName}": the plan's originVerify and the originVerifySecret prop go together`,
      );
    }
    if (props.originVerifySecret) {
      this.function.addEnvironment(ORIGIN_VERIFY_SECRET_ENV, props.originVerifySecret.secretArn);
      props.originVerifySecret.grantRead(this.function);
    }

    allowInvokeAsAuthorizer(this.function, props.api);
  }
}

/**
 * The function's one invoke permission for the API's authorizers (never one per route), scoped to the API:
 * the authorizer's id is assigned by the OpenAPI import, so the permission names `authorizers/*` of this API.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
export function allowInvokeAsAuthorizer(fn: lambda.Function, api: apigwv2.IHttpApi): void {
  fn.addPermission('InvokeByApiGateway', {
    principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    sourceArn: `arn:${Aws.PARTITION}:execute-api:${Aws.REGION}:${Aws.ACCOUNT_ID}:${api.apiId}/authorizers/*`,
  });
}
