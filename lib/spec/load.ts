// Loader: YAML/JSON text or a TS object → validated GatehouseSpec with defaults, or one SpecError listing every problem.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isPair, isScalar, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { SpecError, formatPath, type RawIssue, type SpecIssue } from './errors';
import { checkGatewayRules, checkSpecRules } from './rules';
import { gatewaySchema, specSchema, type GatehouseSpec, type GatehouseSpecInput } from './schema';
import { didYouMean } from './suggest';
import { resolveSpecFiles } from './spec-files';
import { tokenFields } from './tokens';

/** Where positions come from when the spec was read from text. */
interface Source {
  readonly file?: string;
  readonly doc?: Document;
  readonly lines?: LineCounter;
}

/** Reads and validates a config file (.yaml, .yml or .json). */
export function loadSpec(file: string): GatehouseSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new SpecError([{ path: [], where: '(file)', file, message: `cannot read the config: ${reason}` }]);
  }
  return parseSpec(text, file);
}

/** Parses YAML (JSON is YAML too) and validates it; `file` only labels the messages. */
export function parseSpec(text: string, file = 'gatehouse.yaml'): GatehouseSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SpecError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
        return { path: [], where: '(syntax)', file, line: pos?.line, column: pos?.col, message: e.message.split('\n')[0] ?? e.message };
      }),
    );
  }
  return validate(doc.toJS(), { file, doc, lines });
}

/** Validates a spec given as an object (the typed way to use Gatehouse from a CDK app). */
export function validateSpec(input: GatehouseSpecInput | unknown): GatehouseSpec {
  return validate(input, {});
}

function validate(input: unknown, source: Source): GatehouseSpec {
  // Files a spec names (validate.body) are relative to the config file; a spec given as an object uses the working directory.
  const baseDir = source.file ? dirname(resolve(source.file)) : process.cwd();
  const parsed = specSchema.safeParse(input ?? {}, { reportInput: true });
  const issues = parsed.success
    ? [...checkSpecRules(parsed.data, baseDir), ...(source.doc ? tokensInText(input) : [])]
    : [...parsed.error.issues.flatMap(fromZodIssue), ...rulesOfValidGateways(input, parsed.error.issues, baseDir)];
  if (issues.length > 0) throw new SpecError(issues.map((i) => locate(i, source)));
  return resolveSpecFiles((parsed as { data: GatehouseSpec }).data, baseDir);
}

/** A config file cannot hold values of other constructs: `${Token[...]}` there is text that would reach CloudFormation as is. */
function tokensInText(input: unknown): RawIssue[] {
  return tokenFields(input).map(({ path }) => ({
    path,
    message: 'a CDK token (${Token[...]}) only means something in a spec written in TypeScript; in a config file write the literal URL, ARN or id',
  }));
}

/**
 * When some fields are invalid, still run the cross-field rules of each gateway whose own fields
 * are valid, so one run reports every problem instead of revealing them a layer at a time.
 */
function rulesOfValidGateways(input: unknown, schemaIssues: readonly z.core.$ZodIssue[], baseDir: string): RawIssue[] {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as { services?: unknown; gateways?: unknown };
  if (typeof raw.gateways !== 'object' || raw.gateways === null) return [];
  const servicesBroken = schemaIssues.some((i) => i.path.length === 1 && i.path[0] === 'services');
  const serviceNames = !servicesBroken && typeof raw.services === 'object' && raw.services !== null ? Object.keys(raw.services) : undefined;
  return Object.entries(raw.gateways).flatMap(([name, gateway]) => {
    if (schemaIssues.some((i) => i.path[0] === 'gateways' && i.path[1] === name)) return [];
    const parsed = gatewaySchema.safeParse(gateway);
    return parsed.success ? checkGatewayRules(name, parsed.data, serviceNames, baseDir) : [];
  });
}

function fromZodIssue(issue: z.core.$ZodIssue): RawIssue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(path);
    return issue.keys.map((key) => ({
      path: [...path, key],
      message: `unknown field "${key}"${didYouMean(key, known)}${known.length ? `; allowed here: ${known.join(', ')}` : ''}`,
    }));
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ path, message: `required field is missing (expected ${issue.expected})` }];
  }
  if (issue.code === 'invalid_value' && issue.input === undefined) {
    return [{ path, message: `required field is missing (expected one of ${issue.values.map(String).join(', ')})` }];
  }
  if (issue.code === 'invalid_key' && issue.origin === 'record') {
    const inner = issue.issues[0];
    return [{ path, message: `invalid name: ${inner?.message ?? issue.message}` }];
  }
  return [{ path, message: issue.message }];
}

/** The field names the schema allows for the object at `path` (for "did you mean" hints). */
function knownKeysAt(path: readonly (string | number)[]): string[] {
  let node: z.core.$ZodType | undefined = unwrap(specSchema);
  for (const part of path) {
    if (!node) return [];
    const def = node._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object') node = (def.shape as Record<string, z.core.$ZodType>)[String(part)];
    else if (def.type === 'record') node = def.valueType as z.core.$ZodType;
    else if (def.type === 'array') node = def.element as z.core.$ZodType;
    else return [];
    node = node ? unwrap(node) : undefined;
  }
  const def = node?._zod.def as unknown as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** Looks through optional/default/refinement wrappers to the schema that has the shape. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const def = current._zod.def as unknown as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

/** Adds file:line:col from the YAML document: the key of an unknown field, else the nearest node on the path. */
function locate(issue: RawIssue, source: Source): SpecIssue {
  const base: SpecIssue = { ...issue, where: formatPath(issue.path), file: source.file };
  const { doc, lines } = source;
  if (!doc || !lines) return base;
  const offset = offsetOf(doc, issue.path);
  if (offset === undefined) return base;
  const pos = lines.linePos(offset);
  return { ...base, line: pos.line, column: pos.col };
}

function offsetOf(doc: Document, path: readonly (string | number)[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const parentPath = path.slice(0, depth - 1);
    const last = path[depth - 1];
    if (depth > 0) {
      // Point at the key itself when the parent is a map holding it (covers unknown and wrong-typed fields).
      const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
      if (isMap(parent)) {
        // Keys such as `123:` are numbers in YAML but strings in the validated path.
        const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(last));
        const keyNode = pair?.key as Node | undefined;
        if (keyNode?.range) return keyNode.range[0];
      }
    }
    const node = (depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true)) as Node | null | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) return node.range[0];
  }
  return undefined;
}
