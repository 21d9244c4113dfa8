// JSON field operations on a parsed document: remove, rename, replace, add, set, by dot path.
import type { JsonValue, TransformOps } from '../../contract/proxy-config';
import { isPlainKey, parseJsonPath } from '../../contract/json-path';
import { defineMember, parentsOf } from './json-paths';

/** The `json` slice of a transformation (append does not apply to JSON). */
export interface JsonOps {
  readonly remove?: readonly string[];
  readonly rename?: Readonly<Record<string, string>>;
  readonly replace?: Readonly<Record<string, JsonValue>>;
  readonly add?: Readonly<Record<string, JsonValue>>;
  readonly set?: Readonly<Record<string, JsonValue>>;
}

/** The `json` slice of a request or response transformation. */
export function jsonOpsOf(transform: TransformOps<JsonValue>): JsonOps {
  return {
    remove: transform.remove?.json,
    rename: transform.rename?.json,
    replace: transform.replace?.json,
    add: transform.add?.json,
    set: transform.set?.json,
  };
}

/** True when at least one JSON operation is configured: only then is a body decoded and parsed. */
export function hasJsonOps(ops: JsonOps): boolean {
  return [ops.remove, ops.rename, ops.replace, ops.add, ops.set].some(
    (entries) => entries !== undefined && Object.keys(entries).length > 0,
  );
}

/**
 * Applies the operations in place, in Kong's order, and reports whether anything changed (so an
 * untouched body keeps its original bytes). Inserted values are copies: the config is shared by
 * every invocation and must never alias a body.
 */
export function applyJsonOps(document: unknown, ops: JsonOps): boolean {
  let changed = false;
  for (const path of ops.remove ?? []) changed = removeField(document, path) || changed;
  for (const [from, to] of Object.entries(ops.rename ?? {})) changed = renameField(document, from, to) || changed;
  for (const [path, value] of Object.entries(ops.replace ?? {})) {
    changed = writeField(document, path, value, { ifPresent: true, create: false }) || changed;
  }
  for (const [path, value] of Object.entries(ops.add ?? {})) {
    changed = writeField(document, path, value, { ifAbsent: true, create: true }) || changed;
  }
  for (const [path, value] of Object.entries(ops.set ?? {})) {
    changed = writeField(document, path, value, { create: true }) || changed;
  }
  return changed;
}

function removeField(document: unknown, text: string): boolean {
  const path = parseJsonPath(text);
  let changed = false;
  for (const parent of parentsOf(document, path, false)) {
    if (!Object.hasOwn(parent, path.key)) continue;
    delete parent[path.key];
    changed = true;
  }
  return changed;
}

interface WriteMode {
  readonly ifPresent?: boolean;
  readonly ifAbsent?: boolean;
  readonly create: boolean;
}

function writeField(document: unknown, text: string, value: JsonValue, mode: WriteMode): boolean {
  const path = parseJsonPath(text);
  let changed = false;
  for (const parent of parentsOf(document, path, mode.create)) {
    const present = Object.hasOwn(parent, path.key);
    if ((mode.ifPresent && !present) || (mode.ifAbsent && present)) continue;
    defineMember(parent, path.key, structuredClone(value));
    changed = true;
  }
  return changed;
}

/**
 * A plain new name renames within the same parent (every element for `items[].old`). A dotted new
 * name is a path from the root (both paths then have no `[]`, which the config check enforces):
 * the value moves there, creating missing objects; when it cannot be placed, the source stays.
 */
function renameField(document: unknown, from: string, to: string): boolean {
  const source = parseJsonPath(from);
  if (isPlainKey(to)) {
    let changed = false;
    for (const parent of parentsOf(document, source, false)) {
      if (!Object.hasOwn(parent, source.key) || source.key === to) continue;
      const value = parent[source.key];
      delete parent[source.key];
      defineMember(parent, to, value);
      changed = true;
    }
    return changed;
  }
  const [parent] = parentsOf(document, source, false);
  if (!parent || !Object.hasOwn(parent, source.key) || from === to) return false;
  const value = parent[source.key];
  delete parent[source.key];
  const target = parseJsonPath(to);
  const [destination] = parentsOf(document, target, true);
  defineMember(destination ?? parent, destination ? target.key : source.key, value);
  return destination !== undefined;
}
