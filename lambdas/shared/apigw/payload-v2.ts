// HTTP API events (payload format 2.0) in the REST shape the handlers read (payload 1.0), and their REST-shaped result back as a 2.0 response.
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyResult, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** An HTTP API event whose authorizer may be the native JWT one or a Lambda authorizer with simple responses. */
export type HttpApiEvent = APIGatewayProxyEventV2 & {
  readonly requestContext: APIGatewayProxyEventV2['requestContext'] & {
    readonly authorizer?: {
      readonly jwt?: { readonly claims?: Record<string, unknown>; readonly scopes?: readonly string[] | null };
      readonly lambda?: Record<string, unknown>;
    };
  };
};

/** REST APIs send payload 1.0 and get a 1.0 result; HTTP APIs send 2.0 and get a 2.0 one. */
export interface BothPayloadsHandler {
  (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult>;
  (event: HttpApiEvent): Promise<APIGatewayProxyStructuredResultV2>;
}

export function isPayloadV2(event: APIGatewayProxyEvent | HttpApiEvent): event is HttpApiEvent {
  return (event as { version?: unknown }).version === '2.0';
}

/** One 1.0 core serves both flavors: a 2.0 event is read into the 1.0 shape (by `readV2`) and its result written back as 2.0. */
export function servingBothPayloads(
  handle: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>,
  readV2: (event: HttpApiEvent) => APIGatewayProxyEvent = fromPayloadV2,
): BothPayloadsHandler {
  return (async (event: APIGatewayProxyEvent | HttpApiEvent) =>
    isPayloadV2(event) ? toPayloadV2Result(await handle(readV2(event))) : handle(event)) as BothPayloadsHandler;
}

/**
 * The 2.0 event as a 1.0 one: the route key's path is the resource (so `ANY /api/users/{proxy+}` finds
 * the same baked route), the query comes from rawQueryString (2.0 joins repeated values with commas),
 * cookies go back into one Cookie header, and the authorizer's identity lands where REST puts it.
 */
export function fromPayloadV2(event: HttpApiEvent): APIGatewayProxyEvent {
  const http = event.requestContext.http;
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) multiValueHeaders[name.toLowerCase()] = [value];
  if (event.cookies?.length) multiValueHeaders.cookie = [event.cookies.join('; ')];
  const query: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(event.rawQueryString ?? '')) (query[name] ??= []).push(value);
  const space = event.routeKey.indexOf(' ');
  return {
    httpMethod: http.method,
    resource: space < 0 ? http.path : event.routeKey.slice(space + 1),
    path: event.rawPath,
    pathParameters: event.pathParameters ?? null,
    headers: {},
    multiValueHeaders,
    // As REST does: the last value of each name; every value is in the multi-value map.
    queryStringParameters: Object.keys(query).length
      ? Object.fromEntries(Object.entries(query).map(([n, v]) => [n, v[v.length - 1]!]))
      : null,
    multiValueQueryStringParameters: Object.keys(query).length ? query : null,
    body: event.body ?? null,
    isBase64Encoded: event.isBase64Encoded,
    stageVariables: null,
    requestContext: {
      requestId: event.requestContext.requestId,
      identity: { sourceIp: http.sourceIp, userAgent: http.userAgent },
      authorizer: identityOf(event.requestContext.authorizer),
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

/** The REST authorizer context (`sub`, `roles`, `scopes`, `clientId`) from the native JWT claims, or the Lambda authorizer's context as it is. */
function identityOf(authorizer: HttpApiEvent['requestContext']['authorizer']): Record<string, unknown> | undefined {
  if (authorizer?.lambda) return authorizer.lambda;
  const claims = authorizer?.jwt?.claims;
  if (!claims) return undefined;
  const text = (...names: string[]) => names.map((n) => claims[n]).find((v): v is string => typeof v === 'string' && v !== '');
  return { sub: text('sub'), scopes: text('scope', 'scp') ?? '', clientId: text('client_id', 'azp', 'cid') ?? '', roles: '' };
}

/** A 1.0 result as a 2.0 one: Set-Cookie values as `cookies`, other repeated headers joined with ", ". */
export function toPayloadV2Result(result: APIGatewayProxyResult): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    const list = values.map(String);
    if (name.toLowerCase() === 'set-cookie') cookies.push(...list);
    else headers[name] = list.join(', ');
  }
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] ??= String(value);
  return {
    statusCode: result.statusCode,
    headers,
    ...(cookies.length ? { cookies } : {}),
    body: result.body,
    isBase64Encoded: result.isBase64Encoded ?? false,
  };
}
