// RestGateway: one GatewayPlan rendered as an API Gateway REST API with its stage, logs, CORS, plans and keys.
import { CfnOutput, NestedStack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, type IDependable } from 'constructs';
import type { GatewayPlan, GatewayResponseType, RoutePlan } from '../plan/types';
import { BAD_REQUEST_BODY_MESSAGE } from '../plan/resources';
import { accessLogFormat } from './access-log-format';
import type { AggregatorFunction } from './aggregator-function';
import { renderGatewayFunctions } from './gateway-functions';
import type { ResilientProxy } from './resilient-proxy';
import { renderRouteMethods, type RenderedRoute, type RouteDependencies } from './route-methods';
import { corsResponseHeaders } from './cors-headers';
import { GatewayObservability } from './gateway-observability';
import { apiUrlDescription } from './api-url';
import { JwtAuthorizer } from './jwt-authorizer';
import { renderUsagePlans } from './usage-plans';
import { RequestValidation } from './edge/request-validation';

export interface RestGatewayProps {
  /** The gateway's plan (from `planSpec`). */
  readonly plan: GatewayPlan;
  /**
   * Something the stage must be created after, e.g. the account's CloudWatch role, without which
   * a stage with logging fails to deploy.
   * @default - no extra dependency
   */
  readonly stageDependsOn?: IDependable;
  /**
   * Where the gateway's alarms go.
   * @default - alarms without actions (visible in the console and on the dashboard)
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Table where proxies and aggregators share breaker state; required when one of the plan's shares state.
   * @default - none
   */
  readonly stateTable?: dynamodb.ITable;
}

export class RestGateway extends Construct {
  public readonly api: apigw.RestApi;
  public readonly deployment: apigw.Deployment;
  public readonly stage: apigw.Stage;
  /** Access-log group, when access logs are enabled. */
  public readonly accessLogGroup?: logs.LogGroup;
  /** API Gateway resources by path ('/api/users', '/api/users/{proxy+}'). */
  public readonly resources = new Map<string, apigw.IResource>();
  /** Methods of each route, by RoutePlan id. */
  public readonly routeMethods = new Map<string, apigw.Method[]>();
  /** Nested stacks holding routes when the stack would pass CloudFormation's resource limit. */
  public readonly routeStacks: NestedStack[] = [];
  public readonly gatewayResponses: apigw.GatewayResponse[] = [];
  public readonly usagePlans: Record<string, apigw.UsagePlan>;
  /** Dashboard, alarms and the 429 metric filter. */
  public readonly observability: GatewayObservability;
  /** The JWT authorizer, when any route requires a JWT. */
  public readonly jwtAuthorizer?: JwtAuthorizer;
  public readonly apiKeys: Record<string, apigw.ApiKey>;
  /** The resilient proxy of each service whose routes need one, by service name. */
  public readonly proxies: Record<string, ResilientProxy> = {};
  /** The aggregator of each aggregate, by aggregate name. */
  public readonly aggregators: Record<string, AggregatorFunction> = {};
  /** Request validators and body models of validated routes. */
  public readonly requestValidation: RequestValidation;

  constructor(scope: Construct, id: string, props: RestGatewayProps) {
    super(scope, id);
    const { plan } = props;

    this.api = new apigw.RestApi(this, 'Resource', {
      restApiName: plan.apiName,
      description: plan.description ?? `Gatehouse gateway "${plan.name}"`,
      deploy: false,
      cloudWatchRole: false,
      apiKeySourceType: apigw.ApiKeySourceType[plan.apiKeySource],
      endpointConfiguration: {
        types: [apigw.EndpointType[plan.endpoint.type]],
        vpcEndpoints: plan.endpoint.vpcEndpointIds.map((vpceId, i) =>
          ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(this, `VpcEndpoint${i}`, { vpcEndpointId: vpceId, port: 443 }),
        ),
      },
      policy: resourcePolicy(plan),
      binaryMediaTypes: plan.binaryMediaTypes.length ? [...plan.binaryMediaTypes] : undefined,
      // With mutual TLS the custom domain is the only way in; the execute-api URL would skip the client-certificate check.
      disableExecuteApiEndpoint: plan.executeApiEndpoint ? undefined : true,
    });

    if (plan.authorizer) {
      this.jwtAuthorizer = new JwtAuthorizer(this, 'JwtAuthorizer', {
        api: this.api,
        plan: plan.authorizer,
        gatewayName: plan.name,
        logRetention: plan.stage.accessLogs.retentionDays as logs.RetentionDays,
      });
    }
    this.requestValidation = new RequestValidation(this.api);
    const functions = renderGatewayFunctions(this, plan, this.api, props.stateTable);
    Object.assign(this.proxies, functions.proxies);
    Object.assign(this.aggregators, functions.aggregators);
    this.renderResourcesAndRoutes(plan);

    for (const type of plan.gatewayResponses) {
      const { id, ...options } = gatewayResponseOptions(type, plan);
      this.gatewayResponses.push(this.api.addGatewayResponse(id, options));
    }

    this.deployment = new apigw.Deployment(this, 'Deployment', {
      api: this.api,
      description: `Gatehouse deployment of "${plan.name}" (fingerprint ${plan.deploymentFingerprint})`,
    });
    // The logical id carries the fingerprint of everything the deployment snapshots, so any change
    // to routes, integrations, CORS or gateway responses makes CloudFormation create a new deployment.
    this.deployment.addToLogicalId({ gatehouse: plan.deploymentFingerprint });
    for (const nested of this.routeStacks) this.deployment.node.addDependency(nested);
    for (const response of this.gatewayResponses) this.deployment.node.addDependency(response);

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
      methodOptions: routeThrottleOptions(plan.routes),
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

    const keys = renderUsagePlans(this, this.api, this.stage, plan, this.routeMethods);
    this.usagePlans = keys.usagePlans;
    this.apiKeys = keys.apiKeys;

    new CfnOutput(this, 'Url', { value: this.stage.urlForPath('/'), description: apiUrlDescription(plan) });
  }

