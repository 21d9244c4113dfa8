// RestGateway: one REST GatewayPlan rendered as an API Gateway REST API whose routes are one imported definition, with its stage, logs, plans and keys.
import { createHash } from 'node:crypto';
import { Aws, CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IDependable } from 'constructs';
import type { RestGatewayPlan } from '../plan/types';
import { IMPORT_VARIABLES, renderRestDefinition, restFunctionNames, restFunctionUris, type SwaggerDocument } from '../openapi/rest';
import { accessLogFormat } from './access-log-format';
import { claimFunctionNames } from './claim-function-names';
import type { AggregatorFunction } from './aggregator-function';
import { renderGatewayFunctions } from './gateway-functions';
import type { ResilientProxy } from './resilient-proxy';
import { GatewayObservability } from './gateway-observability';
import type { GatewayOptions } from './gateway-options';
import { apiUrlDescription } from './api-url';
import { JwtAuthorizer } from './jwt-authorizer';
import { allowApiToInvokeLambdaServices, checkNoTokenLambdaServices } from './lambda-services';
import { writeOpenApiFile } from './openapi-body';
import { renderUsagePlans } from './usage-plans';
import { refuseCreatedLinksInS3 } from './vpc-links';
import { checkPlanFlavor, invalidProps } from './validation-error';

/**
 * Largest definition kept inline in the template's RestApi.Body. CloudFormation takes templates of up to 1 MB
 * (from S3; https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html) and the rest of
 * the stack needs room too, so a larger definition goes to S3 as a CDK asset (RestApi.BodyS3Location) instead.
 */
export const INLINE_DEFINITION_MAX_BYTES = 300_000;

/**
 * API Gateway's limit on an imported definition: "The maximum size of the API definition file is 6MB"
 * (ImportRestApi / PutRestApi body, https://docs.aws.amazon.com/apigateway/latest/api/API_PutRestApi.html).
 */
export const DEFINITION_MAX_BYTES = 6 * 1024 * 1024;

export interface RestGatewayProps extends GatewayOptions {
  /** The gateway's plan (from `planSpec`: a `GatewayPlan` with `flavor: 'rest'`, see `isRestGateway`). */
  readonly plan: RestGatewayPlan;
  /**
   * Something the stage must be created after, e.g. the account's CloudWatch role, without which
   * a stage with logging fails to deploy.
   * @default - no extra dependency
   */
  readonly stageDependsOn?: IDependable;
  /**
   * Largest definition, in bytes, kept inline in the template; a larger one becomes an S3 asset (BodyS3Location).
   * @default INLINE_DEFINITION_MAX_BYTES
   */
  readonly inlineDefinitionMaxBytes?: number;
}

export class RestGateway extends Construct {
  /** The REST API; its routes, methods, integrations, authorizer, validators, models and gateway responses are its definition. */
  public readonly api: apigw.SpecRestApi;
  /**
   * The API's Swagger 2.0 definition with API Gateway's extensions, as deployed. Inline, its ARNs hold CloudFormation
   * references; in S3 they hold the variables API Gateway resolves on import (`${AWS::Region}`).
   */
  public readonly definition: SwaggerDocument;
  /** Where the definition is deployed from: the template (`Body`) or an S3 asset (`BodyS3Location`). */
  public readonly definitionLocation: 'inline' | 's3';
  public readonly deployment: apigw.Deployment;
  public readonly stage: apigw.Stage;
  /** Access-log group, when access logs are enabled. */
  public readonly accessLogGroup?: logs.LogGroup;
  public readonly usagePlans: Record<string, apigw.UsagePlan>;
  /** Dashboard, alarms and the 429 metric filter. */
  public readonly observability: GatewayObservability;
  /** The JWT authorizer's function, when any route requires a JWT (the authorizer itself is in the definition). */
  public readonly jwtAuthorizer?: JwtAuthorizer;
  public readonly apiKeys: Record<string, apigw.ApiKey>;
  /** The resilient proxy of each service whose routes need one, by service name. */
  public readonly proxies: Record<string, ResilientProxy> = {};
  /** The aggregator of each aggregate, by aggregate name. */
  public readonly aggregators: Record<string, AggregatorFunction> = {};
  /** The one invoke permission of each Lambda service's function the routes call directly, by the function as the spec names it. */
  public readonly lambdaPermissions: Record<string, lambda.CfnPermission>;

