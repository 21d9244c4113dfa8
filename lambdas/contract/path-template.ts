// Path templates with `{name}` (one segment) and `{name+}` (the rest): the one matcher behind route prefixes and path rewrites.

export type PatternSegment =
  { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'capture'; readonly name: string; readonly greedy: boolean };

const CAPTURE_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;

function parseSegment(text: string): PatternSegment | undefined {
  const capture = CAPTURE_SEGMENT.exec(text);
  if (capture) return { kind: 'capture', name: capture[1] ?? '', greedy: capture[2] === '+' };
  return /[{}]/.test(text) ? undefined : { kind: 'literal', text };
}

/** The segments of a template, or why it is not one (`/a/{id}/{rest+}` is; `/a/v{id}`, `{x+}/b` or `{id}/{id}` are not). */
export function parsePathTemplate(template: string): { segments: PatternSegment[] } | { problem: string } {
  if (!template.startsWith('/')) return { problem: 'must start with /' };
  if (/[?#]/.test(template)) return { problem: 'must be a path only (no ? or #)' };
  const parsed = template.split('/').slice(1).map(parseSegment);
  const bad = parsed.indexOf(undefined);
  if (bad >= 0) return { problem: `segment ${bad + 1} must be literal, {name} or {name+} as a whole segment` };
  const segments = parsed as PatternSegment[];
  const names = captureNames(segments);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) return { problem: `captures {${duplicate}} twice` };
  if (segments.some((segment, index) => segment.kind === 'capture' && segment.greedy && index < segments.length - 1)) {
    return { problem: 'may use a greedy {name+} only as its last segment' };
  }
  return { segments };
}

export function captureNames(segments: readonly PatternSegment[]): string[] {
  return segments.flatMap((segment) => (segment.kind === 'capture' ? [segment.name] : []));
}

export interface TemplateMatch {
  /** The captured (still percent-encoded) segments by name; a greedy capture holds one or more. */
  readonly captures: Map<string, string[]>;
  /** The segments after the matched part: empty for a whole match. */
  readonly rest: string[];
}

/**
 * Matches `path` (split on `/`, as the client sent it, percent-encoded) against the template. `whole`
 * needs every segment matched; `prefix` lets segments remain after it (returned as `rest`). Literal
 * segments compare exactly; a capture never takes an empty segment (`//` could make a rendered path
 * protocol-relative).
 */
export function matchPathTemplate(
  pattern: readonly PatternSegment[],
  path: readonly string[],
  mode: 'whole' | 'prefix',
): TemplateMatch | undefined {
  const captures = new Map<string, string[]>();
  for (const [index, segment] of pattern.entries()) {
    const actual = path[index];
    if (actual === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (actual !== segment.text) return undefined;
    } else if (segment.greedy) {
      const rest = path.slice(index);
      if (rest.some((part) => part === '')) return undefined;
      captures.set(segment.name, rest);
      return { captures, rest: [] };
    } else {
      if (actual === '') return undefined;
      captures.set(segment.name, [actual]);
    }
  }
  if (mode === 'whole' && path.length !== pattern.length) return undefined;
  return { captures, rest: path.slice(pattern.length) };
}
