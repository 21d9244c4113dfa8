// REST gateway responses: API Gateway's own errors, with the definition's x-amazon-apigateway-gateway-responses applied.
import type { JsonObject } from './definition';
import type { LocalResponse } from './request';

/** Default status and message per response type. Doc: "Gateway response types for API Gateway" (developer guide). */
const DEFAULTS: Readonly<Record<GatewayResponseType, { status: number; message: string; family: '4XX' | '5XX' }>> = {
  ACCESS_DENIED: { status: 403, message: 'User is not authorized to access this resource', family: '4XX' },
  API_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error', family: '5XX' },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error', family: '5XX' },
  AUTHORIZER_FAILURE: { status: 500, message: 'Internal server error', family: '5XX' },
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body', family: '4XX' },
  BAD_REQUEST_PARAMETERS: { status: 400, message: 'Missing required request parameters', family: '4XX' },
  INTEGRATION_FAILURE: { status: 504, message: 'Internal server error', family: '5XX' },
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out', family: '5XX' },
  INVALID_API_KEY: { status: 403, message: 'Forbidden', family: '4XX' },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token', family: '4XX' },
  QUOTA_EXCEEDED: { status: 429, message: 'Limit Exceeded', family: '4XX' },
  THROTTLED: { status: 429, message: 'Too Many Requests', family: '4XX' },
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', family: '4XX' },
  DEFAULT_5XX: { status: 502, message: 'Internal server error', family: '5XX' },
};

export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_BODY'
  | 'BAD_REQUEST_PARAMETERS'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'THROTTLED'
  | 'UNAUTHORIZED'
  | 'DEFAULT_5XX';

/** What a gateway response needs from the request to fill `$context` and `method.request` variables. */
export interface GatewayResponseContext {
  readonly requestId: string;
  readonly requestHeader: (name: string) => string | undefined;
}

export function gatewayResponse(
  definition: JsonObject,
  type: GatewayResponseType,
  ctx: GatewayResponseContext,
  message = DEFAULTS[type].message,
): LocalResponse & { readonly errorType: string; readonly errorMessage: string } {
  const base = DEFAULTS[type];
  const configured = (definition['x-amazon-apigateway-gateway-responses'] ?? {}) as Record<
    string,
    { statusCode?: string; responseParameters?: Record<string, string>; responseTemplates?: Record<string, string> }
  >;
  const own = configured[type];
  const family = configured[`DEFAULT_${base.family}`];
  const status = Number(own?.statusCode ?? base.status);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'x-amzn-RequestId': ctx.requestId,
    'x-amzn-ErrorType': errorTypeHeader(type),
  };
  for (const [key, value] of Object.entries({ ...family?.responseParameters, ...own?.responseParameters })) {
    const name = key.replace(/^gatewayresponse\.header\./, '');
    const resolved = mappingValue(value, ctx);
    if (resolved !== undefined) headers[name] = resolved;
  }
  const template =
    own?.responseTemplates?.['application/json'] ??
    family?.responseTemplates?.['application/json'] ??
    '{"message":$context.error.messageString}';
  const body = template
    .replace(/\$context\.error\.messageString/g, JSON.stringify(message))
    .replace(/\$context\.error\.message/g, message)
    .replace(/\$context\.requestId/g, ctx.requestId);
  return { status, headers, body: Buffer.from(body), errorType: type, errorMessage: message };
}

/** `'literal'`, `method.request.header.X` or `context.requestId`, as a response parameter mapping names them. */
function mappingValue(value: string, ctx: GatewayResponseContext): string | undefined {
  if (/^'.*'$/s.test(value)) return value.slice(1, -1);
  const h = /^method\.request\.header\.(.+)$/.exec(value);
  if (h) return ctx.requestHeader(h[1]!);
  if (value === 'context.requestId') return ctx.requestId;
  return undefined;
}

function errorTypeHeader(type: GatewayResponseType): string {
  if (type === 'ACCESS_DENIED') return 'AccessDeniedException';
  if (type === 'UNAUTHORIZED') return 'UnauthorizedException';
  if (type === 'MISSING_AUTHENTICATION_TOKEN') return 'MissingAuthenticationTokenException';
  if (type === 'THROTTLED' || type === 'QUOTA_EXCEEDED') return 'TooManyRequestsException';
  if (type === 'INVALID_API_KEY') return 'ForbiddenException';
  return 'InternalServerErrorException';
}
