// Reads a REST API proxy event (payload format 1.0) into the request to forward: method, upstream path, query, headers, body.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { LAMBDA_PAYLOAD_LIMIT_BYTES } from '../shared/http-client';
import type { ProxyConfig, ProxyRoute } from '../contract/proxy-config';
import { ProxyError } from './errors';
import { hasDotSegment } from './path-safety';
import { rewritePath, type HeaderMap } from './transform';

/** What the proxy needs from one event. */
export interface ClientRequest {
  readonly method: string;
  /** The resource with its path parameters filled in, percent-encoded: `/api/orders/42`. */
  readonly clientPath: string;
  /** What is appended to the target's URL: after the route's `stripPath` or a matching rewrite. */
  readonly upstreamPath: string;
  readonly query: Record<string, string[]>;
  /** As the client sent them (lower-case names, every value a list); nothing dropped yet. */
  readonly headers: HeaderMap;
  readonly body: Buffer;
  /** API Gateway's request id. */
  readonly requestId: string;
  readonly sourceIp: string | undefined;
  /** The id of the API key API Gateway checked (REST routes with `apiKey`); undefined otherwise. */
  readonly apiKeyId: string | undefined;
  /** The authorizer's context (REST: its fields sit directly on `requestContext.authorizer`). */
  readonly authorizer: Readonly<Record<string, unknown>> | undefined;
  /** The baked route the event's method and resource map to. */
  readonly route: ProxyRoute;
}

// RFC 3986 pchar allows these sub-delimiters unescaped; keeping them leaves `/a:b@c` as the client wrote it.
const PCHAR_KEPT = /%(24|26|2B|2C|3B|3D|3A|40)/g;

/** Throws ProxyError: `payload_too_large`, `route_not_configured`, `unsafe_path`, `path_traversal`, `path_malformed`. */
export function readEvent(event: APIGatewayProxyEvent, config: ProxyConfig): ClientRequest {
  const method = event.httpMethod.toUpperCase();
  const body = decodeBody(event);
  const clientPath = clientPathOf(event);
  const route = routeOf(config, method, event.resource);
  // Checked on the client's path, before any rewrite or prefix strip: no upstream ever sees a dot segment. The
  // parameters too, as API Gateway decoded them: a `%2e%2e` there was double-encoded by the client, and an
  // upstream that decodes twice would climb with it.
  if (hasDotSegment(clientPath) || Object.values(event.pathParameters ?? {}).some((value) => value !== undefined && hasDotSegment(value))) {
    throw new ProxyError('unsafe_path', 400, 'the request path has a "." or ".." segment, which the gateway does not forward');
  }
  return {
    method,
    clientPath,
    upstreamPath: upstreamPathOf(clientPath, route, config),
    query: queryOf(event),
    headers: headersOf(event),
    body,
    requestId: event.requestContext?.requestId ?? '',
    sourceIp: event.requestContext?.identity?.sourceIp ?? undefined,
    apiKeyId: event.requestContext?.identity?.apiKeyId || undefined,
    authorizer: (event.requestContext?.authorizer as Record<string, unknown> | null | undefined) ?? undefined,
    route,
  };
}

function decodeBody(event: APIGatewayProxyEvent): Buffer {
  if (event.body === null || event.body === undefined) return Buffer.alloc(0);
  const body = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  // API Gateway accepts 10 MB but Lambda's request payload stops at 6 MB: a bigger body is cut or refused
  // before it gets here, so this guards what did arrive and says why instead of forwarding a stub.
  if (body.length > LAMBDA_PAYLOAD_LIMIT_BYTES) {
    throw new ProxyError('payload_too_large', 413, `request body of ${body.length} bytes exceeds the ${LAMBDA_PAYLOAD_LIMIT_BYTES} bytes a Lambda proxy accepts`);
  }
  return body;
}

/**
 * The resource template with its path parameters put back, each segment percent-encoded again.
 * API Gateway hands the parameters over decoded, so an encoded slash (`%2F`) in a segment cannot be
 * told from a real one; everything else round-trips.
 */
function clientPathOf(event: APIGatewayProxyEvent): string {
  const params = event.pathParameters ?? {};
  let complete = true;
  const path = (event.resource ?? '').replace(/\{([^}+]+)(\+?)\}/g, (_match, name: string, greedy: string) => {
    const value = params[name];
    if (value === undefined) {
      complete = false;
      return '';
    }
    return greedy ? value.split('/').map(encodeSegment).join('/') : encodeSegment(value);
  });
  return complete && path.startsWith('/') ? path : event.path;
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(PCHAR_KEPT, (escaped) => decodeURIComponent(escaped));
}

function routeOf(config: ProxyConfig, method: string, resource: string): ProxyRoute {
  const route = config.routes[`${method} ${resource}`] ?? config.routes[`ANY ${resource}`];
  if (route === undefined) {
    throw new ProxyError('route_not_configured', 502, `no proxy route for ${method} ${resource}: the bundle was built for other routes`);
  }
  return route;
}

/** A matching rewrite wins over `stripPath`, as the contract says. */
function upstreamPathOf(clientPath: string, route: ProxyRoute, config: ProxyConfig): string {
  let rewritten: string | undefined;
  try {
    rewritten = rewritePath(clientPath, config.transform.request?.path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'path_traversal' || code === 'path_malformed') {
      throw new ProxyError(code, 400, (error as Error).message, { cause: error });
    }
    throw error;
  }
  if (rewritten !== undefined) return rewritten;
  return route.stripPath ? stripPrefix(clientPath, route.prefix) : clientPath;
}

/** Removes `prefix` on a segment boundary only: `/api/orders` strips from `/api/orders/1`, not from `/api/ordersx`. */
export function stripPrefix(path: string, prefix: string): string {
  const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (base === '' || (path !== base && !path.startsWith(`${base}/`))) return path;
  const rest = path.slice(base.length);
  return rest === '' ? '/' : rest;
}

// Built in Maps and turned into objects with fromEntries, so a client's `__proto__` stays an ordinary name.

function queryOf(event: APIGatewayProxyEvent): Record<string, string[]> {
  const query = new Map<string, string[]>();
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if (values !== undefined) query.set(name, [...values]);
  }
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined && !query.has(name)) query.set(name, [value]);
  }
  return Object.fromEntries(query);
}

/** Lower-case names; multi-value headers first (they keep every copy), single-value ones fill gaps. */
export function headersOf(event: APIGatewayProxyEvent): HeaderMap {
  const headers = new Map<string, string[]>();
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (values === undefined) continue;
    const key = name.toLowerCase();
    headers.set(key, [...(headers.get(key) ?? []), ...values]);
  }
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    const key = name.toLowerCase();
    if (value !== undefined && !headers.has(key)) headers.set(key, [value]);
  }
  return Object.fromEntries(headers);
}
