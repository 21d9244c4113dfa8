// The Lambdas a gateway's plan puts behind its API, rendered the same for REST and HTTP: a proxy per service, an aggregator per aggregate.
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { GatewayPlan } from '../plan/types';
import { AggregatorFunction } from './aggregator-function';
import { ResilientProxy } from './resilient-proxy';
import { pascal } from '../plan/naming';

/** Creates `<Service>Proxy` and `<Aggregate>Aggregator` in `scope` (their ids are part of the gateways' public API). */
export function renderGatewayFunctions(
  scope: Construct,
  plan: GatewayPlan,
  api: apigw.IRestApi | apigwv2.IHttpApi,
  stateTable: dynamodb.ITable | undefined,
): { proxies: Record<string, ResilientProxy>; aggregators: Record<string, AggregatorFunction> } {
  const shared = { api, stateTable, logRetention: plan.stage.accessLogs.retentionDays as logs.RetentionDays, tracing: plan.stage.tracing };
  return {
    proxies: Object.fromEntries(plan.proxies.map((proxy) => [proxy.service, new ResilientProxy(scope, `${pascal(proxy.service)}Proxy`, { plan: proxy, ...shared })])),
    aggregators: Object.fromEntries(
      plan.aggregators.map((aggregator) => [aggregator.name, new AggregatorFunction(scope, `${pascal(aggregator.name)}Aggregator`, { plan: aggregator, ...shared })]),
    ),
  };
}
