// The Lambdas a gateway's plan puts behind its API, rendered the same for REST and HTTP: a proxy per service, an aggregator per aggregate.
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { GatewayFunctionNames } from '../openapi/function-names';
import type { GatewayPlan } from '../plan/types';
import { AggregatorFunction } from './aggregator-function';
import { ResilientProxy } from './resilient-proxy';
import { pascal } from '../plan/naming';
import { internalError } from './validation-error';

export interface GatewayFunctions {
  readonly proxies: Record<string, ResilientProxy>;
  readonly aggregators: Record<string, AggregatorFunction>;
  /** Every proxy and aggregator function, each with the physical name the API's definition calls it by. */
  readonly functions: lambda.Function[];
}

/**
 * Creates `<Service>Proxy` and `<Aggregate>Aggregator` in `scope` (their ids are part of the gateways' public API),
 * each named as `names` says: the API's definition names the functions rather than referencing them.
 */
export function renderGatewayFunctions(
  scope: Construct,
  plan: GatewayPlan,
  api: apigw.IRestApi | apigwv2.IHttpApi,
  stateTable: dynamodb.ITable | undefined,
  names: Pick<GatewayFunctionNames, 'proxies' | 'aggregators'>,
): GatewayFunctions {
  const shared = { api, stateTable, logRetention: plan.stage.accessLogs.retentionDays as logs.RetentionDays, tracing: plan.stage.tracing };
  const proxies = Object.fromEntries(
    plan.proxies.map((proxy) => [proxy.service, new ResilientProxy(scope, `${pascal(proxy.service)}Proxy`, { plan: proxy, ...shared })]),
  );
  const aggregators = Object.fromEntries(
    plan.aggregators.map((aggregator) => [
      aggregator.name,
      new AggregatorFunction(scope, `${pascal(aggregator.name)}Aggregator`, { plan: aggregator, ...shared }),
    ]),
  );
  const named: [lambda.Function, string | undefined][] = [
    ...Object.entries(proxies).map(([service, p]) => [p.function, names.proxies[service]] as [lambda.Function, string | undefined]),
    ...Object.entries(aggregators).map(([name, a]) => [a.function, names.aggregators[name]] as [lambda.Function, string | undefined]),
  ];
  for (const [fn, name] of named) {
    if (!name) throw internalError(`gateway ${plan.name} has a function its API definition does not name`);
    (fn.node.defaultChild as lambda.CfnFunction).functionName = name;
  }
  return { proxies, aggregators, functions: named.map(([fn]) => fn) };
}
