// Route throttles as the stage and usage plans take them: keyed per method and resource path, decided once for the renderers.
import type { ThrottleSpec, UsagePlanSpec } from '../config/schema';
import type { RoutePlan } from './types';

/** Routes' own throttles, by the stage setting key of each method on each resource path they own (`keysOf`). */
export function routeThrottles(routes: readonly RoutePlan[], keysOf: (route: RoutePlan) => string[]): Record<string, ThrottleSpec> {
  return Object.fromEntries(
    routes.flatMap((route) => (route.features.throttle ? keysOf(route).map((key) => [key, route.features.throttle!] as const) : [])),
  );
}

/** A REST stage's method-setting keys of a route (`/api/users/GET`, `*` for ANY). */
export function methodSettingKeys(route: RoutePlan): string[] {
  return route.resourcePaths.flatMap((path) => route.apiMethods.map((method) => `${path}/${method === 'ANY' ? '*' : method}`));
}

/**
 * Each usage plan's `routeThrottles` on the keyed routes of that path, by `/resource/path/METHOD` on both paths of each
 * route, as UsagePlan.ApiStages[].Throttle documents its keys. Plans without route throttles have an empty entry.
 */
export function usagePlanThrottles(
  plans: Readonly<Record<string, UsagePlanSpec>>,
  routes: readonly RoutePlan[],
): Record<string, Record<string, ThrottleSpec>> {
  return Object.fromEntries(
    Object.entries(plans).map(([name, plan]) => {
      const throttles: Record<string, ThrottleSpec> = {};
      for (const rt of plan.routeThrottles) {
        for (const route of routes.filter((r) => r.path === rt.path && r.features.apiKey)) {
          const methods = route.apiMethods.filter((m) => rt.methods.includes('ANY') || rt.methods.includes(m as never));
          for (const path of route.resourcePaths) for (const method of methods) throttles[`${path}/${method}`] = rt.throttle;
        }
      }
      return [name, throttles];
    }),
  );
}
