// One route's operations: the method each path serves, with its integration, security, validator and parameters.
import { validatorKind } from '../../plan/edge';
import type { HttpProxyIntegration, PlanMethod, RoutePlan } from '../../plan/types';
import type { SwaggerIntegration, SwaggerOperation, SwaggerParameter } from './swagger';
import { internalError } from '../../constructs/validation-error';

/** Invocation URIs (`arn:…:apigateway:…:lambda:path/2015-03-31/functions/…/invocations`) of the gateway's Lambdas. */
export interface RestFunctionUris {
  /** The resilient proxy of each service, by service name. */
  readonly proxies: Readonly<Record<string, string>>;
  /** The aggregator of each aggregate, by aggregate name. */
  readonly aggregators: Readonly<Record<string, string>>;
  /** The JWT REQUEST authorizer, when a route needs it. */
  readonly authorizer?: string;
  /** Ids of the VPC links the stack creates, by `Plan.vpcLinks` key (reused links carry their id in the plan). @default - none */
  readonly vpcLinks?: Readonly<Record<string, string>>;
  /** The function of each Lambda service the routes call directly, by service name. @default - none */
  readonly lambdaServices?: Readonly<Record<string, string>>;
}

/** Names the document gives its security schemes; the authorizer's is also its name in API Gateway. */
export interface SecurityNames {
  readonly jwt: string;
  readonly apiKey: string;
}

/** The operation key of a method in a path item (`get`, or API Gateway's ANY extension). */
export function operationKey(method: PlanMethod): string {
  return method === 'ANY' ? 'x-amazon-apigateway-any-method' : method.toLowerCase();
}

export function routeOperation(
  route: RoutePlan,
  method: PlanMethod,
  path: string,
  uris: RestFunctionUris,
  security: SecurityNames,
  /** Name of the route's body model in `definitions`, when its validation has a body. */
  model: string | undefined,
): SwaggerOperation {
  const greedy = path === route.greedyChild;
  const validation = route.features.validation;
  const validator = validatorKind(validation, method);
  const parameters: SwaggerParameter[] = [];
  // Every path parameter (`{id}`, a greedy `{rest+}`, a prefix route's `{proxy+}`) is declared, as API Gateway's import
  // requires for a templated resource; as required strings they are what a params validator checks too.
  const pathParams = pathParameterNames(path);
  for (const name of pathParams) parameters.push({ name, in: 'path', required: true, type: 'string' });
  if (validation && validator) {
    for (const q of validation.query) parameters.push({ name: q, in: 'query', required: true, type: 'string' });
    for (const h of validation.headers) parameters.push({ name: h, in: 'header', required: true, type: 'string' });
    if (validator !== 'params' && model)
      parameters.push({ name: 'body', in: 'body', required: true, schema: { $ref: `#/definitions/${model}` } });
  }
  const requirement: Record<string, readonly string[]> = {};
  if (route.features.auth === 'jwt') requirement[security.jwt] = [];
  if (route.features.apiKey) requirement[security.apiKey] = [];
  return {
    summary: route.name ?? `${route.path} (${route.service})`,
    ...(model && validator && validator !== 'params' ? { consumes: ['application/json'] } : {}),
    ...(parameters.length ? { parameters } : {}),
    // Proxy integrations pass the integration's status and headers through; the method response only names one.
    responses: { '200': { description: "The integration's answer, passed through" } },
    ...(Object.keys(requirement).length ? { security: [requirement] } : {}),
    ...(validator ? { 'x-amazon-apigateway-request-validator': validator } : {}),
    'x-amazon-apigateway-integration': integration(route, greedy, pathParams, uris),
  };
}

/** Names of the path's parameters, greedy ones without their `+` (`/users/{id}/{proxy+}` → id, proxy). */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^{}+]+)\+?\}/g)].map((m) => m[1]!);
}

function integration(route: RoutePlan, greedy: boolean, pathParams: readonly string[], uris: RestFunctionUris): SwaggerIntegration {
  const i = route.integration;
  if (i.kind === 'http-proxy') {
    return {
      type: 'http_proxy',
      httpMethod: 'ANY', // HTTP_PROXY forwards the caller's own method
      uri: greedy ? i.greedyUri : i.uri,
      passthroughBehavior: 'when_no_match',
      timeoutInMillis: i.timeoutMs,
      requestParameters: {
        // Each parameter the URI names (`{id}`, `{proxy}`) is filled from the method request's path parameter of that name:
        // https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-parameter-mapping.html
        ...Object.fromEntries(
          pathParams
            .filter((p) => uriNames(i, greedy).includes(p))
            .map((p) => [`integration.request.path.${p}`, `method.request.path.${p}`]),
        ),
        ...Object.fromEntries(Object.entries(i.headers).map(([h, source]) => [`integration.request.header.${h}`, source])),
      },
      // A private service: API Gateway sends the request to the link's NLB, with the uri's host as Host (and TLS name).
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html
      ...(i.vpcLink ? { connectionType: 'VPC_LINK' as const, connectionId: vpcLinkId(i.vpcLink, uris.vpcLinks, route) } : {}),
    };
  }
  const uri =
    i.kind === 'aggregator'
      ? uris.aggregators[i.aggregate]
      : i.kind === 'lambda-function'
        ? uris.lambdaServices?.[i.service]
        : uris.proxies[i.service];
  if (!uri) throw internalError(`route ${route.path} has no function URI for ${i.kind === 'aggregator' ? i.aggregate : i.service}`);
  // A REST API's Lambda proxy integration sends payload 1.0, the one format it has (a Lambda service's too).

  // Lambda proxy integrations are always invoked with POST (AWS_PROXY, payload 1.0).
  return { type: 'aws_proxy', httpMethod: 'POST', uri, passthroughBehavior: 'when_no_match', timeoutInMillis: i.timeoutMs };
}

/** The id a private integration's `connectionId` names: the reused link's, or the one the stack creates. */
export function vpcLinkId(
  link: NonNullable<HttpProxyIntegration['vpcLink']>,
  created: Readonly<Record<string, string>> | undefined,
  route: RoutePlan,
): string {
  const id = link.connectionId ?? created?.[link.link];
  if (!id) throw internalError(`route ${route.path} goes through VPC link "${link.link}", which was not created`);
  return id;
}

/** The `{name}` placeholders of the integration URI a resource uses. */
function uriNames(i: HttpProxyIntegration, greedy: boolean): string[] {
  return [...(greedy ? i.greedyUri : i.uri).matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]!);
}
