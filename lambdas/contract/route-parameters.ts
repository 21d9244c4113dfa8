// `{path.name}` in a service's request transform: which route parameters it uses, for the planner's check and the proxy's init.
import type { RequestTransform } from './proxy-config';

/** `{path.name}` in a value or a rewrite's `to`. */
export const ROUTE_PARAMETER_PLACEHOLDER = /\{path\.([A-Za-z_][A-Za-z0-9_]*)\}/g;
const VALUE_OPERATIONS = ['replace', 'add', 'set', 'append'] as const;

/** Whether any value of the transform uses `{path.name}`: the handler then fills them per request. */
export function usesRouteParameters(transform: RequestTransform | undefined): boolean {
  return VALUE_OPERATIONS.some((operation) => JSON.stringify(transform?.[operation] ?? {}).match(ROUTE_PARAMETER_PLACEHOLDER) !== null);
}

/** The names of route parameters the transform's values and path rewrites use. */
export function routeParameterNames(transform: RequestTransform | undefined): string[] {
  const texts = [
    ...VALUE_OPERATIONS.map((operation) => JSON.stringify(transform?.[operation] ?? {})),
    ...(transform?.path ?? []).map((rule) => rule.to),
  ];
  return [...new Set(texts.flatMap((text) => [...text.matchAll(ROUTE_PARAMETER_PLACEHOLDER)].map((match) => match[1]!)))];
}
