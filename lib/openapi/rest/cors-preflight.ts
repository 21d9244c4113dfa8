// The OPTIONS operation that answers a CORS preflight at the gateway: a MOCK integration and its method/integration responses.
import type { CorsSpec } from '../../config/schema';
import type { SwaggerOperation } from './swagger';

const PREFLIGHT_STATUS = '204';

/**
 * A preflight never reaches an upstream. With several allowed origins the first is the default and a
 * response template echoes the caller's Origin when it is one of the others (the template sees only the
 * request, so this is the only place the answer can depend on it). `CONVERT_TO_TEXT` on the integration and
 * its response: with binary media types on the API (`*\/*` for the proxy's binary bodies) API Gateway would
 * treat the mock's payload as binary and answer 500
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html).
 */
export function corsPreflightOperation(cors: CorsSpec): SwaggerOperation {
  const headers: Record<string, string> = {
    'Access-Control-Allow-Headers': literal(cors.headers.join(',')),
    'Access-Control-Allow-Origin': literal(cors.origins[0]!),
    'Access-Control-Allow-Methods': literal(cors.methods.join(',')),
    'Access-Control-Max-Age': literal(String(cors.maxAgeSeconds)),
  };
  if (cors.origins[0] !== '*') headers['Vary'] = literal('Origin');
  if (cors.credentials) headers['Access-Control-Allow-Credentials'] = literal('true');
  const others = cors.origins.slice(1);
  return {
    summary: 'CORS preflight, answered by API Gateway',
    produces: ['application/json'],
    responses: {
      [PREFLIGHT_STATUS]: {
        description: 'CORS preflight answer',
        headers: Object.fromEntries(Object.keys(headers).map((h) => [h, { type: 'string' as const }])),
      },
    },
    'x-amazon-apigateway-integration': {
      type: 'mock',
      passthroughBehavior: 'when_no_match',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      contentHandling: 'CONVERT_TO_TEXT',
      responses: {
        default: {
          statusCode: PREFLIGHT_STATUS,
          responseParameters: Object.fromEntries(Object.entries(headers).map(([h, v]) => [`method.response.header.${h}`, v])),
          responseTemplates: { 'application/json': others.length ? echoOriginTemplate(others) : '' },
          contentHandling: 'CONVERT_TO_TEXT',
        },
      },
    },
  };
}

/** VTL that answers with the caller's Origin when it is one of `origins` (compared as strings, not patterns). */
function echoOriginTemplate(origins: readonly string[]): string {
  return [
    '#set($origin = $input.params().header.get("Origin"))',
    '#if($origin == "")#set($origin = $input.params().header.get("origin"))#end',
    `#if(${origins.map((o) => `$origin == "${o}"`).join(' || ')})`,
    '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
    '#end',
  ].join('\n');
}

function literal(value: string): string {
  return `'${value}'`;
}
