// `{path.name}` in a service's request transform (values and path rewrites) must be a parameter of every route path that uses the service.
import { routeParameterNames } from '../../lambdas/contract/route-parameters';
import type { RawIssue } from './errors';
import type { GatehouseSpec } from './schema';

/** `{id}` and `{rest+}` segments of a route path, by name. */
export function routePathParameters(path: string): string[] {
  return [...path.matchAll(/\{([^{}+]+)\+?\}/g)].map((match) => match[1]!);
}

/**
 * Reported at the route's path, since either side may be the mistake: the message names the
 * service's transform and the parameters the path has.
 */
export function checkRouteParameterUses(spec: GatehouseSpec): RawIssue[] {
  const issues: RawIssue[] = [];
  for (const [gatewayName, gateway] of Object.entries(spec.gateways)) {
    gateway.routes.forEach((route, index) => {
      const used = routeParameterNames(spec.services[route.service]?.transform?.request);
      if (used.length === 0) return;
      route.paths.forEach((path, pathIndex) => {
        const has = routePathParameters(path);
        const missing = used.filter((name) => !has.includes(name));
        if (missing.length === 0) return;
        issues.push({
          path: ['gateways', gatewayName, 'routes', index, 'paths', pathIndex],
          message:
            `services.${route.service}.transform.request uses ${missing.map((name) => `{path.${name}}`).join(', ')}, but ${path} ` +
            `${has.length ? `has only ${has.map((name) => `{${name}}`).join(', ')}` : 'has no parameters'}: ` +
            `add the parameter to the path (e.g. ${path === '/' ? '' : path}/{${missing[0]}}), or route this path to a service that does not use it`,
        });
      });
    });
  }
  return issues;
}
