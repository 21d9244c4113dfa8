// Loader: YAML/JSON text or a TS object → validated GatehouseSpec with defaults, or one ConfigError listing every problem.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { LineCounter, parseDocument, isMap, isPair, isScalar, visit, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { ConfigError, formatPath, type RawIssue, type SpecIssue } from './errors';
import { checkGatewayRules, checkSpecRules } from './rules';
import { gatewaySchema, specSchema, type GatehouseSpec } from './schema';
import { didYouMean } from './suggest';
import { resolveSpecFiles } from './spec-files';
import { attachSource, sourceOf, type ConfigSource, type SourcePosition } from './source';
import { tokenFields } from './tokens';

/** Where positions come from when the spec was read from text. */
interface Source {
  readonly file?: string;
  readonly doc?: Document;
  readonly lines?: LineCounter;
}

/**
 * How many alias expansions a document may make before the yaml library calls it a resource-exhaustion
 * attack ("billion laughs"). Its default (100) refuses real configs that share one `throttle: *t` across
 * a hundred routes; a bomb still exceeds this by orders of magnitude after a few levels of nesting.
 */
export const MAX_ALIAS_COUNT = 10_000;

/** Reads and validates a config file (.yaml, .yml or .json). */
export function loadConfig(file: string): GatehouseSpec {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new ConfigError([{ path: [], where: '(file)', file, message: `cannot read the config: ${reason}` }]);
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad) {
    throw new ConfigError([
      {
        path: [],
        where: '(encoding)',
        file,
        line: bad.line,
        column: bad.column,
        message: `byte 0x${bad.byte.toString(16).padStart(2, '0')} is not UTF-8; save the file as UTF-8 (YAML and JSON configs are read as UTF-8 only)`,
      },
    ]);
  }
  return parseConfig(bytes.toString('utf8'), file);
}

/** Parses YAML (JSON is YAML too) and validates it; `file` only labels the messages. */
export function parseConfig(text: string, file = 'gatehouse.yaml'): GatehouseSpec {
  const lines = new LineCounter();
  // merge: `<<: *base` keys (YAML 1.1, as Compose and OpenAPI files use them) are resolved here.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
  const at = (offset: number) => lines.linePos(offset);
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? at(e.pos[0]);
        return { path: [], where: '(syntax)', file, line: pos?.line, column: pos?.col, message: e.message.split('\n')[0] ?? e.message };
      }),
    );
  }
  const aliasIssues = unresolvedAliases(doc).map((a) => ({
    path: [],
    where: '(syntax)',
    file,
    line: at(a.offset).line,
    column: at(a.offset).col,
    message: `alias *${a.name} names no anchor: define &${a.name} earlier in the file (an anchor must come before its aliases)`,
  }));
  if (aliasIssues.length) throw new ConfigError(aliasIssues);
  let input: unknown;
  try {
    input = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    const first = firstAlias(doc);
    const pos = first === undefined ? undefined : at(first);
    throw new ConfigError([
      {
        path: [],
        where: '(syntax)',
        file,
        line: pos?.line ?? 1,
        column: pos?.col ?? 1,
        message: /resource exhaustion/.test(err.message)
          ? `aliases expand to more than ${MAX_ALIAS_COUNT} nodes (nested aliases multiply: a "billion laughs" document); share fewer or flatter anchors`
          : err.message,
      },
    ]);
  }
  if (input === null || input === undefined) {
    throw new ConfigError([
      {
        path: [],
        where: '(top level)',
        file,
        line: 1,
        column: 1,
        message: 'the config is empty: it needs at least `services` and `gateways` (`gatehouse init` writes a starter file)',
      },
    ]);
  }
  if (typeof input !== 'object' || Array.isArray(input)) {
    const pos = doc.contents?.range ? at(doc.contents.range[0]) : { line: 1, col: 1 };
    throw new ConfigError([
      {
        path: [],
        where: '(top level)',
        file,
        line: pos.line,
        column: pos.col,
        message: `the config is ${Array.isArray(input) ? 'a list' : `a ${typeof input}`}; it must be a map of fields such as services: and gateways:`,
      },
    ]);
  }
  return validate(input, { file, doc, lines });
}

/** Validates a spec given as an object (the typed way to use Gatehouse from a CDK app: a `GatehouseSpecInput`, or anything, reported field by field). */
export function validateConfig(input: unknown): GatehouseSpec {
  // A spec loaded from a file keeps its file and positions when validated again (the Gatehouse construct does).
  const loaded = sourceOf(input);
  return attachSource(validate(input, {}, loaded), loaded);
}

function validate(input: unknown, source: Source, loaded?: ConfigSource): GatehouseSpec {
  // Files a spec names (validate.body) are relative to the config file; a spec given as an object uses the working directory.
  const baseDir = source.file ? dirname(resolve(source.file)) : process.cwd();
  const { input: clean, extensions } = withoutExtensions(input ?? {});
  const parsed = specSchema.safeParse(clean, { reportInput: true });
  const issues = parsed.success
    ? [...checkSpecRules(parsed.data, baseDir), ...(source.doc ? tokensInText(clean) : [])]
    : [...parsed.error.issues.flatMap((i) => fromZodIssue(i, clean)), ...rulesOfValidGateways(clean, parsed.error.issues, baseDir)];
  const configSource: ConfigSource | undefined =
    loaded ??
    (source.file && source.doc && source.lines
      ? { file: source.file, positionOf: (path) => positionIn(source, path), extensions: extensions.map(formatPath) }
      : undefined);
  if (issues.length > 0) throw new ConfigError(issues.map((i) => locate(i, source)));
  return attachSource(resolveSpecFiles((parsed as { data: GatehouseSpec }).data, baseDir), configSource);
}

