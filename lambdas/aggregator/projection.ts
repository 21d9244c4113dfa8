// Keeps only the selected dot paths of the merged answer (`profile.name`, `orders[].id`), structure intact, unknown paths left out.
import type { JsonValue } from '../contract/proxy-config';
import { parseSelectPath } from '../contract/select-path';

export { parseSelectPath, type SelectStep } from '../contract/select-path';

/** What to keep below one object: per key, the whole value, or the fields of an object there, or of each element of an array there. */
export interface Selection {
  readonly keys: Map<string, { whole: boolean; fields: Selection | undefined; elements: Selection | undefined }>;
}

/** Compiles the select list once at init. */
export function compileSelection(paths: readonly string[]): Selection {
  const root: Selection = { keys: new Map() };
  for (const path of paths) {
    let node = root;
    const steps = parseSelectPath(path);
    steps.forEach((step, index) => {
      const entry = node.keys.get(step.key) ?? { whole: false, fields: undefined, elements: undefined };
      node.keys.set(step.key, entry);
      // A last step keeps the whole value: `orders[]` alone is the whole array, like `orders`.
      if (index === steps.length - 1) entry.whole = true;
      else if (step.each) node = entry.elements ??= { keys: new Map() };
      else node = entry.fields ??= { keys: new Map() };
    });
  }
  return root;
}

/**
 * The parts of `value` the selection names. Arrays marked `[]` keep every element, each projected
 * (an object element that has none of the fields becomes `{}`; other elements are left out). A path
 * that leads nowhere adds nothing, and an object left with no key is left out too.
 */
export function project(value: JsonValue, selection: Selection): JsonValue | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const object = value as { readonly [key: string]: JsonValue };
  const kept: Record<string, JsonValue> = {};
  for (const [key, want] of selection.keys) {
    if (!Object.hasOwn(object, key)) continue;
    const child = object[key] as JsonValue;
    if (want.whole) kept[key] = child;
    // Into an array's elements only where the path said `[]`: `orders.id` does not reach into an array.
    else if (Array.isArray(child)) {
      if (want.elements) kept[key] = projectEach(child, want.elements);
    } else if (want.fields) {
      const fields = project(child, want.fields);
      if (fields !== undefined) kept[key] = fields;
    }
  }
  return Object.keys(kept).length === 0 ? undefined : kept;
}

function projectEach(elements: readonly JsonValue[], selection: Selection): JsonValue[] {
  return elements
    .filter((element) => element !== null && typeof element === 'object' && !Array.isArray(element))
    .map((element) => project(element, selection) ?? {});
}
