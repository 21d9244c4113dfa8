// HttpGateway: one HTTP GatewayPlan rendered as an API Gateway HTTP API (v2): one Api whose OpenAPI body holds every route, integration,
// authorizer and the CORS rule, its auto-deployed $default stage, and the Lambdas behind it.
import { Aws, CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { allowApiToInvokeLambdaServices, checkNoTokenLambdaServices } from './lambda-services';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { HttpGatewayPlan } from '../plan/types';
import { gatewayFunctionNames, IMPORT_VARIABLES, lambdaFunctionArn, type GatewayFunctionNames } from '../openapi/function-names';
import { renderHttpOpenApi, type OpenApiDocument } from '../openapi/http/document';
import type { HttpFunctionRefs } from '../openapi/http/integrations';
import { HTTP_ACCESS_LOG_FIELDS, jsonLogFormat } from './access-log-format';
import { apiUrlDescription } from './api-url';
import { claimFunctionNames } from './claim-function-names';
import type { AggregatorFunction } from './aggregator-function';
import { renderGatewayFunctions } from './gateway-functions';
import { createOriginVerifySecret } from './edge/edge-protection';
import { GatewayObservability } from './gateway-observability';
import type { GatewayOptions } from './gateway-options';
import { HttpLambdaAuthorizer } from './http-lambda-authorizer';
import { HttpOriginVerifyAuthorizer } from './http-origin-verify';
import { INLINE_BODY_MAX_BYTES, placeOpenApiBody, type PlacedBody } from './openapi-body';
import type { ResilientProxy } from './resilient-proxy';
import { checkPlanFlavor, internalError } from './validation-error';
import { refuseCreatedLinksInS3 } from './vpc-links';

export interface HttpGatewayProps extends GatewayOptions {
  /** The gateway's plan (from `planSpec`: a `GatewayPlan` with `flavor: 'http'`, see `isHttpGateway`). */
  readonly plan: HttpGatewayPlan;
  /**
   * Largest OpenAPI body kept inline in the template, in bytes of JSON; a larger one becomes an S3 asset.
   * @default INLINE_BODY_MAX_BYTES (200,000)
   */
  readonly inlineBodyMaxBytes?: number;
}

/** The stage an HTTP gateway serves on: no stage segment in its URL, deployed automatically. */
export const HTTP_STAGE_NAME = '$default';

export class HttpGateway extends Construct {
  /** The API, for mappings, metrics and permissions; its routes are in `definition`. */
  public readonly api: apigwv2.IHttpApi;
  /** The `AWS::ApiGatewayV2::Api` resource that imports `definition`. */
  public readonly resource: apigwv2.CfnApi;
  /**
   * The OpenAPI 3.0 document the API is imported from, with the `x-amazon-apigateway-*` extensions (function ARNs
   * are CDK tokens here; `Stack.resolve` gives the template form). `gatehouse export openapi` prints the same document.
   * A body placed in S3 is the same document naming the functions by `functionNames` and API Gateway's import variables.
   */
  public readonly definition: OpenApiDocument;
  /** Where the document went: inline in `Body`, or an S3 asset. */
  public readonly body: PlacedBody;
  public readonly stage: apigwv2.HttpStage;
  /** Access-log group, when access logs are enabled. */
  public readonly accessLogGroup?: logs.LogGroup;
  /** The Gatehouse Lambda authorizer, when JWT routes need roles or claim rules the native one lacks, or CloudFront is in front. */
  public readonly lambdaAuthorizer?: HttpLambdaAuthorizer;
  /**
   * Behind CloudFront: the value CloudFront sends in the origin-verify header, which the authorizers check
   * (HTTP APIs take no web ACL). Pass it to `EdgeProtection` as `originVerifySecret`.
   */
  public readonly originVerifySecret?: secretsmanager.ISecret;
  /** Behind CloudFront: the authorizer of the routes without JWT auth, which only checks the origin-verify header. */
  public readonly originVerifyAuthorizer?: HttpOriginVerifyAuthorizer;
  /** The resilient proxy of each service whose routes need one, by service name. */
  public readonly proxies: Record<string, ResilientProxy> = {};
  /** The aggregator of each aggregate, by aggregate name. */
  public readonly aggregators: Record<string, AggregatorFunction> = {};
  /** Dashboard, alarms and the 429 metric filter. */
  public readonly observability: GatewayObservability;
  /** The fixed physical names of the gateway's Lambdas, which a body in S3 names them by. */
  public readonly functionNames: GatewayFunctionNames;
  /** The one invoke permission of each Lambda service's function the routes call directly, by the function as the spec names it. */
  public readonly lambdaPermissions: Record<string, lambda.CfnPermission>;

  constructor(scope: Construct, id: string, props: HttpGatewayProps) {
    super(scope, id);
    const { plan } = props;
    checkPlanFlavor(this, plan, 'http');
    const stack = Stack.of(this);
    // Fixed names, as on REST gateways: a body too large to inline goes to S3, where CloudFormation resolves no
    // reference, so that copy names the functions instead.
    this.functionNames = gatewayFunctionNames(stack.stackName, plan);
    claimFunctionNames(stack, 'HttpGateway', plan.name, this.functionNames);
    const names = this.functionNames;

    // Created first with its body filled in below: the proxies, aggregators and authorizers need the API's id for
    // their invoke permissions, and the body needs their ARNs.
    // At `Resource/Resource`, where the aws-cdk-lib HttpApi of earlier releases put its CfnApi: same logical id, so
    // upgrading updates the API in place (same id and URL) instead of replacing it.
    this.resource = new apigwv2.CfnApi(new Construct(this, 'Resource'), 'Resource', {
      // The same name, type and endpoint switch as in the document, so the API reads the same whichever CloudFormation applies last.
      name: plan.apiName,
      description: plan.description ?? `Gatehouse gateway "${plan.name}"`,
      protocolType: 'HTTP',
      disableExecuteApiEndpoint: plan.executeApiEndpoint ? undefined : true,
      // Import warnings (an extension the import ignores) fail the deploy instead of leaving a route out.
      failOnWarnings: true,
    });
    this.api = apigwv2.HttpApi.fromHttpApiAttributes(this, 'Api', {
      httpApiId: this.resource.ref,
      apiEndpoint: this.resource.attrApiEndpoint,
    });
    const retention = plan.stage.accessLogs.retentionDays as logs.RetentionDays;
    const originVerify = plan.edge?.cloudfront?.originVerify;
    if (originVerify) this.originVerifySecret = createOriginVerifySecret(this, plan.name);
    if (plan.authorizer) {
      this.lambdaAuthorizer = new HttpLambdaAuthorizer(this, 'LambdaAuthorizer', {
        api: this.api,
        plan: plan.authorizer,
        gatewayName: plan.name,
        functionName: names.authorizer,
        logRetention: retention,
        originVerifySecret: this.originVerifySecret,
      });
    }
    if (originVerify?.enforcedBy === 'lambda-authorizers' && originVerify.originAuthorizer) {
      this.originVerifyAuthorizer = new HttpOriginVerifyAuthorizer(this, 'OriginVerifyAuthorizer', {
        api: this.api,
        secret: this.originVerifySecret!,
        gatewayName: plan.name,
        functionName: names.originVerifyAuthorizer,
        logRetention: retention,
      });
    }
    const functions = renderGatewayFunctions(this, plan, this.api, props.stateTable, names);
    this.lambdaPermissions = allowApiToInvokeLambdaServices(this, plan, this.resource.ref);
    Object.assign(this.proxies, functions.proxies);
    Object.assign(this.aggregators, functions.aggregators);
    // An S3 body names the functions without referring to them; create them first so the API never points at one
    // that does not exist yet. (On the functions alone: their permissions depend on the API.)
    const authorizers = [this.lambdaAuthorizer?.function, this.originVerifyAuthorizer?.function].filter(
      (f): f is lambda.Function => f !== undefined,
    );
    for (const fn of [...functions.functions, ...authorizers]) this.resource.node.addDependency(fn.node.defaultChild as lambda.CfnFunction);

    const refs: HttpFunctionRefs = {
      partition: Aws.PARTITION,
      region: Aws.REGION,
      account: Aws.ACCOUNT_ID,
      proxyArn: (service) => required(this.proxies[service]?.function.functionArn, `the proxy of service "${service}"`),
      aggregatorArn: (aggregate) => required(this.aggregators[aggregate]?.function.functionArn, `the aggregator "${aggregate}"`),
      authorizerArn: this.lambdaAuthorizer?.function.functionArn,
      originVerifyAuthorizerArn: this.originVerifyAuthorizer?.function.functionArn,
      vpcLinkId: (key) => props.vpcLinkIds?.[key],
    };
    this.definition = renderHttpOpenApi(plan, { refs });
    const forS3 = () => {
      refuseCreatedLinksInS3(this, plan, Buffer.byteLength(JSON.stringify(stack.resolve(this.definition))));
      checkNoTokenLambdaServices(this, plan, 'HttpGateway');
      return renderHttpOpenApi(plan, { refs: namedRefs(names) });
    };
    this.body = placeOpenApiBody(this, 'Definition', this.definition, forS3, props.inlineBodyMaxBytes ?? INLINE_BODY_MAX_BYTES);
    this.resource.body = this.body.body;
    this.resource.bodyS3Location = this.body.bodyS3Location;

    if (plan.stage.accessLogs.enabled) this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', { retention });
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: HTTP_STAGE_NAME,
      // Every reimport of the body is a change to the API, which an auto-deploy stage deploys by itself; an explicit
      // Deployment would need the body's hash in its logical id to do the same:
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html
      autoDeploy: true,
      throttle: { rateLimit: plan.stage.throttle.rate, burstLimit: plan.stage.throttle.burst },
      accessLogSettings: this.accessLogGroup && {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: apigw.AccessLogFormat.custom(jsonLogFormat(HTTP_ACCESS_LOG_FIELDS)),
      },
    });
    // Route settings name route keys, which the body import creates: the stage depends on the Api through its id.
    const routeSettings = routeThrottleSettings(plan.stage.routeThrottles);
    if (routeSettings) (this.stage.node.defaultChild as apigwv2.CfnStage).routeSettings = routeSettings;
    acknowledgeConfigChoices(this.stage, plan);

    this.observability = new GatewayObservability(this, 'Observability', {
      plan,
      api: this.api,
      stage: this.stage,
      accessLogGroup: this.accessLogGroup,
      alarmTopic: props.alarmTopic,
      // The Lambda authorizer's decisions are charted; the native one publishes none.
      hasAuthorizer: this.lambdaAuthorizer !== undefined,
    });

    new CfnOutput(this, 'Url', { value: this.stage.url, description: apiUrlDescription(plan) });
  }
}

