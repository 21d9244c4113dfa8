// Route planning: spec routes → one RoutePlan per path, with the integration chosen and the reason recorded.
import type { GatewaySpec, ServiceSpec } from '../spec/schema';
import type { HttpProxyIntegration, PlanMethod, RoutePlan } from './types';

export const GREEDY_SEGMENT = '{proxy+}';

export function planRoutes(gateway: GatewaySpec, services: Readonly<Record<string, ServiceSpec>>): RoutePlan[] {
  return gateway.routes.flatMap((route, routeIndex) =>
    route.paths.map((path): RoutePlan => {
      const service = services[route.service];
      if (!service) throw new TypeError(`route ${routeIndex} names unknown service "${route.service}" (the spec was not validated)`);
      const methods = route.methods as readonly PlanMethod[];
      // The gateway answers preflights itself unless the route forwards OPTIONS to the upstream on purpose.
      const cors = gateway.cors !== undefined && !methods.includes('OPTIONS');
      const plans = route.apiKey ? Object.keys(gateway.plans) : [];
      return {
        id: `${routeIndex}${path === '/' ? '-root' : path.replace(/[^A-Za-z0-9]+/g, '-')}`,
        routeIndex,
        name: route.name,
        service: route.service,
        path,
        resourcePaths: [path, greedyPath(path)],
        methods,
        apiMethods: methods,
        deniedMethods: [],
        methodsReason: '',
        stripPath: route.stripPath,
        integration: httpProxyIntegration(service, path, route.stripPath),
        features: { apiKey: route.apiKey, plans, throttle: route.throttle, cors, auth: 'none', cache: 'off' },
        reason:
          'direct HTTP proxy: every feature of this route is served by API Gateway itself (no body transformation, breaker, retries or weighted targets), so no Lambda is in the path',
      };
    }),
  );
}

export function greedyPath(path: string): string {
  return path === '/' ? `/${GREEDY_SEGMENT}` : `${path}/${GREEDY_SEGMENT}`;
}

function httpProxyIntegration(service: ServiceSpec, path: string, stripPath: boolean): HttpProxyIntegration {
  const forwarded = stripPath || path === '/' ? '' : path;
  return {
    kind: 'http-proxy',
    uri: joinUrl(service.url, forwarded || '/'),
    greedyUri: joinUrl(service.url, `${forwarded}/{proxy}`),
    timeoutMs: service.timeoutMs,
  };
}

/** Appends a path to a base URL that may itself carry a path, without doubling or losing slashes. */
export function joinUrl(base: string, suffix: string): string {
  const trimmed = base.replace(/\/+$/, '');
  if (suffix === '/') {
    // http://host → http://host/ ; http://host/base stays http://host/base
    return new URL(trimmed).pathname === '/' ? `${trimmed}/` : trimmed;
  }
  return `${trimmed}${suffix}`;
}

/** Every API resource path the routes need, parents before children, root excluded. */
export function resourceTree(routes: readonly RoutePlan[]): string[] {
  const paths = new Set<string>();
  for (const route of routes) for (const p of route.resourcePaths) for (const a of ancestorsAndSelf(p)) paths.add(a);
  return [...paths].sort(byDepthThenName);
}

export function ancestorsAndSelf(path: string): string[] {
  const segments = path.split('/').filter(Boolean);
  return segments.map((_, i) => `/${segments.slice(0, i + 1).join('/')}`);
}

function byDepthThenName(a: string, b: string): number {
  const depth = (p: string) => p.split('/').length;
  return depth(a) - depth(b) || a.localeCompare(b);
}
