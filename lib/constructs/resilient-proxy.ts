// ResilientProxy: one service's proxy Lambda on one REST API (transforms, breaker, retries, routing, fallbacks), with a single invoke permission.
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { proxyLeftOut } from './bundling/proxy-bundle';
import { PROXY_CONFIG_GLOBAL } from '../../lambdas/contract/proxy-config';
import { proxyServiceName } from '../../lambdas/contract/proxy-metrics';
import type { ProxyPlan } from '../plan/types';
import { createApiFunction } from './api-function';

export interface ResilientProxyProps {
  /** What to build (from `planSpec`: `GatewayPlan.proxies`). */
  readonly plan: ProxyPlan;
  /** The API whose routes invoke the proxy. */
  readonly api: apigw.IRestApi | apigwv2.IHttpApi;
  /** Table of the breaker state and rate-limit counters shared across instances; required when the plan's `stateUses` need it. */
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
    const built = createApiFunction(this, {
      handler: 'proxy/handler',
      define: { [PROXY_CONFIG_GLOBAL]: JSON.stringify(plan.config) },
      leaveOut: proxyLeftOut(plan.config),
      description: `Gatehouse resilient proxy of service "${plan.service}" on gateway "${plan.config.gateway}"`,
      serviceName: plan.serviceName ?? proxyServiceName(plan.config.gateway, plan.service),
      plan,
      api: props.api,
      stateTable: props.stateTable,
      logRetention: props.logRetention,
      tracing: props.tracing,
      owner: `ResilientProxy "${plan.service}"`,
    });
    this.function = built.function;
    this.logGroup = built.logGroup;
    this.bundleBytes = built.bundleBytes;
    this.integration = built.integration;
  }
}
