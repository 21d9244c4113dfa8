// renderHttpOpenApi: an HTTP gateway's plan as one OpenAPI 3.0 document, with or without the x-amazon-apigateway extensions that deploy it.
import { PREFLIGHT_SAFE_METHODS } from '../../plan/http';
import type { HttpGatewayPlan, PlanMethod, RoutePlan } from '../../plan/types';
import { integrationKey, renderIntegrations, type HttpFunctionRefs } from './integrations';
import { renderSecuritySchemes, routeSecurity } from './security';

export type OpenApiDocument = Record<string, unknown> & { readonly paths: Record<string, Record<string, unknown>> };

export interface HttpOpenApiOptions {
  /**
   * Where Gatehouse's functions are. Given: the document carries the `x-amazon-apigateway-*` extensions and is
   * what the API imports. Absent: a clean document for docs and client generators.
   */
  readonly refs?: HttpFunctionRefs;
}

/**
 * The whole HTTP API as one OpenAPI 3.0 document: every route key as a path operation, integrations shared through
 * `components.x-amazon-apigateway-integrations`, authorizers as security schemes, CORS as `x-amazon-apigateway-cors`.
 * It reads the plan only; every decision (methods, authorizer, mappings) was taken there.
 * Import rules: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html
 */
export function renderHttpOpenApi(plan: HttpGatewayPlan, options: HttpOpenApiOptions = {}): OpenApiDocument {
  const flavor: string = plan.flavor;
  if (flavor !== 'http') throw new Error(`renderHttpOpenApi "${plan.name}": the plan is for flavor "${flavor}"`);
  const aws = options.refs !== undefined;
  const paths: Record<string, Record<string, unknown>> = {};
  // Sorted by path, so the body (and its diff) does not depend on the order routes are listed in.
  const entries = plan.routes.flatMap((route) => route.resourcePaths.map((path) => ({ route, path })));
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const { route, path } of entries) {
    const item: Record<string, unknown> = (paths[path] ??= {});
    const parameters = pathParameters(path);
    if (parameters.length && !item.parameters) item.parameters = parameters;
    for (const method of operationMethods(route, aws)) item[operationKey(method)] = operation(plan, route, path, method, aws);
  }
  const securitySchemes = renderSecuritySchemes(plan, options.refs);
  const components: Record<string, unknown> = {
    ...(Object.keys(securitySchemes).length ? { securitySchemes } : {}),
    ...(options.refs ? { 'x-amazon-apigateway-integrations': renderIntegrations(plan, options.refs) } : {}),
  };
  return {
    openapi: '3.0.1',
    info: {
      title: plan.name,
      ...(plan.description ? { description: plan.description } : {}),
      // Changes whenever the routes, integrations or authorizers do; readable in the console after an import.
      version: plan.deploymentFingerprint,
    },
    paths,
    ...(Object.keys(components).length ? { components } : {}),
    ...(aws ? awsRootExtensions(plan) : {}),
  };
}

/** Root extensions: CORS, the export format version, and the execute-api endpoint switch. */
function awsRootExtensions(plan: HttpGatewayPlan): Record<string, unknown> {
  const cors = plan.cors;
  return {
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-cors-configuration.html
    ...(cors && {
      'x-amazon-apigateway-cors': {
        allowOrigins: [...cors.origins],
        allowMethods: [...cors.methods],
        allowHeaders: [...cors.headers],
        exposeHeaders: [...cors.exposeHeaders],
        allowCredentials: cors.credentials,
        maxAge: cors.maxAgeSeconds,
      },
    }),
    'x-amazon-apigateway-importexport-version': '1.0',
    // With mutual TLS (or domain.executeApiEndpoint: false) clients must come through the custom domain. In OpenAPI 3.0
    // the extension belongs to a Server object:
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-endpoint-configuration.html
    ...(plan.executeApiEndpoint
      ? {}
      : { servers: [{ url: '/', 'x-amazon-apigateway-endpoint-configuration': { disableExecuteApiEndpoint: true } }] }),
  };
}

/** ANY is one operation for API Gateway; a clean document spells it out as the verbs it stands for. */
function operationMethods(route: RoutePlan, aws: boolean): readonly PlanMethod[] {
  if (aws || !route.apiMethods.includes('ANY')) return route.apiMethods;
  return [...PREFLIGHT_SAFE_METHODS, 'OPTIONS'];
}

function operationKey(method: PlanMethod): string {
  return method === 'ANY' ? 'x-amazon-apigateway-any-method' : method.toLowerCase();
}

function operation(plan: HttpGatewayPlan, route: RoutePlan, path: string, method: PlanMethod, aws: boolean): Record<string, unknown> {
  const security = routeSecurity(plan, route, aws);
  const body = route.features.validation?.body;
  const takesBody = ['POST', 'PUT', 'PATCH', 'ANY'].includes(method);
  return {
    ...(route.name ? { summary: route.name } : {}),
    ...(aws ? {} : { operationId: operationId(method, path) }),
    ...(security ? { security } : {}),
    ...(!aws && route.features.validation ? { parameters: validatedParameters(route) } : {}),
    ...(!aws && body && takesBody
      ? { requestBody: { required: true, content: { 'application/json': { schema: openApiSchema(body.schema) } } } }
      : {}),
    responses: {
      default: {
        description:
          route.integration.kind === 'aggregator'
            ? `Answer of aggregate ${route.integration.aggregate}`
            : `Answer of service ${route.service}`,
      },
    },
    ...(aws
      ? {
          'x-amazon-apigateway-integration': {
            $ref: `#/components/x-amazon-apigateway-integrations/${integrationKey(route.integration, path)}`,
          },
        }
      : {}),
  };
}

/**
 * A JSON Schema file as an OpenAPI 3.0 Schema Object, which has no `$schema` or `$id` keywords (the proxy validates
 * with the file itself; this copy is for docs and client generators).
 */
function openApiSchema(schema: object): object {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema' && key !== '$id'));
}

/** The route's validated query strings and headers (the proxy checks them on an HTTP API), for client generators. */
function validatedParameters(route: RoutePlan): Record<string, unknown>[] {
  const v = route.features.validation!;
  return [
    ...v.query.map((name) => ({ name, in: 'query', required: true, schema: { type: 'string' } })),
    ...v.headers.map((name) => ({ name, in: 'header', required: true, schema: { type: 'string' } })),
  ];
}

/** `{id}` and `{proxy+}` segments as required path parameters (API Gateway names the greedy one `proxy+`). */
function pathParameters(path: string): Record<string, unknown>[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
}

function operationId(method: PlanMethod, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return [method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join('');
}
