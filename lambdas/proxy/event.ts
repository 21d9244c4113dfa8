// Reads a REST API proxy event (payload format 1.0) into the request to forward: method, upstream path, query, headers, body.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { LAMBDA_PAYLOAD_LIMIT_BYTES } from '../shared/http-client';
import type { ProxyConfig, ProxyRoute } from '../contract/proxy-config';
import { ProxyError } from './errors';
import { hasDotSegment } from './path-safety';
import { matchPathTemplate, parsePathTemplate, type PatternSegment, type TemplateMatch } from '../contract/path-template';
import { rewritePath, type HeaderMap, type RouteParameters } from './transform';
import { headersOf } from '../shared/apigw/request-headers';

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
  /** The parameters of the route's templated prefix (`/api/users/{id}` → `id`), decoded: `{path.id}` in rewrites and transforms. */
  readonly routeParameters: RouteParameters;
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
  const prefix = prefixMatch(clientPath, route);
  const routeParameters = routeParametersOf(prefix, event.pathParameters);
  return {
    method,
    clientPath,
    upstreamPath: upstreamPathOf(clientPath, route, prefix, routeParameters, config),
    query: queryOf(event),
    headers: headersOf(event),
    body,
    requestId: event.requestContext?.requestId ?? '',
    sourceIp: event.requestContext?.identity?.sourceIp ?? undefined,
    apiKeyId: event.requestContext?.identity?.apiKeyId || undefined,
    authorizer: event.requestContext?.authorizer ?? undefined,
    route,
    routeParameters,
  };
}

function decodeBody(event: APIGatewayProxyEvent): Buffer {
  if (event.body === null || event.body === undefined) return Buffer.alloc(0);
  const body = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  // API Gateway accepts 10 MB but Lambda's request payload stops at 6 MB: a bigger body is cut or refused
  // before it gets here, so this guards what did arrive and says why instead of forwarding a stub.
  if (body.length > LAMBDA_PAYLOAD_LIMIT_BYTES) {
    throw new ProxyError(
      'payload_too_large',
      413,
      `request body of ${body.length} bytes exceeds the ${LAMBDA_PAYLOAD_LIMIT_BYTES} bytes a Lambda proxy accepts`,
    );
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
function upstreamPathOf(
  clientPath: string,
  route: ProxyRoute,
  prefix: PrefixMatch | undefined,
  parameters: RouteParameters,
  config: ProxyConfig,
): string {
  let rewritten: string | undefined;
  try {
    rewritten = rewritePath(clientPath, config.transform.request?.path, parameters);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'path_traversal' || code === 'path_malformed') {
      throw new ProxyError(code, 400, (error as Error).message, { cause: error });
    }
    throw error;
  }
  if (rewritten !== undefined) return rewritten;
  if (!route.stripPath) return clientPath;
  // A literal prefix strips on a segment boundary as before; a templated one strips what it matched.
  if (prefix === undefined) return stripPrefix(clientPath, route.prefix);
  return `/${prefix.match.rest.join('/')}`;
}

/** Removes `prefix` on a segment boundary only: `/api/orders` strips from `/api/orders/1`, not from `/api/ordersx`. */
export function stripPrefix(path: string, prefix: string): string {
  const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (base === '' || (path !== base && !path.startsWith(`${base}/`))) return path;
  const rest = path.slice(base.length);
  return rest === '' ? '/' : rest;
}

interface PrefixMatch {
  readonly segments: readonly PatternSegment[];
  readonly match: TemplateMatch;
}

const routeTemplates = new WeakMap<ProxyRoute, PatternSegment[] | undefined>();

/** The route's prefix as a template, when it has parameters (checked at init, so it parses). */
function templateOf(route: ProxyRoute): PatternSegment[] | undefined {
  if (routeTemplates.has(route)) return routeTemplates.get(route);
  const parsed = route.prefix.includes('{') ? parsePathTemplate(route.prefix) : undefined;
  const segments = parsed && 'segments' in parsed ? parsed.segments : undefined;
  routeTemplates.set(route, segments);
  return segments;
}

/**
 * A templated prefix matched against the client's path. API Gateway routed the request here, so it
 * fits; should it not (a bundle built for other paths), the route is not served rather than guessed at.
 */
function prefixMatch(clientPath: string, route: ProxyRoute): PrefixMatch | undefined {
  const segments = templateOf(route);
  if (segments === undefined) return undefined;
  const match = matchPathTemplate(segments, clientPath.split('/').slice(1), 'prefix');
  if (match === undefined) {
    throw new ProxyError(
      'route_not_configured',
      502,
      `the request path does not fit the route's path ${route.prefix}: the bundle was built for other routes`,
    );
  }
  return { segments, match };
}

/** Each parameter of the prefix: API Gateway's decoded value where the event has it, else the matched text decoded. */
function routeParametersOf(prefix: PrefixMatch | undefined, pathParameters: APIGatewayProxyEvent['pathParameters']): RouteParameters {
  if (prefix === undefined) return {};
  const parameters = new Map<string, { value: string; greedy: boolean }>();
  for (const segment of prefix.segments) {
    if (segment.kind !== 'capture') continue;
    const given = pathParameters?.[segment.name];
    const value = given ?? decodeMatched(prefix.match.captures.get(segment.name) ?? []);
    parameters.set(segment.name, { value, greedy: segment.greedy });
  }
  return Object.fromEntries(parameters);
}

function decodeMatched(segments: readonly string[]): string {
  try {
    return segments.map(decodeURIComponent).join('/');
  } catch {
    throw new ProxyError('path_malformed', 400, 'a path segment has malformed percent-encoding');
  }
}

// Built in a Map and turned into an object with fromEntries, so a client's `__proto__` stays an ordinary name.
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
