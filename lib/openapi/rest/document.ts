// renderRestDefinition: a REST gateway's plan as one Swagger 2.0 document with API Gateway's extensions (RestApi Body).
// It reads the plan and never re-decides: every method, header mapping and validator below is the plan's.
import { validatorKind } from '../../plan/edge';
import type { RestGatewayPlan, RoutePlan } from '../../plan/types';
import { corsPreflightOperation } from './cors-preflight';
import { gatewayResponses } from './gateway-responses';
import { operationKey, routeOperation, type RestFunctionUris, type SecurityNames } from './operations';
import type { SwaggerDocument, SwaggerPathItem } from './swagger';
import { internalError } from '../../constructs/validation-error';

export type { RestFunctionUris } from './operations';

/** The validators a route can ask for, by the name methods use in x-amazon-apigateway-request-validator. */
const VALIDATORS = {
  'body-and-params': { validateRequestBody: true, validateRequestParameters: true },
  body: { validateRequestBody: true, validateRequestParameters: false },
  params: { validateRequestBody: false, validateRequestParameters: true },
} as const;

export function renderRestDefinition(plan: RestGatewayPlan, uris: RestFunctionUris): SwaggerDocument {
  const security: SecurityNames = { jwt: `${plan.name}-jwt`, apiKey: 'api_key' };
  const models = bodyModels(plan.routes);
  const paths: Record<string, SwaggerPathItem> = {};
  for (const route of plan.routes) {
    for (const path of route.resourcePaths) {
      const item = (paths[path] ??= {});
      for (const method of route.apiMethods) {
        const key = operationKey(method);
        if (item[key]) throw internalError(`${method} ${path} is planned twice`);
        item[key] = routeOperation(route, method, path, uris, security, models.byRoute.get(route));
      }
      if (route.features.cors && plan.cors && !item.options) item.options = corsPreflightOperation(plan.cors);
    }
  }
  const validatorsUsed = new Set(
    plan.routes.flatMap((r) => r.apiMethods.map((m) => validatorKind(r.features.validation, m)).filter((k) => k !== undefined)),
  );
  const responses = gatewayResponses(plan);
  return {
    swagger: '2.0',
    info: { title: plan.name, ...(plan.description ? { description: plan.description } : {}), version: '1.0' },
    schemes: ['https'],
    // Sorted, so a route's place in the config never moves anything in the document.
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    ...securityDefinitions(plan, uris, security),
    ...(models.definitions.size ? { definitions: Object.fromEntries(models.definitions) } : {}),
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-api-key-source.html
    'x-amazon-apigateway-api-key-source': plan.apiKeySource,
    ...(plan.binaryMediaTypes.length ? { 'x-amazon-apigateway-binary-media-types': [...plan.binaryMediaTypes] } : {}),
    ...(responses ? { 'x-amazon-apigateway-gateway-responses': responses } : {}),
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-request-validators.html
    ...(validatorsUsed.size
      ? { 'x-amazon-apigateway-request-validators': Object.fromEntries([...validatorsUsed].sort().map((k) => [k, VALIDATORS[k]])) }
      : {}),
  };
}

/**
 * The REQUEST Lambda authorizer and the API key, as Swagger security schemes
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authtype.html).
 */
function securityDefinitions(
  plan: RestGatewayPlan,
  uris: RestFunctionUris,
  names: SecurityNames,
): Pick<SwaggerDocument, 'securityDefinitions'> {
  const schemes: Record<string, Record<string, unknown>> = {};
  if (plan.routes.some((r) => r.features.auth === 'jwt')) {
    if (!plan.authorizer || !uris.authorizer) throw internalError(`gateway ${plan.name} has JWT routes but no authorizer`);
    schemes[names.jwt] = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': {
        type: 'request',
        identitySource: 'method.request.header.Authorization',
        authorizerUri: uris.authorizer,
        authorizerResultTtlInSeconds: plan.authorizer.cacheTtlSeconds,
      },
    };
  }
  if (plan.routes.some((r) => r.features.apiKey)) schemes[names.apiKey] = { type: 'apiKey', name: 'x-api-key', in: 'header' };
  return Object.keys(schemes).length ? { securityDefinitions: schemes } : {};
}

/**
 * One model per spec route with a body schema, named after the route (its name, else its first path), never its position.
 * The schema goes in as written less `$schema`, which a Swagger schema object cannot hold (API Gateway models are JSON Schema draft 4 anyway).
 */
function bodyModels(routes: readonly RoutePlan[]): { byRoute: Map<RoutePlan, string>; definitions: Map<string, Record<string, unknown>> } {
  const byRoute = new Map<RoutePlan, string>();
  const definitions = new Map<string, Record<string, unknown>>();
  const bySchemaOwner = new Map<string, string>();
  for (const route of routes) {
    const body = route.features.validation?.body;
    if (!body) continue;
    const owner = `${route.routeIndex}:${body.file}`;
    let name = bySchemaOwner.get(owner);
    if (!name) {
      const base = `${modelName(route.name ?? route.path)}Body`;
      name = base;
      for (let n = 2; definitions.has(name); n++) name = `${base}${n}`;
      const { $schema: _draft, ...schema } = body.schema;
      definitions.set(name, schema);
      bySchemaOwner.set(owner, name);
    }
    byRoute.set(route, name);
  }
  return { byRoute, definitions };
}

/** A model name API Gateway accepts (alphanumeric) from a route name or path. */
function modelName(from: string): string {
  const name = from
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
  return name || 'Root';
}
