// JSON Schema files named by routes' validate.body: read, checked, and resolved against the config file's directory.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import Ajv from 'ajv-draft-04';

/** A JSON Schema object as API Gateway models take it (draft 4). */
export type JsonSchema = Record<string, unknown>;

export type SchemaFileResult = { readonly schema: JsonSchema } | { readonly problem: string };

/** Reads a request-body schema; a problem is a sentence naming the file. */
export function readSchemaFile(file: string, baseDir: string): SchemaFileResult {
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problem: `${file} not found (paths are relative to the config file's directory: ${baseDir})` };
    return { problem: `${file} is not readable JSON: ${(err as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { problem: `${file} is not a JSON Schema: expected an object such as { "type": "object", "required": [...] }` };
  }
  const declared = (parsed as { $schema?: unknown }).$schema;
  // API Gateway models are JSON Schema draft 4; keywords of later drafts would be silently ignored.
  if (declared !== undefined && !(typeof declared === 'string' && declared.includes('draft-04'))) {
    return {
      problem: `${file} declares $schema ${JSON.stringify(declared)}; API Gateway validates with JSON Schema draft 4 (http://json-schema.org/draft-04/schema#)`,
    };
  }
  // Compiled here with the proxy's validator, so a schema neither API Gateway nor the proxy could use fails synth, not requests.
  try {
    new Ajv({ strict: false, validateFormats: false, addUsedSchema: false, logger: false }).compile(parsed);
  } catch (err) {
    return { problem: `${file} is not a valid JSON Schema (draft 4): ${(err as Error).message}` };
  }
  return { schema: parsed as JsonSchema };
}
