// `{path.name}` in request transformation values: filled with the route's path parameter before the operations run.
import type { FieldOps, JsonValue, RequestTransform } from '../../contract/proxy-config';
import type { RouteParameters } from './path-rewrite';

const ROUTE_PARAMETER = /\{path\.([A-Za-z_][A-Za-z0-9_]*)\}/g;
const VALUE_OPERATIONS = ['replace', 'add', 'set', 'append'] as const;

/** Whether any value of the transform uses `{path.name}`: the handler then fills them per request. */
export function usesRouteParameters(transform: RequestTransform | undefined): boolean {
  return VALUE_OPERATIONS.some((operation) => JSON.stringify(transform?.[operation] ?? {}).match(ROUTE_PARAMETER) !== null);
}

/** The names of route parameters the transform's values and path rewrites use. */
export function routeParameterNames(transform: RequestTransform | undefined): string[] {
  const texts = [...VALUE_OPERATIONS.map((operation) => JSON.stringify(transform?.[operation] ?? {})), ...(transform?.path ?? []).map((rule) => rule.to)];
  return [...new Set(texts.flatMap((text) => [...text.matchAll(ROUTE_PARAMETER)].map((match) => match[1]!)))];
}

/**
 * The transform with `{path.name}` in its header, query and JSON string values replaced by the
 * parameter's decoded value (headers and query are encoded when sent, JSON when serialized; a value
 * HTTP cannot carry in a header is dropped there like any other). Throws TypeError for a parameter the
 * route does not have, a config the planner checks.
 */
export function withRouteParameters(transform: RequestTransform, parameters: RouteParameters): RequestTransform {
  const fill = (text: string): string =>
    text.replace(ROUTE_PARAMETER, (_match, name: string) => {
      const parameter = Object.hasOwn(parameters, name) ? parameters[name] : undefined;
      if (parameter === undefined) throw new TypeError(`{path.${name}} is not a parameter of this route's path`);
      return parameter.value;
    });
  const fillJson = (value: JsonValue): JsonValue => {
    if (typeof value === 'string') return fill(value);
    if (Array.isArray(value)) return value.map(fillJson);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, fillJson(entry)]));
    return value;
  };
  const fillOps = <T>(ops: FieldOps<Readonly<Record<string, T>>> | undefined): FieldOps<Readonly<Record<string, T>>> | undefined =>
    ops && Object.fromEntries(Object.entries(ops).map(([field, values]) => [field, values && Object.fromEntries(Object.entries(values as Record<string, T>).map(([name, value]) => [name, fillJson(value as JsonValue) as T]))]));
  return { ...transform, replace: fillOps(transform.replace), add: fillOps(transform.add), set: fillOps(transform.set), append: fillOps(transform.append) };
}
