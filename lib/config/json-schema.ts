// The JSON Schema of gatehouse.yaml, generated from the zod schema, so editors complete and check configs as the loader does.
import { z } from 'zod';
import { specSchema } from './schema';

type JsonObject = Record<string, unknown>;

/** Field descriptions by the set of sibling field names of their object (see bin/json-schema.ts, which reads them from the schema's doc comments). */
export type FieldDocs = ReadonlyMap<string, Readonly<Record<string, string>>>;

/** The key of an object's field set, as FieldDocs uses it. */
export function fieldSetKey(fields: readonly string[]): string {
  return [...fields].sort().join(',');
}

/**
 * Draft 7, which YAML and JSON editors (yaml-language-server, VS Code, JetBrains) support fully. `io: 'input'` describes
 * what a user writes: defaulted fields are optional and carry their default.
 */
export function gatehouseJsonSchema(docs: FieldDocs = new Map()): JsonObject {
  const generated = z.toJSONSchema(specSchema, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as JsonObject;
  const schema: JsonObject = {
    $schema: generated.$schema,
    $id: 'https://github.com/gatehouse/gatehouse/lib/config/gatehouse.schema.json',
    title: 'Gatehouse config (gatehouse.yaml)',
    description:
      'One file to an API gateway on AWS. Reference: README.md, "Config reference". Keys starting with x- are ignored (a home for anchors); merge keys (<<: *base) are resolved.',
    ...Object.fromEntries(Object.entries(generated).filter(([k]) => k !== '$schema')),
  };
  decorate(schema, docs);
  return schema;
}

function isEmptySchema(s: unknown): boolean {
  return typeof s === 'object' && s !== null && Object.keys(s).length === 0;
}

/** Adds descriptions, allows x- extension keys beside every closed object, and drops zod's MAX_SAFE_INTEGER bounds (noise in an editor). */
function decorate(node: unknown, docs: FieldDocs): void {
  if (Array.isArray(node)) {
    for (const item of node) decorate(item, docs);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as JsonObject;
  if (n.maximum === Number.MAX_SAFE_INTEGER) delete n.maximum;
  if (n.minimum === Number.MIN_SAFE_INTEGER) delete n.minimum;
  // "an ARN, or the construct itself": a construct (TypeScript specs only) has no JSON form, so a file gives the string.
  if (Array.isArray(n.anyOf) && n.anyOf.length === 2 && n.anyOf.some(isEmptySchema))
    Object.assign(
      n,
      n.anyOf.find((s) => !isEmptySchema(s)),
      { anyOf: undefined },
    );
  const properties = n.properties as Record<string, JsonObject> | undefined;
  if (properties) {
    const described = docs.get(fieldSetKey(Object.keys(properties)));
    for (const [name, field] of Object.entries(properties)) {
      const text = described?.[name];
      if (text && typeof field === 'object' && field !== null && field.description === undefined) field.description = text;
    }
    if (n.additionalProperties === false) n.patternProperties = { '^x-': {} };
  }
  for (const value of Object.values(n)) decorate(value, docs);
}
