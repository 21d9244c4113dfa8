// AggregatorFunction: one aggregate's fan-out Lambda on one REST API (parts in parallel, one merged answer), with a single invoke permission.
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AGGREGATOR_CONFIG_GLOBAL } from '../../lambdas/aggregator/config';
import { aggregatorServiceName } from '../../lambdas/aggregator/metric-names';
import type { AggregatorPlan } from '../plan/types';
import { allowInvokeByApi, functionTimeout, restLambdaIntegration, useStateTable } from './api-function';
import { usesStateTable } from '../plan/resources';
import { createHandlerFunction } from './handler-function';

export interface AggregatorFunctionProps {
  /** What to build (from `planSpec`: `GatewayPlan.aggregators`). */
  readonly plan: AggregatorPlan;
  /** The API whose aggregate route invokes the function. */
  readonly api: apigw.IRestApi | apigwv2.IHttpApi;
  /** Table of the breaker state shared across instances; required when the plan's `stateUses` need it. */
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
    if (usesStateTable(plan.stateUses) && !props.stateTable) {
      throw new Error(`AggregatorFunction "${plan.name}": plan.stateUses needs a stateTable (a part's breaker shares its state through it)`);
    }
    const { config } = plan;
    const handler = createHandlerFunction(this, {
      handler: 'aggregator/handler',
      define: { [AGGREGATOR_CONFIG_GLOBAL]: JSON.stringify(config) },
      description: `Gatehouse aggregator of ${config.route} on gateway "${config.gateway}"`,
      serviceName: aggregatorServiceName(config.gateway, config.route),
      timeout: functionTimeout(plan.integrationTimeoutMs),
      tracing: props.tracing ?? true,
      logRetention: props.logRetention,
      memoryMb: plan.memoryMb,
      reservedConcurrency: plan.reservedConcurrency,
      vpc: plan.vpc,
    });
    this.function = handler.function;
    this.logGroup = handler.logGroup;
    this.bundleBytes = handler.bundleBytes;
    if (props.stateTable) useStateTable(this.function, props.stateTable, plan.stateUses);
    allowInvokeByApi(this.function, props.api);
    this.integration = restLambdaIntegration(this.function, plan.integrationTimeoutMs);
  }
}
