// Kong-style operations on a multi-value name → values map: the shared core of header and query transformation.
import type { JsonValue, TransformOps } from '../../contract/proxy-config';

/** One kind of field's operations with string values, already coerced. */
export interface MultiValueOps {
  readonly remove?: readonly string[];
  readonly rename?: Readonly<Record<string, string>>;
  readonly replace?: Readonly<Record<string, string>>;
  readonly add?: Readonly<Record<string, string>>;
  readonly set?: Readonly<Record<string, string>>;
  readonly append?: Readonly<Record<string, string>>;
}

/**
 * Applies remove, rename, replace (only if present), add (only if absent), set (always), append
 * (another value), in that order, to a copy of `fields`. `nameOf` maps a configured name to the
 * stored one (lower-case for headers, itself for query). A renamed field replaces any field of the
 * new name; replace and set leave a single value.
 */
export function applyMultiValueOps(
  fields: Readonly<Record<string, readonly string[]>>,
  ops: MultiValueOps,
  nameOf: (name: string) => string,
): Record<string, string[]> {
  const map = new Map(Object.entries(fields).map(([name, values]) => [name, [...values]]));
  for (const name of ops.remove ?? []) map.delete(nameOf(name));
  for (const [from, to] of Object.entries(ops.rename ?? {})) {
    const values = map.get(nameOf(from));
    if (values === undefined || nameOf(from) === nameOf(to)) continue;
    map.delete(nameOf(from));
    map.set(nameOf(to), values);
  }
  for (const [name, value] of Object.entries(ops.replace ?? {})) {
    if (map.has(nameOf(name))) map.set(nameOf(name), [value]);
  }
  for (const [name, value] of Object.entries(ops.add ?? {})) {
    if (!map.has(nameOf(name))) map.set(nameOf(name), [value]);
  }
  for (const [name, value] of Object.entries(ops.set ?? {})) map.set(nameOf(name), [value]);
  for (const [name, value] of Object.entries(ops.append ?? {})) {
    map.set(nameOf(name), [...(map.get(nameOf(name)) ?? []), value]);
  }
  // fromEntries defines own properties, so a client's `__proto__` query name stays data.
  return Object.fromEntries(map);
}

/** Header and query values are text: numbers and booleans from YAML become their JSON spelling. */
export function fieldValueText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function textValues(values: Readonly<Record<string, JsonValue>> | undefined): Record<string, string> | undefined {
  return values && Object.fromEntries(Object.entries(values).map(([name, value]) => [name, fieldValueText(value)]));
}

/** One field kind's slice of a transformation, values as text. */
export function multiValueOpsFor(transform: TransformOps<JsonValue>, field: 'headers' | 'querystring'): MultiValueOps {
  return {
    remove: transform.remove?.[field],
    rename: transform.rename?.[field],
    replace: textValues(transform.replace?.[field]),
    add: textValues(transform.add?.[field]),
    set: textValues(transform.set?.[field]),
    append: transform.append?.[field],
  };
}
