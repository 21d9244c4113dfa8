// ResilientProxy: one service's proxy Lambda on one REST API (transforms, breaker, retries, routing, fallbacks), with a single invoke permission.
import { Aws, Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BREAKER_TABLE_ENV, PROXY_CONFIG_GLOBAL } from '../../lambdas/proxy/config';
import { proxyServiceName } from '../../lambdas/proxy/metric-names';
import { BREAKER_TABLE } from '../../lambdas/shared/breaker-store-dynamodb';
import { RATE_LIMIT_TABLE, RATE_LIMIT_TABLE_ENV } from '../../lambdas/shared/rate-limit/table';
import type { ProxyPlan } from '../plan/types';
import { createHandlerFunction } from './handler-function';

export interface ResilientProxyProps {
  /** What to build (from `planSpec`: `GatewayPlan.proxies`). */
  readonly plan: ProxyPlan;
  /** The API whose routes invoke the proxy. */
  readonly api: apigw.IRestApi | apigwv2.IHttpApi;
  /** Table of the breaker state and rate-limit counters shared across instances; required when `plan.sharedState`. */
  readonly stateTable?: dynamodb.ITable;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default true */
  readonly tracing?: boolean;
}

export class ResilientProxy extends Construct {
  public readonly function: lambda.Function;
  public readonly logGroup: logs.LogGroup;
  /** REST APIs: pass to methods of the service's routes (exact and greedy resources alike). HttpGateway makes its own v2 integration. */
  public readonly integration: apigw.Integration;
  /** Minified bundle size in bytes, as built at synth. */
  public readonly bundleBytes: number;

  constructor(scope: Construct, id: string, props: ResilientProxyProps) {
    super(scope, id);
    const { plan } = props;
    if (plan.sharedState && !props.stateTable) {
      throw new Error(`ResilientProxy "${plan.service}": plan.sharedState needs a stateTable (breaker state and rate-limit counters are shared through it)`);
    }
    const handler = createHandlerFunction(this, {
      handler: 'proxy/handler',
      define: { [PROXY_CONFIG_GLOBAL]: JSON.stringify(plan.config) },
      description: `Gatehouse resilient proxy of service "${plan.service}" on gateway "${plan.config.gateway}"`,
      serviceName: proxyServiceName(plan.config.gateway, plan.service),
      // Past API Gateway's integration timeout nobody is waiting; one more second lets the last log line and metrics out.
      timeout: Duration.seconds(Math.ceil(plan.integrationTimeoutMs / 1000) + 1),
      tracing: props.tracing ?? true,
      logRetention: props.logRetention,
      memoryMb: plan.memoryMb,
      reservedConcurrency: plan.reservedConcurrency,
      vpc: plan.vpc,
      environment: props.stateTable
        ? {
            ...(plan.stateUses.breaker ? { [BREAKER_TABLE_ENV]: props.stateTable.tableName } : {}),
            ...(plan.stateUses.rateLimit ? { [RATE_LIMIT_TABLE_ENV]: props.stateTable.tableName } : {}),
          }
        : {},
    });
    this.function = handler.function;
    this.logGroup = handler.logGroup;
    this.bundleBytes = handler.bundleBytes;

    if (props.stateTable && plan.sharedState) {
      // The breaker store and the rate limiter call exactly these, on this table only.
      const actions = new Set([...(plan.stateUses.breaker ? BREAKER_TABLE.iamActions : []), ...(plan.stateUses.rateLimit ? RATE_LIMIT_TABLE.iamActions : [])]);
      this.function.addToRolePolicy(new iam.PolicyStatement({ actions: [...actions].sort(), resources: [props.stateTable.tableArn] }));
    }
    // One permission for every route of the API, never one per method (resource economy).
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
