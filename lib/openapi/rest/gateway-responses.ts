// x-amazon-apigateway-gateway-responses: the errors API Gateway makes itself, each with the CORS headers when CORS is on.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.html
import { BAD_REQUEST_BODY_MESSAGE } from '../../plan/resources';
import type { GatewayResponseType, RestGatewayPlan } from '../../plan/types';
import { corsResponseHeaders } from '../../constructs/cors-headers';
import type { GatewayResponseDefinition } from './swagger';

export function gatewayResponses(plan: RestGatewayPlan): Record<string, GatewayResponseDefinition> | undefined {
  if (!plan.gatewayResponses.length) return undefined;
  const cors = plan.cors ? corsResponseHeaders(plan.cors) : {};
  return Object.fromEntries(plan.gatewayResponses.map((type) => [type, gatewayResponse(type, cors)]));
}

function gatewayResponse(type: GatewayResponseType, cors: Record<string, string>): GatewayResponseDefinition {
  const headers = (extra: Record<string, string> = {}) => {
    const all = { ...cors, ...extra };
    return Object.keys(all).length
      ? Object.fromEntries(Object.entries(all).map(([h, v]) => [`gatewayresponse.header.${h}`, v]))
      : undefined;
  };
  const json = (body: string) => ({ 'application/json': body });
  switch (type) {
    case 'DEFAULT_4XX':
    case 'DEFAULT_5XX':
      return { responseParameters: headers() };
    case 'UNAUTHORIZED':
      // RFC 6750: a missing or invalid bearer token is a 401 that says so.
      return {
        statusCode: '401',
        responseParameters: headers({ 'WWW-Authenticate': `'Bearer error="invalid_token"'` }),
        responseTemplates: json('{"message":"Unauthorized"}'),
      };
    case 'ACCESS_DENIED':
      // The default body of a resource-policy denial names the API's ARN, account id included.
      return { statusCode: '403', responseParameters: headers(), responseTemplates: json('{"message":"Forbidden"}') };
    case 'BAD_REQUEST_BODY':
      // Gateway response templates are plain substitution, not VTL, so nothing can escape a value:
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.responseTemplates.html
      // validationErrorString quotes property names (`missing required properties (["sku"])`), which would
      // break the JSON, so the body says what failed in words; execution logs at INFO carry the keyword.
      return { statusCode: '400', responseParameters: headers(), responseTemplates: json(`{"message":"${BAD_REQUEST_BODY_MESSAGE}"}`) };
    case 'BAD_REQUEST_PARAMETERS':
      // Its validationErrorString lists parameter names, which the spec restricts to letters, digits and . _ ~ -.
      return {
        statusCode: '400',
        responseParameters: headers(),
        responseTemplates: json('{"message":"$context.error.validationErrorString"}'),
      };
  }
}
