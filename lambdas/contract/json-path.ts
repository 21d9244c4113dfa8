// JSON dot paths (`a.b`, `items[].secret`, `[].internal`): the grammar the transform check and the engine share, parsed.

/** One step from a node to its children: a named member, or every element of an array. */
export type PathStep = { readonly kind: 'key'; readonly name: string } | { readonly kind: 'each' };

/** A parsed dot path: the steps to the parent objects, then the key the operation acts on. */
export interface JsonPath {
  readonly parent: readonly PathStep[];
  readonly key: string;
  /** Any `[]` in the path: such paths never create missing objects, there is no single parent to create. */
  readonly hasArrays: boolean;
}

/** `name`, `name[]`, `name[][]`; a leading part may be `[]` alone (top-level array). Keys with dots are out of scope. */
const PART = /^([^.[\]]*)((?:\[\])*)$/;

/** Why `text` is not a dot path, or undefined when it is one. */
export function jsonPathProblem(text: string): string | undefined {
  if (text === '') return 'is empty';
  const parts = text.split('.');
  for (const [index, part] of parts.entries()) {
    const match = PART.exec(part);
    if (!match) return `has a bad segment ${JSON.stringify(part)} (use a.b or items[].c)`;
    const [, name = '', arrays = ''] = match;
    if (name === '' && (index > 0 || arrays === '')) return `has an empty segment in ${JSON.stringify(text)}`;
  }
  if (text.endsWith('[]')) return 'must end with a field name, not []';
  return undefined;
}

const parsed = new Map<string, JsonPath>();

/** Parses (and remembers) a dot path; misuse, so a bad one throws TypeError (configs are checked at init). */
export function parseJsonPath(text: string): JsonPath {
  const known = parsed.get(text);
  if (known) return known;
  const problem = jsonPathProblem(text);
  if (problem !== undefined) throw new TypeError(`JSON path ${JSON.stringify(text)} ${problem}`);
  const steps = text.split('.').flatMap((part): PathStep[] => {
    const [, name = '', arrays = ''] = PART.exec(part) ?? [];
    const each = Array.from({ length: arrays.length / 2 }, (): PathStep => ({ kind: 'each' }));
    return name === '' ? each : [{ kind: 'key', name }, ...each];
  });
  const last = steps[steps.length - 1];
  const path: JsonPath = {
    parent: steps.slice(0, -1),
    key: last?.kind === 'key' ? last.name : '',
    hasArrays: steps.some((step) => step.kind === 'each'),
  };
  parsed.set(text, path);
  return path;
}

/** True for a name without dots or brackets: a rename to it stays in the same parent. */
export function isPlainKey(text: string): boolean {
  return text !== '' && !/[.[\]]/.test(text);
}
