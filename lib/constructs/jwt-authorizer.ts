// JwtAuthorizer: the jose Lambda REQUEST authorizer of one REST API, bundled at synth with its plan baked in.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aws, Duration, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AuthorizerConfig } from '../../lambdas/authorizer/config';
import { bundleAuthorizer } from '../../lambdas/authorizer/bundle';
import { authorizerServiceName } from '../../lambdas/authorizer/metric-names';
import { METRICS_NAMESPACE } from '../../lambdas/shared/metric-names';
import type { JwtAuthorizerPlan } from '../plan/types';

export interface JwtAuthorizerProps {
  readonly api: apigw.IRestApi;
  readonly plan: JwtAuthorizerPlan;
  /** Name of the gateway, for the function's description and service name. */
  readonly gatewayName: string;
  /**
   * Retention of the function's log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

export class JwtAuthorizer extends Construct {
  public readonly function: lambda.Function;
  public readonly logGroup: logs.LogGroup;
  public readonly resource: apigw.CfnAuthorizer;
  /** Pass as a method's `authorizer`; a plain reference works for methods in nested stacks too. */
  public readonly authorizer: apigw.IAuthorizer;
  /** Minified bundle size in bytes, as built at synth. */
  public readonly bundleBytes: number;

  constructor(scope: Construct, id: string, props: JwtAuthorizerProps) {
    super(scope, id);
    const config = bakeJwks(props.plan);
    const dir = bundleDir(config);
    const bundle = bundleAuthorizer(config, dir);
    this.bundleBytes = bundle.bytes;

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
    // JWKS fetch (bounded by its timeout) plus discovery, with room to log and answer.
    const timeout = Duration.seconds(Math.ceil((2 * config.jwks.timeoutMs + 2000) / 1000));
    this.function = new lambda.Function(this, 'Function', {
      description: `Gatehouse JWT authorizer of gateway "${props.gatewayName}"`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(dir),
      memorySize: 256,
      timeout,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: authorizerServiceName(props.gatewayName),
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
    });

    this.resource = new apigw.CfnAuthorizer(this, 'Resource', {
      name: `${props.gatewayName}-jwt`,
      restApiId: props.api.restApiId,
      type: 'REQUEST',
      authorizerUri: `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}:lambda:path/2015-03-31/functions/${this.function.functionArn}/invocations`,
      identitySource: 'method.request.header.Authorization',
      authorizerResultTtlInSeconds: props.plan.cacheTtlSeconds,
    });
    // One permission for the authorizer, never one per method.
    this.function.addPermission('InvokeByApiGateway', {
      principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      sourceArn: `arn:${Aws.PARTITION}:execute-api:${Aws.REGION}:${Aws.ACCOUNT_ID}:${props.api.restApiId}/authorizers/${this.resource.ref}`,
    });
    this.authorizer = { authorizerId: this.resource.ref, authorizationType: apigw.AuthorizationType.CUSTOM };
    acknowledgeFunctionFindings(this.function);
  }
}

/** Adds the public keys of `jwksFiles` to the baked config (files were checked when the spec was validated). */
function bakeJwks(plan: JwtAuthorizerPlan): AuthorizerConfig {
  return {
    ...plan.config,
    issuers: plan.config.issuers.map((issuer) => {
      const file = plan.jwksFiles[issuer.issuer];
      return file ? { ...issuer, jwks: JSON.parse(readFileSync(file, 'utf8')) } : issuer;
    }),
  };
}

/** One directory per distinct config, so the asset hash follows the baked plan and nothing else. */
function bundleDir(config: AuthorizerConfig): string {
  const hash = createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `gatehouse-authorizer-${hash}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function acknowledgeFunctionFindings(fn: lambda.Function): void {
  const v = Validations.of(fn);
  v.acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'Gatehouse handlers target Node.js 22 (the runtime they are built and tested for); a runtime upgrade is a deliberate release.',
  });
  v.acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'AWSLambdaBasicExecutionRole only allows writing the function\'s own CloudWatch logs.',
  });
  v.acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'X-Ray PutTraceSegments/PutTelemetryRecords take no resource ARN; CDK adds them for active tracing.',
  });
}
