// Lambda proxy integration events (payload 1.0 and 2.0) and how API Gateway maps a function's answer back to HTTP.
// Doc: "Set up Lambda proxy integrations in API Gateway" (input/output format) and "Create AWS Lambda proxy
// integrations for HTTP APIs" (payload format versions).
import type { JsonObject } from './definition';
import { LOCAL_ACCOUNT } from './cfn';
import { queryMaps, type LocalRequest, type LocalResponse } from './request';

export interface EventContext {
  readonly apiId: string;
  readonly stage: string;
  readonly resourcePath: string;
  readonly routeKey: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly host: string;
  /** REST: principalId + context; HTTP: { jwt: { claims, scopes } } or { lambda: context }. */
  readonly authorizer?: Record<string, unknown>;
  readonly apiKey?: { readonly value: string; readonly id: string };
  /** REST with binary media types `*\/*` hands every body to Lambda base64-encoded. */
  readonly base64Bodies: boolean;
}

export function eventV1(r: LocalRequest, c: EventContext): Record<string, unknown> {
  const q = queryMaps(r.rawQuery);
  const base64 = c.base64Bodies || !isText(contentType(r));
  return {
    resource: c.resourcePath,
    path: r.path,
    httpMethod: r.method,
    headers: r.headers,
    multiValueHeaders: r.multiValueHeaders,
    queryStringParameters: q.single,
    multiValueQueryStringParameters: q.multi,
    pathParameters: Object.keys(c.pathParameters).length ? c.pathParameters : null,
    stageVariables: null,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: c.apiId,
      authorizer: c.authorizer ?? null,
      domainName: c.host,
      domainPrefix: c.host.split('.')[0],
      extendedRequestId: r.requestId,
      httpMethod: r.method,
      identity: {
        sourceIp: r.sourceIp,
        userAgent: r.userAgent,
        apiKey: c.apiKey?.value ?? null,
        apiKeyId: c.apiKey?.id ?? null,
        accountId: null,
        caller: null,
        user: null,
        userArn: null,
      },
      path: r.rawPath,
      protocol: 'HTTP/1.1',
      requestId: r.requestId,
      requestTime: new Date(r.startedAt).toUTCString(),
      requestTimeEpoch: r.startedAt,
      resourceId: 'local',
      resourcePath: c.resourcePath,
      stage: c.stage,
    },
    body: r.body.length ? r.body.toString(base64 ? 'base64' : 'utf8') : null,
    isBase64Encoded: r.body.length > 0 && base64,
  };
}

export function eventV2(r: LocalRequest, c: EventContext): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.multiValueHeaders)) {
    if (k.toLowerCase() !== 'cookie')
      headers[k.toLowerCase()] = headers[k.toLowerCase()] ? `${headers[k.toLowerCase()]},${v.join(',')}` : v.join(',');
  }
  const cookies = (r.multiValueHeaders.cookie ?? r.multiValueHeaders.Cookie ?? []).flatMap((c2) =>
    c2
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const q = queryMaps(r.rawQuery);
  const base64 = !isText(contentType(r));
  return {
    version: '2.0',
    routeKey: c.routeKey,
    rawPath: r.rawPath,
    rawQueryString: r.rawQuery,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(q.multi ? { queryStringParameters: Object.fromEntries(Object.entries(q.multi).map(([k, v]) => [k, v.join(',')])) } : {}),
    ...(Object.keys(c.pathParameters).length ? { pathParameters: c.pathParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: c.apiId,
      ...(c.authorizer ? { authorizer: c.authorizer } : {}),
      domainName: c.host,
      domainPrefix: c.host.split('.')[0],
      http: { method: r.method, path: r.rawPath, protocol: 'HTTP/1.1', sourceIp: r.sourceIp, userAgent: r.userAgent },
      requestId: r.requestId,
      routeKey: c.routeKey,
      stage: c.stage,
      time: new Date(r.startedAt).toUTCString(),
      timeEpoch: r.startedAt,
    },
    ...(r.body.length ? { body: r.body.toString(base64 ? 'base64' : 'utf8') } : {}),
    isBase64Encoded: r.body.length > 0 && base64,
  };
}

/** A payload 1.0 answer, or undefined when it is malformed (API Gateway then answers 502). */
export function responseV1(result: unknown): LocalResponse | undefined {
  const r = result as JsonObject | null;
  if (!r || typeof r !== 'object' || !Number.isInteger(Number(r.statusCode))) return undefined;
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries((r.multiValueHeaders ?? {}) as Record<string, unknown[]>)) headers[k] = v.map(String);
  for (const [k, v] of Object.entries((r.headers ?? {}) as Record<string, unknown>)) if (!(k in headers)) headers[k] = String(v);
  const body = typeof r.body === 'string' ? Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  return { status: Number(r.statusCode), headers, body };
}

/** A payload 2.0 answer: a result without statusCode is a 200 JSON body, as HTTP APIs infer it. */
export function responseV2(result: unknown): LocalResponse | undefined {
  const r = result as JsonObject | null;
  if (r === null || typeof r !== 'object' || r.statusCode === undefined) {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(typeof result === 'string' ? result : JSON.stringify(result)),
    };
  }
  const mapped = responseV1(r);
  if (!mapped) return undefined;
  if (Array.isArray(r.cookies) && r.cookies.length) mapped.headers['set-cookie'] = r.cookies.map(String);
  return mapped;
}

function contentType(r: LocalRequest): string {
  for (const [k, v] of Object.entries(r.headers)) if (k.toLowerCase() === 'content-type') return v;
  return '';
}

function isText(type: string): boolean {
  return type === '' || /^text\/|json|xml|x-www-form-urlencoded|javascript/i.test(type);
}
