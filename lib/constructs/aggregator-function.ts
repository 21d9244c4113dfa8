// AggregatorFunction: one aggregate's fan-out Lambda on one REST API (parts in parallel, one merged answer), with a single invoke permission.
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { aggregatorLeftOut } from './bundling/aggregator-bundle';
import { AGGREGATOR_CONFIG_GLOBAL } from '../../lambdas/contract/aggregator-config';
import { aggregatorServiceName } from '../../lambdas/contract/aggregator-metrics';
import type { AggregatorPlan } from '../plan/types';
import { createApiFunction } from './api-function';

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
    const { config } = plan;
    const built = createApiFunction(this, {
      handler: 'aggregator/handler',
      define: { [AGGREGATOR_CONFIG_GLOBAL]: JSON.stringify(config) },
      leaveOut: aggregatorLeftOut(config),
      description: `Gatehouse aggregator of ${config.route} on gateway "${config.gateway}"`,
      serviceName: plan.serviceName ?? aggregatorServiceName(config.gateway, config.route),
      plan,
      api: props.api,
      stateTable: props.stateTable,
      logRetention: props.logRetention,
      tracing: props.tracing,
      owner: `AggregatorFunction "${plan.name}"`,
    });
    this.function = built.function;
    this.logGroup = built.logGroup;
    this.bundleBytes = built.bundleBytes;
    this.integration = built.integration;
  }
}
