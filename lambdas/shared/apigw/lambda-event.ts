// The API Gateway–shaped event a Lambda target receives (payload 1.0 or 2.0), and its proxy result read back as an HTTP response.
import { dropHopByHopHeaders, type HeaderInput, type UpstreamHeaders } from '../http-client';

/**
 * The event formats and the result rules follow API Gateway's documentation: REST "Input format of a
 * Lambda function for proxy integration" / "Output format..." (payload 1.0), and HTTP API "Create AWS
 * Lambda proxy integrations for HTTP APIs" (payload 2.0: duplicate headers and query values joined with
 * commas, `cookies` apart, and the simplified result when the function returns JSON without `statusCode`).
 */

/** Who is calling, as far as the gateway verified it: what a direct Lambda integration's `requestContext` would say. */
export interface LambdaRequestContext {
  /** API Gateway's request id of the client's request. */
  readonly requestId: string;
  readonly sourceIp?: string;
  readonly userAgent?: string;
  /**
   * The authorizer's identity (`sub`, `roles`, `scopes`, `clientId`) of a verified caller: REST's flat
   * `requestContext.authorizer`, HTTP API's `requestContext.authorizer.lambda`. Absent: no authorizer.
   */
  readonly authorizer?: Readonly<Record<string, string>>;
}

/** One HTTP request to turn into an event. */
export interface LambdaHttpRequest {
  readonly method: string;
  /** Percent-encoded, starting with `/`. */
  readonly path: string;
  /** The raw query string without `?` (names and values percent-encoded), `''` for none. */
  readonly query: string;
  readonly headers: HeaderInput;
  readonly body?: Buffer;
  readonly context: LambdaRequestContext;
}

/** A function's proxy result, read: lower-case header names, every value a list (each Set-Cookie apart). */
export interface LambdaHttpResponse {
  readonly status: number;
  readonly headers: UpstreamHeaders;
  readonly body: Buffer;
}

/** The function's result is not a proxy result API Gateway would accept ("Malformed Lambda proxy response"). */
export class MalformedLambdaResult extends Error {
  override readonly name = 'MalformedLambdaResult';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The event of `payload` version for `request`. The function sits, as it were, behind a greedy root
 * route: 1.0 gets `resource: '/{proxy+}'` with the path in `pathParameters.proxy`, 2.0 the `$default`
 * route. The body goes as UTF-8 text when it is text, base64 otherwise (lossless either way).
 */
export function lambdaEvent(request: LambdaHttpRequest, payload: '1.0' | '2.0', nowMs: number = Date.now()): Record<string, unknown> {
  const headers = dropHopByHopHeaders(request.headers);
  delete headers['content-length'];
  // API Gateway's event names the host the client reached; the proxy sends it as X-Forwarded-Host only.
  if (headers.host === undefined && headers['x-forwarded-host'] !== undefined) headers.host = [...headers['x-forwarded-host']];
  const query = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(request.query)) query.set(name, [...(query.get(name) ?? []), value]);
  const body = encodeBody(request.body, headers);
  return payload === '1.0' ? eventV1(request, headers, query, body, nowMs) : eventV2(request, headers, query, body, nowMs);
}

interface EncodedBody {
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
}