/**
 * `x-…` keys where the schema has no such field are extensions (the Compose/OpenAPI convention: a home for
 * anchors and notes) and are ignored. Found by asking the schema, so a service or header *named* x-… is kept.
 */
function withoutExtensions(input: unknown): { input: unknown; extensions: (string | number)[][] } {
  const extensions: (string | number)[][] = [];
  let current = input;
  // zod reports unknown keys wherever it gets to; another pass finds those it only reaches once these are gone (e.g. in unions).
  for (let pass = 0; pass < 8; pass++) {
    const parsed = specSchema.safeParse(current);
    if (parsed.success) break;
    const found = parsed.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys'
        ? i.keys.filter((k) => k.startsWith('x-')).map((k) => [...i.path.filter((p): p is string | number => typeof p !== 'symbol'), k])
        : [],
    );
    if (!found.length) break;
    for (const path of found) current = removeAt(current, path);
    extensions.push(...found);
  }
  return { input: current, extensions };
}

/** A copy of `value` without the key at `path`; only the objects along the path are copied. */
function removeAt(value: unknown, path: readonly (string | number)[]): unknown {
  if (typeof value !== 'object' || value === null || path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) }) as Record<
    string | number,
    unknown
  >;
  if (rest.length === 0) delete copy[head!];
  else copy[head!] = removeAt(copy[head!], rest);
  return copy;
}

/** Aliases whose anchor is missing (or comes later): the yaml library would throw a bare ReferenceError in toJS. */
function unresolvedAliases(doc: Document): { name: string; offset: number }[] {
  const out: { name: string; offset: number }[] = [];
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) === undefined) out.push({ name: node.source, offset: node.range?.[0] ?? 0 });
    },
  });
  return out;
}

function firstAlias(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

/** Where the first byte that is not UTF-8 is, by line and column (1-based; the column counts characters before it). */
function firstInvalidUtf8(bytes: Buffer): { line: number; column: number; byte: number } | undefined {
  if (isUtf8(bytes)) return undefined;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    try {
      decoder.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      // A sequence cut short fails at the byte after it: point at the lead byte that started it.
      let k = i - 1;
      while (k >= lineStart && ((bytes[k] ?? 0) & 0xc0) === 0x80) k--;
      const lead = k >= lineStart ? (bytes[k] ?? 0) : 0;
      const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      const start = length > 1 && i - k < length ? k : i;
      const column = new TextDecoder().decode(bytes.subarray(lineStart, start)).length + 1;
      return { line, column, byte: bytes[start] ?? 0 };
    }
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: 1, byte: bytes[bytes.length - 1] ?? 0 };
}

/** A config file cannot hold values of other constructs: `${Token[...]}` there is text that would reach CloudFormation as is. */
function tokensInText(input: unknown): RawIssue[] {
  return tokenFields(input).map(({ path }) => ({
    path,
    message:
      'a CDK token (${Token[...]}) only means something in a spec written in TypeScript; in a config file write the literal URL, ARN or id',
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

function fromZodIssue(issue: z.core.$ZodIssue, input: unknown): RawIssue[] {
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
    // zod skips the value of an entry whose name is invalid; check it too, so one run shows every problem.
    const valueSchema = recordValueSchemaAt(path.slice(0, -1));
    const value = valueAt(input, path);
    const valueIssues = valueSchema && value !== undefined ? (z.safeParse(valueSchema, value).error?.issues ?? []) : [];
    return [
      { path, message: `invalid name: ${inner?.message ?? issue.message}` },
      ...valueIssues.flatMap((i: z.core.$ZodIssue) => fromZodIssue({ ...i, path: [...path, ...i.path] }, input)),
    ];
  }
  return [{ path, message: issue.message }];
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let node = input;
  for (const part of path) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}

/** The schema of the values of the record at `path` (services, gateways, plans, …), if it is one. */
function recordValueSchemaAt(path: readonly (string | number)[]): z.core.$ZodType | undefined {
  const def = schemaAt(path)?._zod.def as unknown as { type: string; valueType?: z.core.$ZodType } | undefined;
  return def?.type === 'record' ? def.valueType : undefined;
}

/** The field names the schema allows for the object at `path` (for "did you mean" hints). */
function knownKeysAt(path: readonly (string | number)[]): string[] {
  const def = schemaAt(path)?._zod.def as unknown as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function schemaAt(path: readonly (string | number)[]): z.core.$ZodType | undefined {
  let node: z.core.$ZodType | undefined = unwrap(specSchema);
  for (const part of path) {
    if (!node) return undefined;
    const def = node._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object') node = (def.shape as Record<string, z.core.$ZodType>)[String(part)];
    else if (def.type === 'record') node = def.valueType as z.core.$ZodType;
    else if (def.type === 'array') node = def.element as z.core.$ZodType;
    else return undefined;
    node = node ? unwrap(node) : undefined;
  }
  return node;
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
  const pos = positionIn(source, issue.path);
  return pos ? { ...base, line: pos.line, column: pos.column } : base;
}

function positionIn(source: Source, path: readonly (string | number)[]): SourcePosition | undefined {
  const { doc, lines } = source;
  if (!doc || !lines) return undefined;
  const offset = offsetOf(doc, path);
  if (offset === undefined) return undefined;
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
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