/** Stage route settings of the plan's route throttles, by route key. */
function routeThrottleSettings(
  throttles: HttpGatewayPlan['stage']['routeThrottles'],
): Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> | undefined {
  const entries = Object.entries(throttles);
  return entries.length
    ? Object.fromEntries(entries.map(([key, t]) => [key, { ThrottlingRateLimit: t.rate, ThrottlingBurstLimit: t.burst }]))
    : undefined;
}

/** Findings that follow from choices written in the config; each reason says which choice. */
function acknowledgeConfigChoices(stage: apigwv2.HttpStage, plan: HttpGatewayPlan): void {
  if (!plan.stage.accessLogs.enabled) {
    Validations.of(stage).acknowledge({
      id: 'AwsSolutions-APIG1',
      reason: `Access logs are turned off in the config (gateways.${plan.name}.stage.accessLogs.enabled: false).`,
    });
  }
}

/** Function ARNs from the fixed names and the variables API Gateway resolves on import, for a body CloudFormation does not read. */
function namedRefs(names: GatewayFunctionNames): HttpFunctionRefs {
  const arn = (name: string | undefined, what: string) => lambdaFunctionArn(IMPORT_VARIABLES, required(name, what));
  return {
    partition: IMPORT_VARIABLES.partition,
    region: IMPORT_VARIABLES.region,
    account: IMPORT_VARIABLES.account,
    proxyArn: (service) => arn(names.proxies[service], `the proxy of service "${service}"`),
    aggregatorArn: (aggregate) => arn(names.aggregators[aggregate], `the aggregator "${aggregate}"`),
    authorizerArn: names.authorizer && lambdaFunctionArn(IMPORT_VARIABLES, names.authorizer),
    originVerifyAuthorizerArn: names.originVerifyAuthorizer && lambdaFunctionArn(IMPORT_VARIABLES, names.originVerifyAuthorizer),
  };
}

function required(arn: string | undefined, what: string): string {
  if (!arn) throw internalError(`the plan routes to ${what}, which was not created`);
  return arn;
}
