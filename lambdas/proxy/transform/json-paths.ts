// JSON dot paths in bodies: finding the objects a path's last key lives in (the path grammar is lambdas/contract/json-path.ts).
import type { JsonPath } from '../../contract/json-path';
import { isRawJsonNumber } from './json-text';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isRawJsonNumber(value);
}

/** Sets an own property even for `__proto__`, so a body or config key can never reach a prototype. */
export function defineMember(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * The objects the path's key lives in. With `create`, missing members along the way become empty
 * objects (only for paths without `[]`); a member that exists but is not an object stops the walk.
 */
export function parentsOf(root: unknown, path: JsonPath, create: boolean): JsonObject[] {
  let nodes: unknown[] = [root];
  for (const step of path.parent) {
    nodes = nodes.flatMap((node): unknown[] => {
      if (step.kind === 'each') return Array.isArray(node) ? node : [];
      if (!isJsonObject(node)) return [];
      if (Object.hasOwn(node, step.name)) return [node[step.name]];
      if (!create || path.hasArrays) return [];
      const child: JsonObject = {};
      defineMember(node, step.name, child);
      return [child];
    });
  }
  return nodes.filter(isJsonObject);
}
