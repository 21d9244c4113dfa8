// HttpLambdaAuthorizer: the jose Lambda authorizer on one HTTP API, with simple responses (payload 2.0), cached per token and route key.
import { Aws } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_SECRET_ENV } from '../../lambdas/origin-verify/names';
import type { JwtAuthorizerPlan } from '../plan/types';
import { createAuthorizerFunction } from './jwt-authorizer';

export interface HttpLambdaAuthorizerProps {
  readonly api: apigwv2.IHttpApi;
  readonly plan: JwtAuthorizerPlan;
  /** Name of the gateway, for the function's description and service name. */
  readonly gatewayName: string;
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
  public readonly resource: apigwv2.CfnAuthorizer;
  /** Minified bundle size in bytes, as built at synth. */
  public readonly bundleBytes: number;

  constructor(scope: Construct, id: string, props: HttpLambdaAuthorizerProps) {
    super(scope, id);
    const handler = createAuthorizerFunction(this, props.plan, `HTTP gateway "${props.gatewayName}"`, props.gatewayName, props.logRetention);
    this.function = handler.function;
    this.logGroup = handler.logGroup;
    this.bundleBytes = handler.bundleBytes;
    const originHeader = props.plan.config.originVerify?.header;
    if (Boolean(originHeader) !== Boolean(props.originVerifySecret)) {
      throw new Error(`HttpLambdaAuthorizer "${props.gatewayName}": the plan's originVerify and the originVerifySecret prop go together`);
    }
    if (props.originVerifySecret) {
      this.function.addEnvironment(ORIGIN_VERIFY_SECRET_ENV, props.originVerifySecret.secretArn);
      props.originVerifySecret.grantRead(this.function);
    }

    // The answer depends on the route: the route key joins the token (and the origin-verify value) in the cache key.
    this.resource = httpRequestAuthorizer(this, {
      api: props.api,
      function: this.function,
      name: `${props.gatewayName}-jwt`,
      identitySource: ['$request.header.Authorization', ...(originHeader ? [`$request.header.${originHeader}`] : []), '$context.routeKey'],
      cacheTtlSeconds: props.plan.cacheTtlSeconds,
    });
  }
}

/**
 * A Lambda REQUEST authorizer of an HTTP API with simple responses (payload 2.0), as `Resource` in `scope`,
 * and the function's one invoke permission for it (never one per route). A request missing an identity
 * source gets 401 from the API without invoking the function:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
export function httpRequestAuthorizer(
  scope: Construct,
  props: { api: apigwv2.IHttpApi; function: lambda.Function; name: string; identitySource: string[]; cacheTtlSeconds: number },
): apigwv2.CfnAuthorizer {
  const authorizer = new apigwv2.CfnAuthorizer(scope, 'Resource', {
    apiId: props.api.apiId,
    name: props.name,
    authorizerType: 'REQUEST',
    authorizerUri: `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}:lambda:path/2015-03-31/functions/${props.function.functionArn}/invocations`,
    authorizerPayloadFormatVersion: '2.0',
    enableSimpleResponses: true,
    identitySource: props.identitySource,
    authorizerResultTtlInSeconds: props.cacheTtlSeconds,
  });
  props.function.addPermission('InvokeByApiGateway', {
    principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    sourceArn: `arn:${Aws.PARTITION}:execute-api:${Aws.REGION}:${Aws.ACCOUNT_ID}:${props.api.apiId}/authorizers/${authorizer.ref}`,
  });
  return authorizer;
}