  private renderResourcesAndRoutes(plan: GatewayPlan): void {
    this.resources.set('/', this.api.root);
    for (const { path, group } of plan.apiResources) {
      if (group === undefined) this.resources.set(path, this.resourceAt(parentOf(path)).addResource(lastSegment(path)));
    }
    const rendered: RenderedRoute[] = plan.routes
      .filter((r) => r.group === undefined)
      .map((r) => renderRouteMethods((p) => this.resourceAt(p), r, plan, this.routeDependencies()));
    for (let g = 0; g < plan.routeGroups; g++) {
      const nested = this.renderRouteGroup(plan, g);
      // Methods on the imported API still belong to this API: list them so RestApi's "no methods"
      // check and the deployment's method dependencies see them.
      for (const { methods } of nested) this.api.methods.push(...methods);
      rendered.push(...nested);
    }
    for (const { route, methods } of rendered) this.routeMethods.set(route.id, methods);
  }

  /** A nested stack with the routes of one group, importing the API and any shared parent paths. */
  private renderRouteGroup(plan: GatewayPlan, group: number): RenderedRoute[] {
    const nested = new NestedStack(this, `Routes${group + 1}`, {
      description: `Gatehouse gateway "${plan.name}": route group ${group + 1} of ${plan.routeGroups}`,
    });
    this.routeStacks.push(nested);
    const api = apigw.RestApi.fromRestApiAttributes(nested, 'Api', {
      restApiId: this.api.restApiId,
      rootResourceId: this.api.restApiRootResourceId,
    });
    const local = new Map<string, apigw.IResource>([['/', api.root]]);
    const resolve = (path: string): apigw.IResource => {
      const known = local.get(path);
      if (known) return known;
      const shared = this.resources.get(path);
      if (!shared) throw new Error(`Gatehouse internal error: path ${path} is in no stack`);
      const imported = apigw.Resource.fromResourceAttributes(nested, `Import${path.replace(/[^A-Za-z0-9]/g, '')}${local.size}`, {
        resourceId: shared.resourceId,
        restApi: api,
        path,
      });
      local.set(path, imported);
      return imported;
    };
    for (const { path, group: g } of plan.apiResources) {
      if (g === group) {
        const created = resolve(parentOf(path)).addResource(lastSegment(path));
        local.set(path, created);
        this.resources.set(path, created);
      }
    }
    return plan.routes.filter((r) => r.group === group).map((r) => renderRouteMethods(resolve, r, plan, this.routeDependencies()));
  }

  private routeDependencies(): RouteDependencies {
    return {
      authorizer: this.jwtAuthorizer?.authorizer,
      proxyIntegration: (service) => this.proxies[service]?.integration as apigw.Integration,
      aggregatorIntegration: (aggregate) => this.aggregators[aggregate]?.integration,
      validation: this.requestValidation,
    };
  }

