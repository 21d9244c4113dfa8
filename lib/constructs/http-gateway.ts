// HttpGateway: one GatewayPlan rendered as an API Gateway HTTP API (v2): native CORS, $default stage, routes, JWT authorizer.
import { CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { httpRequestParameters } from '../plan/http';
import { GREEDY_SEGMENT } from '../plan/routes';
import type { GatewayPlan, RoutePlan } from '../plan/types';
import type { CorsSpec } from '../spec/schema';
import { HTTP_ACCESS_LOG_FIELDS, jsonLogFormat } from './access-log-format';
import { apiUrlDescription } from './api-url';
import type { AggregatorFunction } from './aggregator-function';
import { renderGatewayFunctions } from './gateway-functions';
import { createOriginVerifySecret } from './edge/edge-protection';
import { GatewayObservability } from './gateway-observability';
import { HttpLambdaAuthorizer } from './http-lambda-authorizer';
import { HttpOriginVerifyAuthorizer } from './http-origin-verify';
import type { ResilientProxy } from './resilient-proxy';

export interface HttpGatewayProps {
  /** The gateway's plan (from `planSpec`), with `flavor: 'http'`. */
  readonly plan: GatewayPlan;
  /**
   * Where the gateway's alarms go.
   * @default - alarms without actions (visible in the console and on the dashboard)
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Table where proxies and aggregators share breaker state and rate-limit counters; required when one of the plan's shares state.
   * @default - none
   */
  readonly stateTable?: dynamodb.ITable;
}

/** The stage an HTTP gateway serves on: no stage segment in its URL, deployed automatically. */
export const HTTP_STAGE_NAME = '$default';

export class HttpGateway extends Construct {
  public readonly api: apigwv2.HttpApi;
  public readonly stage: apigwv2.HttpStage;
  /** Access-log group, when access logs are enabled. */
  public readonly accessLogGroup?: logs.LogGroup;
  /** Routes by route key (`ANY /api/users/{proxy+}`). */
  public readonly routes = new Map<string, apigwv2.CfnRoute>();
  /** The native JWT authorizer, when JWT routes need only issuer, audience and scopes. */
  public readonly jwtAuthorizer?: apigwv2.CfnAuthorizer;
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
  /** One Lambda integration per function, shared by all its routes. */
  private readonly lambdaIntegrations = new Map<lambda.IFunction, apigwv2.CfnIntegration>();

  constructor(scope: Construct, id: string, props: HttpGatewayProps) {
    super(scope, id);
    const { plan } = props;
    if (plan.flavor !== 'http') throw new Error(`HttpGateway "${plan.name}": the plan is for flavor "${plan.flavor}"; use RestGateway`);

    this.api = new apigwv2.HttpApi(this, 'Resource', {
      apiName: plan.apiName,
      description: plan.description ?? `Gatehouse gateway "${plan.name}"`,
      createDefaultStage: false,
      corsPreflight: plan.cors && corsPreflight(plan.cors),
      // With mutual TLS, clients must come through the custom domain that checks their certificate.
      disableExecuteApiEndpoint: plan.executeApiEndpoint ? undefined : true,
    });

    if (plan.nativeJwtAuthorizer) {
      this.jwtAuthorizer = new apigwv2.CfnAuthorizer(this, 'JwtAuthorizer', {
        apiId: this.api.apiId,
        name: `${plan.name}-jwt`,
        authorizerType: 'JWT',
        identitySource: ['$request.header.Authorization'],
        jwtConfiguration: { issuer: plan.nativeJwtAuthorizer.issuer, audience: [...plan.nativeJwtAuthorizer.audiences] },
      });
    }
    const retention = plan.stage.accessLogs.retentionDays as logs.RetentionDays;
    const originVerify = plan.edge?.cloudfront?.originVerify;
    if (originVerify) this.originVerifySecret = createOriginVerifySecret(this, plan.name);
    if (plan.authorizer) {
      this.lambdaAuthorizer = new HttpLambdaAuthorizer(this, 'LambdaAuthorizer', {
        api: this.api,
        plan: plan.authorizer,
        gatewayName: plan.name,
        logRetention: retention,
        originVerifySecret: this.originVerifySecret,
      });
    }
    if (originVerify?.enforcedBy === 'lambda-authorizers' && originVerify.originAuthorizer) {
      this.originVerifyAuthorizer = new HttpOriginVerifyAuthorizer(this, 'OriginVerifyAuthorizer', {
        api: this.api,
        secret: this.originVerifySecret!,
        gatewayName: plan.name,
        cacheTtlSeconds: originVerify.cacheTtlSeconds,
        logRetention: retention,
      });
    }
    const functions = renderGatewayFunctions(this, plan, this.api, props.stateTable);
    Object.assign(this.proxies, functions.proxies);
    Object.assign(this.aggregators, functions.aggregators);
    for (const route of plan.routes) this.renderRoute(route, plan);

    if (plan.stage.accessLogs.enabled) this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', { retention });
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: HTTP_STAGE_NAME,
      autoDeploy: true,
      throttle: { rateLimit: plan.stage.throttle.rate, burstLimit: plan.stage.throttle.burst },
      accessLogSettings: this.accessLogGroup && {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: apigw.AccessLogFormat.custom(jsonLogFormat(HTTP_ACCESS_LOG_FIELDS)),
      },
    });
    const routeSettings = routeThrottles(plan.routes);
    if (routeSettings) {
      const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
      cfnStage.routeSettings = routeSettings;
      // Route settings name route keys, which must exist when the stage is updated.
      for (const route of this.routes.values()) cfnStage.node.addDependency(route);
    }
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

  /** One route per method on each of the route's paths; one HTTP integration per path (exact and greedy URIs differ). */
  private renderRoute(route: RoutePlan, plan: GatewayPlan): void {
    const scope = new Construct(this, `Route${route.id}`);
    for (const path of route.resourcePaths) {
      const greedy = path.endsWith(`/${GREEDY_SEGMENT}`);
      const integration = this.integrationFor(route, scope, greedy);
      for (const method of route.apiMethods) {
        const routeKey = `${method} ${path}`;
        const guarded = route.features.auth === 'jwt';
        const jwt = guarded ? this.jwtAuthorizer : undefined;
        // Behind CloudFront a route without JWT auth still has an authorizer: the origin-verify one.
        const custom = guarded ? this.lambdaAuthorizer : this.originVerifyAuthorizer;
        if (guarded && !jwt && !custom) throw new Error(`Gatehouse internal error: route ${route.path} needs a JWT authorizer`);
        if (this.originVerifySecret && !custom) throw new Error(`Gatehouse internal error: route ${route.path} behind CloudFront has no authorizer to check the origin-verify header`);
        const cfnRoute = new apigwv2.CfnRoute(scope, `${method}${greedy ? 'Greedy' : ''}`, {
          apiId: this.api.apiId,
          routeKey,
          target: `integrations/${integration.ref}`,
          authorizationType: jwt ? 'JWT' : custom ? 'CUSTOM' : 'NONE',
          authorizerId: jwt?.ref ?? custom?.resource.ref,
          // The Lambda authorizer checks scopes itself (it may also need roles); authorization scopes are for JWT authorizers only.
          authorizationScopes: jwt && route.features.scopes.length ? [...route.features.scopes] : undefined,
        });
        if (!guarded && !custom) {
          Validations.of(cfnRoute).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason: `Route "${route.path}" of HTTP gateway "${plan.name}" is configured without auth in the Gatehouse config: it is public on purpose.`,
          });
        }
        this.routes.set(routeKey, cfnRoute);
      }
    }
  }

  private integrationFor(route: RoutePlan, scope: Construct, greedy: boolean): apigwv2.CfnIntegration {
    const i = route.integration;
    if (i.kind === 'http-proxy') {
      // The greedy route's {proxy+} fills `{proxy}` in the URI, which is how stripPath works here:
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-http.html
      return new apigwv2.CfnIntegration(scope, greedy ? 'GreedyIntegration' : 'Integration', {
        apiId: this.api.apiId,
        integrationType: 'HTTP_PROXY',
        integrationMethod: 'ANY', // HTTP_PROXY forwards the caller's own method
        integrationUri: greedy ? i.greedyUri : i.uri,
        payloadFormatVersion: '1.0',
        timeoutInMillis: i.timeoutMs,
        requestParameters: httpRequestParameters(i, this.lambdaAuthorizer ? 'lambda' : 'native'),
      });
    }
    const fn =
      i.kind === 'lambda-proxy' ? this.proxies[i.service]?.function : this.aggregators[i.aggregate]?.function;
    if (!fn) throw new Error(`Gatehouse internal error: route ${route.path} has no function for its ${i.kind} integration`);
    const known = this.lambdaIntegrations.get(fn);
    if (known) return known;
    // One integration per function per API; its single invoke permission is the function construct's.
    const integration = new apigwv2.CfnIntegration(fn.node.scope as Construct, 'HttpIntegration', {
      apiId: this.api.apiId,
      integrationType: 'AWS_PROXY',
      integrationUri: fn.functionArn,
      payloadFormatVersion: '2.0',
      timeoutInMillis: i.timeoutMs,
    });
    this.lambdaIntegrations.set(fn, integration);
    return integration;
  }
}