function encodeBody(body: Buffer | undefined, headers: Record<string, string[]>): EncodedBody {
  if (body === undefined || body.length === 0) return { body: null, isBase64Encoded: false };
  const coding = headers['content-encoding']?.[0]?.trim().toLowerCase();
  if (coding === undefined || coding === '' || coding === 'identity') {
    try {
      return { body: utf8.decode(body), isBase64Encoded: false };
    } catch {
      // not UTF-8: bytes, sent base64 below
    }
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
}

function decodePathSegment(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function eventV1(
  request: LambdaHttpRequest,
  headers: Record<string, string[]>,
  query: Map<string, string[]>,
  body: EncodedBody,
  nowMs: number,
) {
  const { context } = request;
  const last = (values: string[]) => values[values.length - 1]!;
  const proxy = request.path.replace(/^\/+/, '');
  return {
    version: '1.0',
    resource: proxy === '' ? '/' : '/{proxy+}',
    path: request.path,
    httpMethod: request.method,
    headers: Object.fromEntries(Object.entries(headers).map(([name, values]) => [name, last(values)])),
    multiValueHeaders: headers,
    queryStringParameters: query.size === 0 ? null : Object.fromEntries([...query].map(([name, values]) => [name, last(values)])),
    multiValueQueryStringParameters: query.size === 0 ? null : Object.fromEntries(query),
    // API Gateway hands path parameters over decoded.
    pathParameters: proxy === '' ? null : { proxy: decodePathSegment(proxy) },
    stageVariables: null,
    requestContext: {
      requestId: context.requestId,
      httpMethod: request.method,
      path: request.path,
      resourcePath: proxy === '' ? '/' : '/{proxy+}',
      protocol: 'HTTP/1.1',
      requestTimeEpoch: nowMs,
      identity: { sourceIp: context.sourceIp ?? null, userAgent: context.userAgent ?? null },
      authorizer: context.authorizer === undefined ? null : { ...context.authorizer, principalId: context.authorizer.sub ?? '' },
    },
    body: body.body,
    isBase64Encoded: body.isBase64Encoded,
  };
}

function eventV2(
  request: LambdaHttpRequest,
  headers: Record<string, string[]>,
  query: Map<string, string[]>,
  body: EncodedBody,
  nowMs: number,
) {
  const { context } = request;
  const cookies = (headers.cookie ?? [])
    .flatMap((value) => value.split(';'))
    .map((cookie) => cookie.trim())
    .filter(Boolean);
  delete headers.cookie;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.path,
    rawQueryString: request.query,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers: Object.fromEntries(Object.entries(headers).map(([name, values]) => [name, values.join(',')])),
    ...(query.size > 0 ? { queryStringParameters: Object.fromEntries([...query].map(([name, values]) => [name, values.join(',')])) } : {}),
    requestContext: {
      requestId: context.requestId,
      routeKey: '$default',
      stage: '$default',
      time: clfTime(nowMs),
      timeEpoch: nowMs,
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: context.sourceIp ?? '',
        userAgent: context.userAgent ?? '',
      },
      ...(context.authorizer === undefined ? {} : { authorizer: { lambda: { ...context.authorizer } } }),
    },
    ...(body.body === null ? {} : { body: body.body }),
    isBase64Encoded: body.isBase64Encoded,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the form of 2.0's `requestContext.time`. */
function clfTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Reads the function's result (the Invoke payload) as API Gateway would for `payload`. 1.0: an object
 * with `statusCode`, `headers` and `multiValueHeaders` merged (a value in both appears once), `body`,
 * `isBase64Encoded`. 2.0: the same with `cookies` as Set-Cookie; a JSON value without `statusCode` is
 * a 200 `application/json` answer whose body is that value. Throws `MalformedLambdaResult` otherwise.
 */
export function readLambdaResult(payload: Uint8Array, version: '1.0' | '2.0'): LambdaHttpResponse {
  let value: Json;
  try {
    value = JSON.parse(utf8.decode(payload)) as Json;
  } catch {
    throw new MalformedLambdaResult('the function returned a payload that is not JSON');
  }
  const structured = typeof value === 'object' && value !== null && !Array.isArray(value) && 'statusCode' in value;
  if (!structured) {
    if (version === '1.0') throw new MalformedLambdaResult('a payload 1.0 result must be an object with statusCode');
    return { status: 200, headers: { 'content-type': ['application/json'] }, body: Buffer.from(JSON.stringify(value)) };
  }
  const result = value as Record<string, Json>;
  const status = statusOf(result.statusCode);
  const headers = new Map<string, string[]>();
  const add = (name: string, text: string) => {
    const key = name.toLowerCase();
    headers.set(key, [...(headers.get(key) ?? []), text]);
  };
  for (const [name, values] of Object.entries(objectField(result, 'multiValueHeaders'))) {
    if (!Array.isArray(values)) throw new MalformedLambdaResult(`multiValueHeaders.${name} is not a list`);
    for (const one of values) add(name, scalar(one, `multiValueHeaders.${name}`));
  }
  for (const [name, one] of Object.entries(objectField(result, 'headers'))) {
    const text = scalar(one, `headers.${name}`);
    if (!(headers.get(name.toLowerCase()) ?? []).includes(text)) add(name, text);
  }
  if (version === '2.0' && result.cookies !== undefined && result.cookies !== null) {
    if (!Array.isArray(result.cookies)) throw new MalformedLambdaResult('cookies is not a list');
    for (const cookie of result.cookies) add('set-cookie', scalar(cookie, 'cookies'));
  }
  const kept = dropHopByHopHeaders(Object.fromEntries(headers));
  // API Gateway sets the length of what it sends; the function's own may not match the decoded body.
  delete kept['content-length'];
  return { status, headers: kept, body: bodyOf(result) };
}

function statusOf(value: Json | undefined): number {
  const status = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new MalformedLambdaResult(`statusCode must be an HTTP status (100-599), got ${JSON.stringify(value)}`);
  }
  return status;
}

function objectField(result: Record<string, Json>, field: string): Record<string, Json> {
  const value = result[field];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new MalformedLambdaResult(`${field} is not an object`);
  return value;
}

function scalar(value: Json, where: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new MalformedLambdaResult(`${where} holds ${JSON.stringify(value)}, not a string`);
}

function bodyOf(result: Record<string, Json>): Buffer {
  const { body, isBase64Encoded } = result;
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body !== 'string') throw new MalformedLambdaResult('body must be a string');
  if (isBase64Encoded === true) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body.replace(/\s+/g, '')))
      throw new MalformedLambdaResult('body is flagged isBase64Encoded but is not base64');
    return Buffer.from(body, 'base64');
  }
  return Buffer.from(body, 'utf8');
}