  constructor(scope: Construct, id: string, props: RestGatewayProps) {
    super(scope, id);
    const { plan } = props;
    checkPlanFlavor(this, plan, 'rest');
    const stack = Stack.of(this);
    // The definition names the Lambdas rather than referencing them, so it is complete before any function exists.
    const names = restFunctionNames(stack.stackName, plan);
    claimFunctionNames(stack, 'RestGateway', plan.name, names);
    const vpcLinks = props.vpcLinkIds;
    const inline = renderRestDefinition(plan, {
      ...restFunctionUris(names, { partition: Aws.PARTITION, region: Aws.REGION, account: Aws.ACCOUNT_ID }),
      vpcLinks,
    });
    const inlineBytes = Buffer.byteLength(JSON.stringify(stack.resolve(inline)));
    this.definitionLocation = inlineBytes <= (props.inlineDefinitionMaxBytes ?? INLINE_DEFINITION_MAX_BYTES) ? 'inline' : 's3';
    if (this.definitionLocation === 's3') {
      refuseCreatedLinksInS3(this, plan, inlineBytes);
      checkNoTokenLambdaServices(this, plan, 'RestGateway');
    }
    this.definition =
      this.definitionLocation === 'inline'
        ? inline
        : renderRestDefinition(plan, { ...restFunctionUris(names, IMPORT_VARIABLES), vpcLinks });
    if (inlineBytes > DEFINITION_MAX_BYTES) {
      throw invalidProps(
        this,
        `RestGateway "${plan.name}": its API definition is ${(inlineBytes / 1024 / 1024).toFixed(1)} MB, over API Gateway's 6 MB import limit ` +
          `(${plan.routes.length} route paths); spread the routes over several gateways`,
      );
    }

    this.api = new apigw.SpecRestApi(this, 'Resource', {
      restApiName: plan.apiName,
      description: plan.description ?? `Gatehouse gateway "${plan.name}"`,
      apiDefinition:
        this.definitionLocation === 'inline'
          ? apigw.ApiDefinition.fromInline(this.definition)
          : apigw.ApiDefinition.fromAsset(writeOpenApiFile(this, this.definition, `${plan.name}.openapi.json`)),
      // Routes removed from the config disappear from the API (merge would keep them).
      mode: apigw.RestApiMode.OVERWRITE,
      deploy: false,
      cloudWatchRole: false,
      endpointConfiguration: {
        types: [apigw.EndpointType[plan.endpoint.type]],
        vpcEndpoints: plan.endpoint.vpcEndpointIds.map((vpceId, i) =>
          ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(this, `VpcEndpoint${i}`, { vpcEndpointId: vpceId, port: 443 }),
        ),
      },
      policy: resourcePolicy(plan),
      // With mutual TLS the custom domain is the only way in; the execute-api URL would skip the client-certificate check.
      disableExecuteApiEndpoint: plan.executeApiEndpoint ? undefined : true,
    });

    if (plan.authorizer) {
      this.jwtAuthorizer = new JwtAuthorizer(this, 'JwtAuthorizer', {
        api: this.api,
        plan: plan.authorizer,
        gatewayName: plan.name,
        functionName: names.authorizer,
        logRetention: plan.stage.accessLogs.retentionDays,
      });
    }
    const functions = renderGatewayFunctions(this, plan, this.api, props.stateTable, names);
    this.lambdaPermissions = allowApiToInvokeLambdaServices(this, plan, this.api.restApiId);
    Object.assign(this.proxies, functions.proxies);
    Object.assign(this.aggregators, functions.aggregators);
    // The definition names the functions; create them first so the API never points at one that does not exist yet.
    // (On the functions alone: their permissions depend on the API.)
    for (const fn of [...functions.functions, ...(this.jwtAuthorizer ? [this.jwtAuthorizer.function] : [])])
      this.api.node.addDependency(fn.node.defaultChild as lambda.CfnFunction);

    this.deployment = new apigw.Deployment(this, 'Deployment', {
      api: this.api,
      description: `Gatehouse deployment of "${plan.name}" (fingerprint ${plan.deploymentFingerprint})`,
    });
    // A deployment snapshots the API: its logical id carries a hash of the definition and of what else it snapshots
    // (the plan's fingerprint: resource policy, endpoint), so exactly those changes make CloudFormation create a new one.
    this.deployment.addToLogicalId({ gatehouse: plan.deploymentFingerprint, definition: definitionHash(stack.resolve(this.definition)) });

    if (plan.stage.accessLogs.enabled) {
      this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
        retention: plan.stage.accessLogs.retentionDays as logs.RetentionDays,
      });
    }
    this.stage = new apigw.Stage(this, 'Stage', {
      deployment: this.deployment,
      stageName: plan.stage.name,
      throttlingRateLimit: plan.stage.throttle.rate,
      throttlingBurstLimit: plan.stage.throttle.burst,
      tracingEnabled: plan.stage.tracing,
      loggingLevel: apigw.MethodLoggingLevel[plan.stage.executionLogs],
      dataTraceEnabled: false, // full request/response logging would write Authorization headers and bodies
      metricsEnabled: false,
      accessLogDestination: this.accessLogGroup ? new apigw.LogGroupLogDestination(this.accessLogGroup) : undefined,
      accessLogFormat: this.accessLogGroup ? accessLogFormat() : undefined,
      methodOptions: methodThrottleOptions(plan.stage.methodThrottles),
    });
    if (props.stageDependsOn) this.stage.node.addDependency(props.stageDependsOn);
    this.api.deploymentStage = this.stage;
    acknowledgeConfigChoices(this.api, this.stage, plan);

    this.observability = new GatewayObservability(this, 'Observability', {
      plan,
      api: this.api,
      stage: this.stage,
      accessLogGroup: this.accessLogGroup,
      alarmTopic: props.alarmTopic,
      hasAuthorizer: this.jwtAuthorizer !== undefined,
    });

    const keys = renderUsagePlans(this, this.api, this.stage, plan);
    this.usagePlans = keys.usagePlans;
    this.apiKeys = keys.apiKeys;

    new CfnOutput(this, 'Url', { value: this.stage.urlForPath('/'), description: apiUrlDescription(plan) });
  }
}