function corsPreflight(cors: CorsSpec): apigwv2.CorsPreflightOptions {
  return {
    allowOrigins: cors.origins,
    allowMethods: cors.methods.map((m) => apigwv2.CorsHttpMethod[m]),
    allowHeaders: cors.headers,
    exposeHeaders: cors.exposeHeaders,
    allowCredentials: cors.credentials,
    maxAge: Duration.seconds(cors.maxAgeSeconds),
  };
}

/** Stage route settings for routes with their own throttle, one entry per route key. */
function routeThrottles(routes: readonly RoutePlan[]): Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> | undefined {
  const settings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
  for (const route of routes) {
    const t = route.features.throttle;
    if (!t) continue;
    for (const path of route.resourcePaths) {
      for (const method of route.apiMethods) settings[`${method} ${path}`] = { ThrottlingRateLimit: t.rate, ThrottlingBurstLimit: t.burst };
    }
  }
  return Object.keys(settings).length ? settings : undefined;
}

/** Findings that follow from choices written in the config; each reason says which choice. */
function acknowledgeConfigChoices(stage: apigwv2.HttpStage, plan: GatewayPlan): void {
  if (!plan.stage.accessLogs.enabled) {
    Validations.of(stage).acknowledge({ id: 'AwsSolutions-APIG1', reason: `Access logs are turned off in the config (gateways.${plan.name}.stage.accessLogs.enabled: false).` });
  }
}