  /** A resource of this stack ('/' is the root); the plan lists parents before children. */
  private resourceAt(path: string): apigw.IResource {
    const resource = this.resources.get(path);
    if (!resource) throw new Error(`Gatehouse internal error: no resource for ${path}`);
    return resource;
  }
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** How each overridden gateway response reads; every one carries the CORS headers when CORS is on. */
function gatewayResponseOptions(type: GatewayResponseType, plan: GatewayPlan): apigw.GatewayResponseOptions & { id: string } {
  const cors = plan.cors ? corsResponseHeaders(plan.cors) : {};
  switch (type) {
    case 'DEFAULT_4XX':
      return { id: 'Default4xx', type: apigw.ResponseType.DEFAULT_4XX, responseHeaders: cors };
    case 'DEFAULT_5XX':
      return { id: 'Default5xx', type: apigw.ResponseType.DEFAULT_5XX, responseHeaders: cors };
    case 'UNAUTHORIZED':
      // RFC 6750: a missing or invalid bearer token is a 401 that says so.
      return {
        id: 'Unauthorized',
        type: apigw.ResponseType.UNAUTHORIZED,
        statusCode: '401',
        responseHeaders: { ...cors, 'WWW-Authenticate': `'Bearer error="invalid_token"'` },
        templates: { 'application/json': '{"message":"Unauthorized"}' },
      };
    case 'ACCESS_DENIED':
      // The default body of a resource-policy denial names the API's ARN, account id included.
      return {
        id: 'AccessDenied',
        type: apigw.ResponseType.ACCESS_DENIED,
        statusCode: '403',
        responseHeaders: plan.cors ? cors : undefined,
        templates: { 'application/json': '{"message":"Forbidden"}' },
      };
    case 'BAD_REQUEST_BODY':
      // Gateway response templates are plain substitution, not VTL, so nothing can escape a value:
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.responseTemplates.html
      // validationErrorString quotes property names (`missing required properties (["sku"])`), which would
      // break the JSON, so the body says what failed in words; execution logs at INFO carry the keyword.
      return {
        id: 'BadRequestBody',
        type: apigw.ResponseType.BAD_REQUEST_BODY,
        statusCode: '400',
        responseHeaders: plan.cors ? cors : undefined,
        templates: { 'application/json': `{"message":"${BAD_REQUEST_BODY_MESSAGE}"}` },
      };
    case 'BAD_REQUEST_PARAMETERS':
      // Its validationErrorString lists parameter names, which the spec restricts to letters, digits and . _ ~ -.
      return {
        id: 'BadRequestParameters',
        type: apigw.ResponseType.BAD_REQUEST_PARAMETERS,
        statusCode: '400',
        responseHeaders: plan.cors ? cors : undefined,
        templates: { 'application/json': '{"message":"$context.error.validationErrorString"}' },
      };
  }
}

/** Stage method settings for routes with their own throttle: one entry per resource path and method. */
function routeThrottleOptions(routes: readonly RoutePlan[]): Record<string, apigw.MethodDeploymentOptions> | undefined {
  const options: Record<string, apigw.MethodDeploymentOptions> = {};
  for (const route of routes) {
    if (!route.features.throttle) continue;
    for (const path of route.resourcePaths) {
      for (const method of route.apiMethods) {
        options[`${path}/${method === 'ANY' ? '*' : method}`] = {
          throttlingRateLimit: route.features.throttle.rate,
          throttlingBurstLimit: route.features.throttle.burst,
        };
      }
    }
  }
  return Object.keys(options).length ? options : undefined;
}

/**
 * The API's resource policy: invoke is allowed to all (auth and keys are enforced by the methods),
 * except verbs that collapsed routes do not serve, and, for a PRIVATE API, calls from other sources
 * than its VPC endpoints. No policy at all when neither applies.
 */
function resourcePolicy(plan: GatewayPlan): iam.PolicyDocument | undefined {
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
  if (plan.deniedMethodResources.length) {
    statements.push(new iam.PolicyStatement({ ...invoke, sid: 'MethodsNotServed', effect: iam.Effect.DENY, resources: [...plan.deniedMethodResources] }));
  }
  statements.push(...sourceIpStatements(plan));
  if (!statements.length) return undefined;
  statements.push(new iam.PolicyStatement({ ...invoke, effect: iam.Effect.ALLOW, resources: ['execute-api:/*'] }));
  return new iam.PolicyDocument({ statements });
}

/** edge.resourcePolicy: deny every source outside ipAllow, and every source inside ipDeny. */
function sourceIpStatements(plan: GatewayPlan): iam.PolicyStatement[] {
  const ips = plan.edge?.resourcePolicy;
  const invoke = { principals: [new iam.AnyPrincipal()], actions: ['execute-api:Invoke'], resources: ['execute-api:/*'], effect: iam.Effect.DENY };
  const statements: iam.PolicyStatement[] = [];
  if (ips?.ipAllow.length) statements.push(new iam.PolicyStatement({ ...invoke, sid: 'SourceIpNotAllowed', conditions: { NotIpAddress: { 'aws:SourceIp': [...ips.ipAllow] } } }));
  if (ips?.ipDeny.length) statements.push(new iam.PolicyStatement({ ...invoke, sid: 'SourceIpDenied', conditions: { IpAddress: { 'aws:SourceIp': [...ips.ipDeny] } } }));
  return statements;
}

/** Findings that follow from choices written in the config; each reason says which choice. */
function acknowledgeConfigChoices(api: apigw.RestApi, stage: apigw.Stage, plan: GatewayPlan): void {
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
    Validations.of(stage).acknowledge({ id: 'AwsSolutions-APIG1', reason: `Access logs are turned off in the config (gateways.${plan.name}.stage.accessLogs.enabled: false).` });
  }
  if (plan.stage.executionLogs === 'OFF') {
    Validations.of(stage).acknowledge({ id: 'AwsSolutions-APIG6', reason: `Execution logs are turned off in the config (gateways.${plan.name}.stage.executionLogs: OFF).` });
  }
}
