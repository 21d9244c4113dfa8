// Where a loaded config came from, kept beside the spec: its file, the line and column of each config path, and the x- keys it ignored.
import type { RawIssue, SpecIssue } from './errors';
import { formatPath } from './errors';

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export interface ConfigSource {
  /** The file as the user named it (messages print it as given). */
  readonly file: string;
  /** The position of the key (or, failing that, the nearest enclosing node) at a config path. */
  positionOf(path: readonly (string | number)[]): SourcePosition | undefined;
  /** Paths of the `x-` extension keys the loader ignored, as `explain -v` lists them. */
  readonly extensions: readonly string[];
}

// Keyed by the validated spec object: a spec is immutable data, so its source cannot go stale.
const sources = new WeakMap<object, ConfigSource>();

export function attachSource<T extends object>(spec: T, source: ConfigSource | undefined): T {
  if (source) sources.set(spec, source);
  return spec;
}

/** The file and positions a spec was loaded from; undefined for a spec written as a TS object. */
export function sourceOf(spec: unknown): ConfigSource | undefined {
  return typeof spec === 'object' && spec !== null ? sources.get(spec) : undefined;
}

/** Adds file:line:col to an issue that has none, from the spec's source. */
export function locateIssue(
  issue: RawIssue & { where?: string; file?: string; line?: number },
  source: ConfigSource | undefined,
): SpecIssue {
  const where = issue.where ?? formatPath(issue.path);
  if (!source || issue.line !== undefined) return { ...issue, where, file: issue.file ?? source?.file };
  const path = issue.path.length ? issue.path : parsePath(where);
  const pos = source.positionOf(path);
  return { ...issue, where, file: source.file, line: pos?.line, column: pos?.column };
}

/** The inverse of formatPath: `gateways.public.routes[2]["a b"]` → ['gateways', 'public', 'routes', 2, 'a b']. */
export function parsePath(where: string): (string | number)[] {
  const out: (string | number)[] = [];
  if (where.startsWith('(')) return out; // (top level), (file), (syntax)
  const re = /([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const m of where.matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(m[3]) as string);
  }
  return out;
}

/** `file:line:col ` (or `file ` or '') as the CLI and synth print before a path. */
export function formatPosition(at: { readonly file?: string; readonly line?: number; readonly column?: number }): string {
  if (!at.file) return '';
  return `${at.file}${at.line ? `:${at.line}:${at.column ?? 1}` : ''} `;
}
