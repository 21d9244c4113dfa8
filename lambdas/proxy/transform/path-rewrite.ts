// Path rewrites: match the client's path against `{name}` / `{name+}` patterns and render the upstream path, refusing traversal.
import type { PathRewrite } from '../../contract/proxy-config';
import { PathRewriteError } from './errors';

type PatternSegment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'capture'; readonly name: string; readonly greedy: boolean };

interface CompiledRewrite {
  readonly segments: readonly PatternSegment[];
  readonly to: string;
}

const CAPTURE_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;
const PLACEHOLDER = /\{([^{}]*)\}/g;
const PLACEHOLDER_NAME = /^([A-Za-z_][A-Za-z0-9_]*)\+?$/;

/** C0 controls and DEL: CR/LF split requests, NUL truncates paths in some servers. */
function hasControlCharacter(text: string): boolean {
  return [...text].some((character) => {
    const code = character.codePointAt(0) ?? 0;
    return code < 0x20 || code === 0x7f;
  });
}

function parseSegment(text: string): PatternSegment | undefined {
  const capture = CAPTURE_SEGMENT.exec(text);
  if (capture) return { kind: 'capture', name: capture[1] ?? '', greedy: capture[2] === '+' };
  return /[{}]/.test(text) ? undefined : { kind: 'literal', text };
}

function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must start with /';
  if (/[?#]/.test(path)) return 'must be a path only (no ? or #)';
  return undefined;
}

/** Why a rule cannot be used, naming `match` or `to`; undefined when it is sound. */
export function pathRewriteProblem(rule: PathRewrite): { field: 'match' | 'to'; problem: string } | undefined {
  const matchProblem = pathProblem(rule.match);
  if (matchProblem) return { field: 'match', problem: matchProblem };
  const segments = rule.match.split('/').slice(1).map(parseSegment);
  const bad = segments.indexOf(undefined);
  if (bad >= 0) return { field: 'match', problem: `segment ${bad + 1} must be literal, {name} or {name+} as a whole segment` };
  const captures = segments.filter((segment) => segment?.kind === 'capture');
  const names = captures.map((capture) => capture.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) return { field: 'match', problem: `captures {${duplicate}} twice` };
  if (captures.some((capture, index) => capture.greedy && (index < captures.length - 1 || segments.at(-1) !== capture))) {
    return { field: 'match', problem: 'may use a greedy {name+} only as its last segment' };
  }
  const toProblem = pathProblem(rule.to);
  if (toProblem) return { field: 'to', problem: toProblem };
  if (/[{}]/.test(rule.to.replace(PLACEHOLDER, ''))) return { field: 'to', problem: 'has an unbalanced { or }' };
  for (const [, inner = ''] of rule.to.matchAll(PLACEHOLDER)) {
    const name = PLACEHOLDER_NAME.exec(inner)?.[1];
    if (name === undefined || !names.includes(name)) {
      return { field: 'to', problem: `uses {${inner}}, which match does not capture` };
    }
  }
  return undefined;
}

const compiled = new WeakMap<PathRewrite, CompiledRewrite>();

/** Compiles (and remembers) a rule; misuse, so a bad one throws TypeError (configs are checked at init). */
function compile(rule: PathRewrite): CompiledRewrite {
  const known = compiled.get(rule);
  if (known) return known;
  const problem = pathRewriteProblem(rule);
  if (problem) throw new TypeError(`path rewrite ${problem.field} ${JSON.stringify(rule[problem.field])} ${problem.problem}`);
  const segments = rule.match
    .split('/')
    .slice(1)
    .map((text): PatternSegment => parseSegment(text) ?? { kind: 'literal', text });
  const rewrite = { segments, to: rule.to };
  compiled.set(rule, rewrite);
  return rewrite;
}

/** The captured (still percent-encoded) text by name, or undefined when the path does not fit. */
function matchSegments(pattern: readonly PatternSegment[], path: readonly string[]): Map<string, string[]> | undefined {
  const captures = new Map<string, string[]>();
  for (const [index, segment] of pattern.entries()) {
    const actual = path[index];
    if (actual === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (actual !== segment.text) return undefined;
    } else if (segment.greedy) {
      const rest = path.slice(index);
      // An empty segment (`//`) in a capture could make the rendered path protocol-relative.
      if (rest.some((part) => part === '')) return undefined;
      captures.set(segment.name, rest);
      return captures;
    } else {
      if (actual === '') return undefined;
      captures.set(segment.name, [actual]);
    }
  }
  return path.length === pattern.length ? captures : undefined;
}

/**
 * Refuses a captured segment that, once the upstream decodes it, climbs (`..`, also `..;` which
 * some servers read as `..`), carries a separator (`%2F`, `\`) or a control character (`%0d%0a`).
 */
function assertSafeSegment(segment: string): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw new PathRewriteError('path_malformed', 'a path segment has malformed percent-encoding');
  }
  const dotPart = decoded.split(';')[0];
  if (dotPart === '.' || dotPart === '..' || /[/\\]/.test(decoded) || hasControlCharacter(decoded)) {
    throw new PathRewriteError('path_traversal', 'a captured path segment is a dot segment, a separator or a control character');
  }
}

/**
 * The first PathRewrite whose `match` fits `clientPath` (as the client sent it, percent-encoded),
 * rendered with `to`; undefined when none matches. Literal segments compare exactly and a trailing
 * slash counts; captured segments keep their original encoding. Throws PathRewriteError
 * (`path_traversal`, `path_malformed`) when a captured segment of the matching rule is unsafe.
 */
export function rewritePath(clientPath: string, rules: readonly PathRewrite[] | undefined): string | undefined {
  if (!clientPath.startsWith('/')) return undefined;
  const path = clientPath.split('/').slice(1);
  for (const rule of rules ?? []) {
    const { segments, to } = compile(rule);
    const captures = matchSegments(segments, path);
    if (!captures) continue;
    for (const parts of captures.values()) parts.forEach(assertSafeSegment);
    return to.replace(PLACEHOLDER, (_, inner: string) => (captures.get(inner.replace(/\+$/, '')) ?? []).join('/'));
  }
  return undefined;
}
