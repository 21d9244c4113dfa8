// `{path.name}` in request transformation values: filled with the route's path parameter before the operations run.
// Which names a transform uses is lambdas/contract/route-parameters.ts (the planner checks them against the route's path).
import type { FieldOps, JsonValue, RequestTransform } from '../../contract/proxy-config';
import { ROUTE_PARAMETER_PLACEHOLDER } from '../../contract/route-parameters';
import type { RouteParameters } from './path-rewrite';

/**
 * The transform with `{path.name}` in its header, query and JSON string values replaced by the
 * parameter's decoded value (headers and query are encoded when sent, JSON when serialized; a value
 * HTTP cannot carry in a header is dropped there like any other). Throws TypeError for a parameter the
 * route does not have, a config the planner checks.
 */
export function withRouteParameters(transform: RequestTransform, parameters: RouteParameters): RequestTransform {
  const fill = (text: string): string =>
    text.replace(ROUTE_PARAMETER_PLACEHOLDER, (_match, name: string) => {
      const parameter = Object.hasOwn(parameters, name) ? parameters[name] : undefined;
      if (parameter === undefined) throw new TypeError(`{path.${name}} is not a parameter of this route's path`);
      return parameter.value;
    });
  const fillJson = (value: JsonValue): JsonValue => {
    if (typeof value === 'string') return fill(value);
    if (Array.isArray(value)) return value.map(fillJson);
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, fillJson(entry)]));
    return value;
  };
  const fillOps = <T>(ops: FieldOps<Readonly<Record<string, T>>> | undefined): FieldOps<Readonly<Record<string, T>>> | undefined =>
    ops &&
    Object.fromEntries(
      Object.entries(ops).map(([field, values]) => [
        field,
        values &&
          Object.fromEntries(Object.entries(values as Record<string, T>).map(([name, value]) => [name, fillJson(value as JsonValue) as T])),
      ]),
    );
  return {
    ...transform,
    replace: fillOps(transform.replace),
    add: fillOps(transform.add),
    set: fillOps(transform.set),
    append: fillOps(transform.append),
  };
}
