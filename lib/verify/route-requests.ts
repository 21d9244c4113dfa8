// What a check sends to a route: a concrete path for its template, a method it serves, the caller's credentials.
import { isRestGateway, type GatewayPlan, type PlanMethod, type RoutePlan } from '../plan/types';
import type { ProbeRequest } from './client';

/** What a `{name}` or `{name+}` segment is filled with: recognisable in the upstream's and the gateway's logs. */
export const SAMPLE_SEGMENT = 'gatehouse-verify';

/** Methods checks try, in this order, when they need one a route does not serve. */
const PROBE_METHODS = ['DELETE', 'PATCH', 'PUT', 'POST', 'GET'] as const;
const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);

export interface Credentials {
  readonly token?: string;
  readonly apiKey?: string;
}

/** A path the route serves exactly: its own, templates filled in. */
export function samplePath(route: RoutePlan): string {
  return fillTemplates(route.path);
}

export function fillTemplates(path: string): string {
  return path.replace(/\{[^}/]+\}/g, SAMPLE_SEGMENT);
}

/** The method a check calls the route with: its first, GET for ANY. */
export function sampleMethod(route: RoutePlan): string {
  const first = route.methods[0] ?? 'GET';
  return first === 'ANY' ? 'GET' : first;
}

/** Methods the gateway serves at `path`, over every route whose resources match it. */
export function methodsServedAt(gateway: GatewayPlan, path: string): ReadonlySet<PlanMethod> {
  const served = new Set<PlanMethod>();
  for (const route of gateway.routes) {
    if (route.resourcePaths.some((resource) => templateMatches(resource, path))) route.apiMethods.forEach((m) => served.add(m));
  }
  return served;
}

/** A method nobody serves at `path`, or undefined when an ANY route takes them all. */
export function unservedMethod(gateway: GatewayPlan, path: string): string | undefined {
  const served = methodsServedAt(gateway, path);
  if (served.has('ANY')) return undefined;
  return PROBE_METHODS.find((m) => !served.has(m));
}

/** Whether some route of the gateway would take `path` (any method). */
export function anyRouteServes(gateway: GatewayPlan, path: string): boolean {
  return gateway.routes.some((route) => route.resourcePaths.some((resource) => templateMatches(resource, path)));
}

/** `/a/{id}/{proxy+}` against a concrete path: `{x}` is one segment, `{x+}` one or more. */
export function templateMatches(template: string, path: string): boolean {
  const pattern = template
    .split(/(\{[^}/]+\})/)
    .map((part) => (/^\{[^}]+\+\}$/.test(part) ? '.+' : /^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}/?$`).test(path.split('?')[0]!);
}

/** Whether callers send API keys in x-api-key (a REST API's HEADER key source; HTTP APIs have no keys). */
export function keysFromHeader(gateway: GatewayPlan): boolean {
  return isRestGateway(gateway) && gateway.apiKeySource === 'HEADER';
}

/** Why a check of the route cannot run with these credentials, or undefined when it can. */
export function missingCredential(gateway: GatewayPlan, route: RoutePlan, credentials: Credentials): string | undefined {
  if (route.features.auth === 'jwt' && !credentials.token) return 'the route needs a token: give --token';
  if (route.features.apiKey && keysFromHeader(gateway) && !credentials.apiKey) return 'the route needs an API key: give --api-key';
  return undefined;
}

/** The caller's credentials as the route takes them; `omit` leaves one out on purpose. */
export function credentialHeaders(
  gateway: GatewayPlan,
  route: RoutePlan,
  credentials: Credentials,
  omit?: 'token' | 'apiKey',
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (route.features.auth === 'jwt' && credentials.token && omit !== 'token') headers.authorization = `Bearer ${credentials.token}`;
  if (route.features.apiKey && keysFromHeader(gateway) && credentials.apiKey && omit !== 'apiKey')
    headers['x-api-key'] = credentials.apiKey;
  return headers;
}

/** A request to the route with `method`: a JSON `{}` body for the methods that carry one. */
export function routeRequest(path: string, method: string, headers: Record<string, string>): ProbeRequest {
  return BODY_METHODS.has(method)
    ? { method, path, headers: { 'content-type': 'application/json', ...headers }, body: '{}' }
    : { method, path, headers };
}