/** Writes a definition bound for S3 where the asset system picks it up (it is copied into cdk.out/ for review). */
function definitionHash(resolved: unknown): string {
  return createHash('sha256').update(JSON.stringify(resolved)).digest('hex').slice(0, 16);
}

/** Stage method settings of the plan's route throttles, by `<resource path>/<METHOD>`. */
function methodThrottleOptions(
  throttles: RestGatewayPlan['stage']['methodThrottles'],
): Record<string, apigw.MethodDeploymentOptions> | undefined {
  const entries = Object.entries(throttles);
  return entries.length
    ? Object.fromEntries(entries.map(([key, t]) => [key, { throttlingRateLimit: t.rate, throttlingBurstLimit: t.burst }]))
    : undefined;
}

/**
 * The API's resource policy (the RestApi's documented Policy property): invoke is allowed to all (auth and keys
 * are enforced by the methods) except, for a PRIVATE API, calls from other sources than its VPC endpoints, and
 * sources outside edge.resourcePolicy's IP lists. No policy at all when neither applies. Methods a route does
 * not list are simply absent from the definition (API Gateway answers them 403 Missing Authentication Token).
 */
function resourcePolicy(plan: RestGatewayPlan): iam.PolicyDocument | undefined {
  const invoke = { principals: [new iam.AnyPrincipal()], actions: ['execute-api:Invoke'] };
  const statements: iam.PolicyStatement[] = [];
  if (plan.endpoint.type === 'PRIVATE') {
    statements.push(
      new iam.PolicyStatement({
        ...invoke,
        effect: iam.Effect.DENY,
        resources: ['execute-api:/*'],
        conditions: { StringNotEquals: { 'aws:SourceVpce': [...plan.endpoint.vpcEndpointIds] } },
      }),
    );
  }
  statements.push(...sourceIpStatements(plan));
  if (!statements.length) return undefined;
  statements.push(new iam.PolicyStatement({ ...invoke, effect: iam.Effect.ALLOW, resources: ['execute-api:/*'] }));
  return new iam.PolicyDocument({ statements });
}

/** edge.resourcePolicy: deny every source outside ipAllow, and every source inside ipDeny. */
function sourceIpStatements(plan: RestGatewayPlan): iam.PolicyStatement[] {
  const ips = plan.edge?.resourcePolicy;
  const invoke = {
    principals: [new iam.AnyPrincipal()],
    actions: ['execute-api:Invoke'],
    resources: ['execute-api:/*'],
    effect: iam.Effect.DENY,
  };
  const statements: iam.PolicyStatement[] = [];
  if (ips?.ipAllow.length)
    statements.push(
      new iam.PolicyStatement({ ...invoke, sid: 'SourceIpNotAllowed', conditions: { NotIpAddress: { 'aws:SourceIp': [...ips.ipAllow] } } }),
    );
  if (ips?.ipDeny.length)
    statements.push(
      new iam.PolicyStatement({ ...invoke, sid: 'SourceIpDenied', conditions: { IpAddress: { 'aws:SourceIp': [...ips.ipDeny] } } }),
    );
  return statements;
}

/** Findings that follow from choices written in the config; each reason says which choice. */
function acknowledgeConfigChoices(api: apigw.SpecRestApi, stage: apigw.Stage, plan: RestGatewayPlan): void {
  Validations.of(api).acknowledge({
    id: 'AwsSolutions-APIG2',
    reason: plan.routes.some((r) => r.features.validation)
      ? `Gateway "${plan.name}" validates the routes whose config has validate; the others proxy requests unchanged to upstream services, which validate their own inputs.`
      : `Gateway "${plan.name}" proxies requests unchanged to its upstream services, which validate their own inputs; the config asks for no request validation.`,
  });
  if (!plan.edge?.regionalWebAcl) {
    Validations.of(stage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason: `Gateway "${plan.name}" has no WAF web ACL in its config; Gatehouse never attaches one the config does not ask for.`,
    });
  }
  if (!plan.stage.accessLogs.enabled) {
    Validations.of(stage).acknowledge({
      id: 'AwsSolutions-APIG1',
      reason: `Access logs are turned off in the config (gateways.${plan.name}.stage.accessLogs.enabled: false).`,
    });
  }
  if (plan.stage.executionLogs === 'OFF') {
    Validations.of(stage).acknowledge({
      id: 'AwsSolutions-APIG6',
      reason: `Execution logs are turned off in the config (gateways.${plan.name}.stage.executionLogs: OFF).`,
    });
  }
}
