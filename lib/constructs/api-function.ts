// What every Lambda behind an API (the resilient proxy, the aggregator) shares: state-table and Lambda-service grants, one invoke permission per API, the AWS_PROXY integration.
import { Aws, Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BREAKER_TABLE_ENV } from '../../lambdas/contract/proxy-config';
import { BREAKER_TABLE } from '../../lambdas/contract/breaker-table';
import { RATE_LIMIT_TABLE, RATE_LIMIT_TABLE_ENV } from '../../lambdas/contract/rate-limit-table';
import { usesStateTable } from '../plan/resources';
import type { ApiFunctionPlan, StateTableUses } from '../plan/types';
import { createHandlerFunction, type HandlerFunction, type HandlerFunctionProps } from './handler-function';
import { grantInvokeLambdaServices } from './lambda-services';
import { invalidProps } from './validation-error';

/** What a user gives either API function construct (ResilientProxy, AggregatorFunction) besides its plan. */
export interface ApiFunctionUse {
  /** The API whose routes invoke the function. */
  readonly api: apigw.IRestApi | apigwv2.IHttpApi;
  /** Table of the state shared across instances (breaker state, rate-limit counters); required when the plan's `stateUses` need it. */
  readonly stateTable?: dynamodb.ITable;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default true */
  readonly tracing?: boolean;
}

export interface ApiFunctionProps
  extends ApiFunctionUse, Pick<HandlerFunctionProps, 'handler' | 'define' | 'leaveOut' | 'description' | 'serviceName'> {
  /** Sizing, placement, timing and state-table use, as planned. */
  readonly plan: ApiFunctionPlan;
  /** Names the construct in the error thrown when the state table is missing. */
  readonly owner: string;
}

/** The construct both API functions are: what it exposes, built by createApiFunction. */
export abstract class ApiFunctionConstruct extends Construct {
  public readonly function: lambda.Function;
  public readonly logGroup: logs.LogGroup;
  /** REST APIs: pass to the methods that invoke the function. HttpGateway makes its own v2 integration. */
  public readonly integration: apigw.Integration;
  /** Minified bundle size in bytes, as built at synth. */
  public readonly bundleBytes: number;

  protected constructor(scope: Construct, id: string, use: ApiFunctionUse, build: Omit<ApiFunctionProps, keyof ApiFunctionUse>) {
    super(scope, id);
    const built = createApiFunction(this, {
      ...build,
      api: use.api,
      stateTable: use.stateTable,
      logRetention: use.logRetention,
      tracing: use.tracing,
    });
    this.function = built.function;
    this.logGroup = built.logGroup;
    this.bundleBytes = built.bundleBytes;
    this.integration = built.integration;
  }
}

/**
 * A Lambda behind an API, built the same way for the proxy and the aggregator: the handler bundle sized and timed
 * from the plan, the state-table grants it needs, one invoke permission for the API, and its REST integration.
 */
export function createApiFunction(
  scope: Construct,
  props: ApiFunctionProps,
): HandlerFunction & { readonly integration: apigw.Integration } {
  const { plan } = props;
  if (usesStateTable(plan.stateUses) && !props.stateTable) {
    throw invalidProps(scope, `${props.owner}: plan.stateUses needs a stateTable (state shared across instances lives there)`);
  }
  const handler = createHandlerFunction(scope, {
    handler: props.handler,
    define: props.define,
    leaveOut: props.leaveOut,
    description: props.description,
    serviceName: props.serviceName,
    timeout: functionTimeout(plan.integrationTimeoutMs),
    tracing: props.tracing ?? true,
    logRetention: props.logRetention,
    memoryMb: plan.memoryMb,
    reservedConcurrency: plan.reservedConcurrency,
    vpc: plan.vpc,
  });
  if (props.stateTable) useStateTable(handler.function, props.stateTable, plan.stateUses);
  grantInvokeLambdaServices(handler.function, plan.invokes);
  allowInvokeByApi(handler.function, props.api);
  return { ...handler, integration: restLambdaIntegration(handler.function, plan.integrationTimeoutMs) };
}

/** Names the table in the environment and grants exactly the actions each use calls, on that table only. */
export function useStateTable(fn: lambda.Function, table: dynamodb.ITable, uses: StateTableUses): void {
  if (!usesStateTable(uses)) return;
  if (uses.breaker) fn.addEnvironment(BREAKER_TABLE_ENV, table.tableName);
  if (uses.rateLimit) fn.addEnvironment(RATE_LIMIT_TABLE_ENV, table.tableName);
  const actions = new Set([...(uses.breaker ? BREAKER_TABLE.iamActions : []), ...(uses.rateLimit ? RATE_LIMIT_TABLE.iamActions : [])]);
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: [...actions].sort(), resources: [table.tableArn] }));
}

/** One permission for every route of the API, never one per method (resource economy). */
export function allowInvokeByApi(fn: lambda.Function, api: apigw.IRestApi | apigwv2.IHttpApi): void {
  // Not arnForExecuteApi: in a stack with a known region it writes the partition literally (arn:aws:), which
  // breaks in aws-cn and aws-us-gov.
  const apiId = 'restApiId' in api ? api.restApiId : api.apiId;
  fn.addPermission('InvokeByApiGateway', {
    principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    sourceArn: `arn:${Aws.PARTITION}:execute-api:${Aws.REGION}:${Aws.ACCOUNT_ID}:${apiId}/*/*/*`,
  });
}

/** A REST AWS_PROXY integration by URI: `LambdaIntegration` would add a permission per method. */
export function restLambdaIntegration(fn: lambda.IFunction, timeoutMs: number): apigw.Integration {
  return new apigw.Integration({
    type: apigw.IntegrationType.AWS_PROXY,
    integrationHttpMethod: 'POST',
    uri: `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}:lambda:path/2015-03-31/functions/${fn.functionArn}/invocations`,
    options: { timeout: Duration.millis(timeoutMs) },
  });
}

/** Past API Gateway's integration timeout nobody is waiting; one more second lets the last log line and metrics out. */
export function functionTimeout(integrationTimeoutMs: number): Duration {
  return Duration.seconds(Math.ceil(integrationTimeoutMs / 1000) + 1);
}
