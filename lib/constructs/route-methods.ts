// Renders one RoutePlan: its resources' methods (exact path and greedy {proxy+}; an aggregate's path alone) and the CORS preflight.
import { Duration, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { CorsSpec } from '../spec/schema';
import { GREEDY_SEGMENT } from '../plan/routes';
import type { GatewayPlan, RoutePlan } from '../plan/types';
import type { RequestValidation } from './edge/request-validation';

/** Looks up the API Gateway resource for a path ('/' is the root). */
export type ResourceLookup = (path: string) => apigw.IResource;

export interface RenderedRoute {
  readonly route: RoutePlan;
  /** Every method created for the route, preflights excluded. */
  readonly methods: apigw.Method[];
}

/** What a route's methods need from the gateway besides its resources. */
export interface RouteDependencies {
  /** The gateway's JWT authorizer, required when the route's auth is jwt. */
  readonly authorizer?: apigw.IAuthorizer;
  /** The integration of a service's resilient proxy, required for lambda-proxy routes. */
  readonly proxyIntegration?: (service: string) => apigw.Integration;
  /** The integration of an aggregate's aggregator, required for aggregator routes. */
  readonly aggregatorIntegration?: (aggregate: string) => apigw.Integration | undefined;
  /** Validators and models, for routes with request validation. */
  readonly validation?: RequestValidation;
}

export function renderRouteMethods(resourceFor: ResourceLookup, route: RoutePlan, gateway: GatewayPlan, deps: RouteDependencies = {}): RenderedRoute {
  const { authorizer, validation } = deps;
  if (route.features.auth === 'jwt' && !authorizer) throw new Error(`Gatehouse internal error: route ${route.path} needs the JWT authorizer`);
  const methods: apigw.Method[] = [];
  for (const path of route.resourcePaths) {
    const isGreedy = path.endsWith(`/${GREEDY_SEGMENT}`);
    const resource = resourceFor(path);
    const integration = routeIntegration(route, isGreedy, deps);
    for (const httpMethod of route.apiMethods) {
      const { requestParameters: required, ...validated } = validation?.methodOptions(route, httpMethod) ?? { requestParameters: {} };
      const requestParameters = { ...(isGreedy ? { 'method.request.path.proxy': true } : {}), ...required };
      const method = resource.addMethod(httpMethod, integration, {
        apiKeyRequired: route.features.apiKey,
        ...(route.features.auth === 'jwt' ? { authorizer, authorizationType: apigw.AuthorizationType.CUSTOM } : {}),
        requestParameters: Object.keys(requestParameters).length ? requestParameters : undefined,
        ...validated,
      });
      acknowledgeNoAuth(method, route);
      methods.push(method);
    }
    if (route.features.cors && gateway.cors) {
      const preflight = resource.addCorsPreflight(corsOptions(gateway.cors));
      if (gateway.binaryMediaTypes.length) answerPreflightAsText(preflight);
      Validations.of(preflight).acknowledge({ id: 'AwsSolutions-APIG4', reason: 'CORS preflight (OPTIONS) requests carry no credentials by the Fetch standard, so they cannot be authorized.' });
      Validations.of(preflight).acknowledge({ id: 'AwsSolutions-COG4', reason: 'CORS preflight (OPTIONS) requests carry no credentials by the Fetch standard, so they cannot be authorized.' });
    }
  }
  return { route, methods };
}

function routeIntegration(route: RoutePlan, isGreedy: boolean, deps: RouteDependencies): apigw.Integration {
  const i = route.integration;
  if (i.kind === 'aggregator') {
    const integration = deps.aggregatorIntegration?.(i.aggregate);
    if (!integration) throw new Error(`Gatehouse internal error: route ${route.path} needs the aggregator of ${i.aggregate}`);
    return integration;
  }
  if (i.kind === 'lambda-proxy') {
    const integration = deps.proxyIntegration?.(i.service);
    if (!integration) throw new Error(`Gatehouse internal error: route ${route.path} needs the proxy of ${i.service}`);
    return integration;
  }
  return new apigw.HttpIntegration(isGreedy ? i.greedyUri : i.uri, {
    httpMethod: 'ANY', // HTTP_PROXY forwards the caller's own method
    proxy: true,
    options: {
      timeout: Duration.millis(i.timeoutMs),
      requestParameters: {
        ...(isGreedy ? { 'integration.request.path.proxy': 'method.request.path.proxy' } : {}),
        ...Object.fromEntries(Object.entries(i.headers).map(([h, source]) => [`integration.request.header.${h}`, source])),
      },
    },
  });
}

/**
 * With binary media types on the API (`*\/*` for the proxy's binary bodies), API Gateway treats the
 * preflight's mock integration payload as binary and answers 500 unless it is converted to text
 * (a known API Gateway behaviour; the Serverless Framework and Chalice apply the same fix).
 */
function answerPreflightAsText(preflight: apigw.Method): void {
  const cfn = preflight.node.defaultChild as apigw.CfnMethod;
  cfn.addPropertyOverride('Integration.ContentHandling', 'CONVERT_TO_TEXT');
  cfn.addPropertyOverride('Integration.IntegrationResponses.0.ContentHandling', 'CONVERT_TO_TEXT');
}

export function corsOptions(cors: CorsSpec): apigw.CorsOptions {
  return {
    allowOrigins: cors.origins,
    allowMethods: cors.methods,
    allowHeaders: cors.headers,
    exposeHeaders: cors.exposeHeaders,
    allowCredentials: cors.credentials,
    maxAge: Duration.seconds(cors.maxAgeSeconds),
  };
}

/** Routes without auth are public by the config's choice; say so where cdk-nag and reviewers look. */
function acknowledgeNoAuth(method: apigw.Method, route: RoutePlan): void {
  if (route.features.auth === 'jwt') {
    Validations.of(method).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: `Route "${route.path}" is authorized by the Gatehouse JWT Lambda authorizer, which verifies tokens of the configured OIDC issuers (Cognito or any other).`,
    });
    return;
  }
  const why = route.features.apiKey
    ? `Route "${route.path}" is configured with apiKey: true and no auth in the Gatehouse config: callers are identified by usage-plan API keys only.`
    : `Route "${route.path}" is configured without auth in the Gatehouse config: it is public on purpose.`;
  Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason: why });
  Validations.of(method).acknowledge({ id: 'AwsSolutions-COG4', reason: why });
}
