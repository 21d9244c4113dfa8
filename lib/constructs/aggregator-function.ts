// AggregatorFunction: one aggregate's fan-out Lambda on one REST API (parts in parallel, one merged answer), with a single invoke permission.
import { Aws, Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AGGREGATOR_CONFIG_GLOBAL } from '../../lambdas/aggregator/config';
import { aggregatorServiceName } from '../../lambdas/aggregator/metric-names';
import { BREAKER_TABLE_ENV } from '../../lambdas/proxy/config';
import { BREAKER_TABLE } from '../../lambdas/shared/breaker-store-dynamodb';
import type { AggregatorPlan } from '../plan/types';
import { createHandlerFunction } from './handler-function';

export interface AggregatorFunctionProps {
  /** What to build (from `planSpec`: `GatewayPlan.aggregators`). */
  readonly plan: AggregatorPlan;
  /** The API whose aggregate route invokes the function. */
  readonly api: apigw.IRestApi | apigwv2.IHttpApi;
  /** Table of the breaker state shared across instances; required when `plan.sharedState`. */
  readonly stateTable?: dynamodb.ITable;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default true */
  readonly tracing?: boolean;
}

export class AggregatorFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly logGroup: logs.LogGroup;
  /** REST APIs: pass to the aggregate's GET method. HttpGateway makes its own v2 integration. */
  public readonly integration: apigw.Integration;
  /** Minified bundle size in bytes, as built at synth. */
  public readonly bundleBytes: number;

  constructor(scope: Construct, id: string, props: AggregatorFunctionProps) {
    super(scope, id);
    const { plan } = props;
    if (plan.sharedState && !props.stateTable) {
      throw new Error(`AggregatorFunction "${plan.name}": plan.sharedState needs a stateTable (a part's breaker shares its state through it)`);
    }
    const { config } = plan;
    const handler = createHandlerFunction(this, {
      handler: 'aggregator/handler',
      define: { [AGGREGATOR_CONFIG_GLOBAL]: JSON.stringify(config) },
      description: `Gatehouse aggregator of ${config.route} on gateway "${config.gateway}"`,
      serviceName: aggregatorServiceName(config.gateway, config.route),
      // Past API Gateway's integration timeout nobody is waiting; one more second lets the last log line and metrics out.
      timeout: Duration.seconds(Math.ceil(plan.integrationTimeoutMs / 1000) + 1),
      tracing: props.tracing ?? true,
      logRetention: props.logRetention,
      memoryMb: plan.memoryMb,
      reservedConcurrency: plan.reservedConcurrency,
      vpc: plan.vpc,
      environment: plan.sharedState && props.stateTable ? { [BREAKER_TABLE_ENV]: props.stateTable.tableName } : {},
    });
    this.function = handler.function;
    this.logGroup = handler.logGroup;
    this.bundleBytes = handler.bundleBytes;

    if (plan.sharedState && props.stateTable) {
      // The breaker store calls exactly these, on this table only.
      this.function.addToRolePolicy(new iam.PolicyStatement({ actions: [...BREAKER_TABLE.iamActions], resources: [props.stateTable.tableArn] }));
    }
    // One permission for the whole API, never one per method (resource economy).
    this.function.addPermission('InvokeByApiGateway', {
      principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      sourceArn: props.api.arnForExecuteApi('*', '/*', '*'),
    });
    // An AWS_PROXY integration by URI: LambdaIntegration would add a permission per method.
    this.integration = new apigw.Integration({
      type: apigw.IntegrationType.AWS_PROXY,
      integrationHttpMethod: 'POST',
      uri: `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}:lambda:path/2015-03-31/functions/${this.function.functionArn}/invocations`,
      options: { timeout: Duration.millis(plan.integrationTimeoutMs) },
    });
  }
}
