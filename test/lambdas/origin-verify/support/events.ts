// Payload 2.0 REQUEST authorizer events as an HTTP API sends them for a request CloudFront forwarded (or one sent to the API directly).
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';

export const CLOUDFRONT_EDGE_IP = '130.176.1.17';

export interface OriginRequest {
  /** @default 'GET /api/orders' */
  readonly routeKey?: string;
  /** The origin-verify value CloudFront adds; absent on a direct call. */
  readonly originVerify?: string;
  /** `Authorization`, on routes with JWT auth. */
  readonly authorization?: string;
  /** @default CLOUDFRONT_EDGE_IP */
  readonly sourceIp?: string;
  /** @default 'req-origin-1' */
  readonly requestId?: string;
}

/**
 * What API Gateway hands a Lambda authorizer with payload format 2.0: header names lower-cased, the
 * identity sources' values in `identitySource`, the caller's address in `requestContext.http.sourceIp`.
 */
export function originRequestEvent(request: OriginRequest = {}): APIGatewayRequestAuthorizerEventV2 {
  const routeKey = request.routeKey ?? 'GET /api/orders';
  const [method, path] = routeKey.split(' ') as [string, string];
  const rawPath = path.replace('{proxy+}', '42').replace(/\/\{[^}]+\}/g, '/42');
  const sourceIp = request.sourceIp ?? CLOUDFRONT_EDGE_IP;
  const headers: Record<string, string> = {
    accept: 'application/json',
    host: 'abc123.execute-api.eu-west-1.amazonaws.com',
    'user-agent': 'Amazon CloudFront',
    via: '2.0 5f0a3b1c2d.cloudfront.net (CloudFront)',
    'x-amz-cf-id': 'p1Zt8Qm2J1xEXAMPLE9u5a0F7cO6vTQ1bq8wKX9sLmN3oPqR4s==',
    'x-forwarded-for': `203.0.113.9, ${sourceIp}`,
    'x-forwarded-proto': 'https',
    ...(request.authorization === undefined ? {} : { authorization: request.authorization }),
    ...(request.originVerify === undefined ? {} : { 'x-origin-verify': request.originVerify }),
  };
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:eu-west-1:123456789012:abc123/$default/${method}${rawPath}`,
    identitySource: [request.authorization, request.originVerify].filter((value): value is string => value !== undefined),
    routeKey,
    rawPath,
    rawQueryString: 'page=2',
    cookies: [],
    headers,
    queryStringParameters: { page: '2' },
    pathParameters: path.includes('{proxy+}') ? { proxy: '42' } : {},
    stageVariables: {},
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp, userAgent: 'Amazon CloudFront' },
      requestId: request.requestId ?? 'req-origin-1',
      routeKey,
      stage: '$default',
      time: '28/Nov/2025:06:52:00 +0000',
      timeEpoch: 1764312720000,
    },
  } as APIGatewayRequestAuthorizerEventV2;
}
