// The grammar of an aggregate part's path template (`/users/{claims.sub}/orders?limit={query.limit}`): parsed the same way
// by the planner's check at synth and by the aggregator at init; rendering lives with the aggregator.

/** Placeholder sources that come from the client's request; any other source is a part name. */
export const REQUEST_SOURCES = ['claims', 'path', 'query'] as const;
export type RequestSource = (typeof REQUEST_SOURCES)[number];

export interface Placeholder {
  /** As written between the braces, e.g. `claims.sub`, `profile.address.city`. */
  readonly text: string;
  /** `claims`, `path`, `query`, or a part name. */
  readonly source: string;
  /** Keys below the source; digits index arrays. */
  readonly keys: readonly string[];
}

export interface PathTemplate {
  readonly text: string;
  /** Everything before the first placeholder: the rendered path must still start with it. */
  readonly literalPrefix: string;
  /** Literal text and placeholders in order. */
  readonly pieces: readonly (string | Placeholder)[];
  readonly placeholders: readonly Placeholder[];
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_-]*)((?:\.[A-Za-z0-9_$-]+)+)\}/y;
/** Literal template text: unreserved and sub-delims, `:@/?%`, nothing the URL parser would re-encode or cut at. */
const LITERAL = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/;

/** Parses a template once at init. A malformed one (stray brace, bad name, not starting with `/`) throws TypeError. */
export function parsePathTemplate(text: string): PathTemplate {
  if (typeof text !== 'string' || !text.startsWith('/')) throw new TypeError(`path template ${JSON.stringify(text)} must start with /`);
  const pieces: (string | Placeholder)[] = [];
  let literal = '';
  for (let at = 0; at < text.length;) {
    if (text[at] !== '{') {
      literal += text[at];
      at += 1;
      continue;
    }
    PLACEHOLDER.lastIndex = at;
    const match = PLACEHOLDER.exec(text);
    if (match === null)
      throw new TypeError(`path template ${JSON.stringify(text)} has a bad placeholder at ${JSON.stringify(text.slice(at))}`);
    if (literal) pieces.push(literal);
    literal = '';
    const source = match[1] as string;
    const keys = (match[2] as string).slice(1).split('.');
    if ((REQUEST_SOURCES as readonly string[]).includes(source) && keys.length !== 1) {
      throw new TypeError(`path template ${JSON.stringify(text)}: {${source}.…} takes one name, got ${JSON.stringify(match[0])}`);
    }
    pieces.push({ text: `${source}.${keys.join('.')}`, source, keys });
    at += match[0].length;
  }
  if (literal) pieces.push(literal);
  const literals = pieces.filter((piece): piece is string => typeof piece === 'string');
  const stray = literals.find((piece) => !LITERAL.test(piece));
  if (stray !== undefined)
    throw new TypeError(
      `path template ${JSON.stringify(text)} has characters that need encoding or a stray brace in ${JSON.stringify(stray)}`,
    );
  // Rendered with a harmless value in every placeholder: a dot segment then can only come from the template itself.
  if (hasDotSegment(literals.join('x'))) throw new TypeError(`path template ${JSON.stringify(text)} has a . or .. segment`);
  const placeholders = pieces.filter((piece): piece is Placeholder => typeof piece !== 'string');
  const first = pieces[0];
  return { text, literalPrefix: typeof first === 'string' ? first : '', pieces, placeholders };
}

export function isRequestSource(source: string): source is RequestSource {
  return (REQUEST_SOURCES as readonly string[]).includes(source);
}

/** A `.` or `..` segment in the path (before `?`): the URL parser or the upstream would resolve it away from the prefix. */
export function hasDotSegment(pathAndQuery: string): boolean {
  const path = pathAndQuery.split('?', 1)[0] as string;
  return path.split('/').some((segment) => segment === '.' || segment === '..');
}
