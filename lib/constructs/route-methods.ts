// Renders one RoutePlan: its two resources' methods (exact path and greedy {proxy+}) and the CORS preflight.
import { Duration, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { CorsSpec } from '../spec/schema';
import type { GatewayPlan, RoutePlan } from '../plan/types';
import type { RequestValidation } from './edge/request-validation';

/** Looks up the API Gateway resource for a path ('/' is the root). */
export type ResourceLookup = (path: string) => apigw.IResource;

export interface RenderedRoute {
  readonly route: RoutePlan;
  /** Every method created for the route, preflights excluded. */
  readonly methods: apigw.Method[];
}

export function renderRouteMethods(
  resourceFor: ResourceLookup,
  route: RoutePlan,
  gateway: GatewayPlan,
  /** The gateway's JWT authorizer, required when the route's auth is jwt. */
  authorizer?: apigw.IAuthorizer,
  /** Validators and models, for routes with request validation. */
  validation?: RequestValidation,
): RenderedRoute {
  if (route.features.auth === 'jwt' && !authorizer) throw new Error(`Gatehouse internal error: route ${route.path} needs the JWT authorizer`);
  const [exactPath, greedy] = route.resourcePaths;
  const methods: apigw.Method[] = [];
  for (const [path, uri, isGreedy] of [
    [exactPath, route.integration.uri, false],
    [greedy, route.integration.greedyUri, true],
  ] as const) {
    const resource = resourceFor(path);
    const integration = new apigw.HttpIntegration(uri, {
      httpMethod: 'ANY', // HTTP_PROXY forwards the caller's own method
      proxy: true,
      options: {
        timeout: Duration.millis(route.integration.timeoutMs),
        requestParameters: {
          ...(isGreedy ? { 'integration.request.path.proxy': 'method.request.path.proxy' } : {}),
          ...Object.fromEntries(Object.entries(route.integration.headers).map(([h, source]) => [`integration.request.header.${h}`, source])),
        },
      },
    });
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
      Validations.of(preflight).acknowledge({ id: 'AwsSolutions-APIG4', reason: 'CORS preflight (OPTIONS) requests carry no credentials by the Fetch standard, so they cannot be authorized.' });
      Validations.of(preflight).acknowledge({ id: 'AwsSolutions-COG4', reason: 'CORS preflight (OPTIONS) requests carry no credentials by the Fetch standard, so they cannot be authorized.' });
    }
  }
  return { route, methods };
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
