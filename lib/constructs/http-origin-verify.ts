// HttpOriginVerifyAuthorizer: the Lambda authorizer that makes an HTTP API behind CloudFront refuse calls without CloudFront's secret header.
import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_SECRET_ENV } from '../../lambdas/contract/origin-verify';
import { createHandlerFunction } from './handler-function';
import { allowInvokeAsAuthorizer } from './http-lambda-authorizer';

export interface HttpOriginVerifyAuthorizerProps {
  readonly api: apigwv2.IHttpApi;
  /** The secret CloudFront sends; its current and previous values are accepted. */
  readonly secret: secretsmanager.ISecret;
  readonly gatewayName: string;
  /**
   * The function's physical name: an API body kept in S3 names the function, so it must be known before deploy.
   * @default - a name CloudFormation generates
   */
  readonly functionName?: string;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

export class HttpOriginVerifyAuthorizer extends Construct {
  public readonly function: lambda.Function;
  public readonly logGroup: logs.LogGroup;
  /** Minified bundle size in bytes, as built at synth. */
  public readonly bundleBytes: number;

  constructor(scope: Construct, id: string, props: HttpOriginVerifyAuthorizerProps) {
    super(scope, id);
    const handler = createHandlerFunction(this, {
      handler: 'origin-verify/handler',
      description: `Gatehouse origin-verify authorizer of HTTP gateway "${props.gatewayName}": refuses calls that did not come through CloudFront`,
      serviceName: `gatehouse-origin-verify-${props.gatewayName}`,
      // Two Secrets Manager reads on a cold start; every later answer comes from memory or the API's cache.
      timeout: Duration.seconds(10),
      memoryMb: 128,
      environment: { [ORIGIN_VERIFY_SECRET_ENV]: props.secret.secretArn },
      logRetention: props.logRetention,
    });
    this.function = handler.function;
    this.logGroup = handler.logGroup;
    this.bundleBytes = handler.bundleBytes;
    if (props.functionName) (this.function.node.defaultChild as lambda.CfnFunction).functionName = props.functionName;
    props.secret.grantRead(this.function);

    // The authorizer (the header value alone is its cache key) is a security scheme of the API's OpenAPI body.
    allowInvokeAsAuthorizer(this.function, props.api);
  }
}
