// The security schemes of an HTTP gateway (native JWT, the Gatehouse Lambda authorizer, the origin-verify one) and each route's requirement.
import { ORIGIN_VERIFY_HEADER } from '../../plan/edge';
import type { HttpGatewayPlan, RoutePlan } from '../../plan/types';
import { invocationUri, type HttpFunctionRefs } from './integrations';
import { internalError } from '../../constructs/validation-error';

/**
 * Scheme names in `components.securitySchemes`, which the import makes the authorizers' names (as the CloudFormation
 * authorizers were named before); route `security` entries name them. The native and the Lambda JWT authorizer never coexist.
 */
export function schemeNames(plan: HttpGatewayPlan): { readonly jwt: string; readonly originVerify: string } {
  return { jwt: `${plan.name}-jwt`, originVerify: `${plan.name}-origin-verify` };
}

/** Whether the plan puts the origin-verify authorizer on the routes without JWT auth (HTTP API behind CloudFront). */
export function hasOriginVerifyAuthorizer(plan: HttpGatewayPlan): boolean {
  return originVerifyCacheTtl(plan) !== undefined;
}

/** The origin-verify authorizer's cache TTL, when the plan has that authorizer. */
function originVerifyCacheTtl(plan: HttpGatewayPlan): number | undefined {
  const originVerify = plan.edge?.cloudfront?.originVerify;
  return originVerify?.enforcedBy === 'lambda-authorizers' && originVerify.originAuthorizer ? originVerify.cacheTtlSeconds : undefined;
}

/**
 * `components.securitySchemes`. With AWS extensions each carries its `x-amazon-apigateway-authorizer`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html):
 * the native JWT authorizer as `jwt` with `jwtConfiguration`, the Lambda ones as `request` authorizers with simple
 * responses (payload 2.0) and their cache TTL. `identitySource` is a comma-separated list there, and a request
 * missing one of its sources gets 401 without the function being invoked.
 */
export function renderSecuritySchemes(plan: HttpGatewayPlan, refs: HttpFunctionRefs | undefined): Record<string, Record<string, unknown>> {
  const schemes: Record<string, Record<string, unknown>> = {};
  const jwt = plan.nativeJwtAuthorizer;
  if (jwt) {
    // Deployed: `oauth2`, the scheme type AWS SAM gives JWT authorizers (an empty `flows` keeps the document valid
    // OpenAPI). Clean: the native authorizer finds the issuer's keys through OIDC discovery, which is what
    // `openIdConnect` tells a client.
    schemes[schemeNames(plan).jwt] = refs
      ? {
          type: 'oauth2',
          flows: {},
          'x-amazon-apigateway-authorizer': {
            type: 'jwt',
            jwtConfiguration: { issuer: jwt.issuer, audience: [...jwt.audiences] },
            identitySource: '$request.header.Authorization',
          },
        }
      : { type: 'openIdConnect', openIdConnectUrl: `${jwt.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration` };
  }
  const lambda = plan.authorizer;
  if (lambda) {
    const originHeader = lambda.config.originVerify?.header;
    schemes[schemeNames(plan).jwt] = refs
      ? {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authorizer': lambdaAuthorizer(
            refs,
            required(refs.authorizerArn, 'the JWT Lambda authorizer'),
            // The answer depends on the route: the route key joins the token (and the origin-verify value) in the cache key.
            ['$request.header.Authorization', ...(originHeader ? [`$request.header.${originHeader}`] : []), '$context.routeKey'],
            lambda.cacheTtlSeconds,
          ),
        }
      : { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' };
  }
  // The origin-verify header is CloudFront's secret, not something a client sends: only the deployed document has it.
  const originTtl = originVerifyCacheTtl(plan);
  if (refs && originTtl !== undefined) {
    schemes[schemeNames(plan).originVerify] = {
      type: 'apiKey',
      name: ORIGIN_VERIFY_HEADER,
      in: 'header',
      // The answer for a value is the same on every route, so the value alone is the cache key.
      'x-amazon-apigateway-authorizer': lambdaAuthorizer(
        refs,
        required(refs.originVerifyAuthorizerArn, 'the origin-verify authorizer'),
        [`$request.header.${ORIGIN_VERIFY_HEADER}`],
        originTtl,
      ),
    };
  }
  return schemes;
}

function lambdaAuthorizer(
  refs: HttpFunctionRefs,
  functionArn: string,
  identitySource: string[],
  ttlSeconds: number,
): Record<string, unknown> {
  return {
    type: 'request',
    authorizerUri: invocationUri(refs, functionArn),
    authorizerPayloadFormatVersion: '2.0',
    enableSimpleResponses: true,
    identitySource: identitySource.join(', '),
    authorizerResultTtlInSeconds: ttlSeconds,
  };
}

function required(arn: string | undefined, what: string): string {
  if (!arn) throw internalError(`the plan has ${what} but no function ARN was given for it`);
  return arn;
}

/**
 * A route's security requirement: the native JWT authorizer with the route's scopes (it checks them itself), the
 * Lambda authorizer (it checks scopes and roles itself), or behind CloudFront the origin-verify authorizer on
 * routes without JWT auth. Undefined for a public route.
 */
export function routeSecurity(plan: HttpGatewayPlan, route: RoutePlan, awsExtensions: boolean): Record<string, string[]>[] | undefined {
  if (route.features.auth === 'jwt') {
    if (plan.nativeJwtAuthorizer) return [{ [schemeNames(plan).jwt]: [...route.features.scopes] }];
    if (plan.authorizer) return [{ [schemeNames(plan).jwt]: [] }];
    throw internalError(`route ${route.path} needs a JWT authorizer`);
  }
  if (awsExtensions && hasOriginVerifyAuthorizer(plan)) return [{ [schemeNames(plan).originVerify]: [] }];
  if (awsExtensions && plan.edge?.cloudfront?.originVerify) {
    throw internalError(`route ${route.path} behind CloudFront has no authorizer to check the origin-verify header`);
  }
  return undefined;
}
