// Renders a part's path template: placeholders from claims, path, query or other parts, each URL-encoded, the result kept under its prefix.
import type { JsonValue } from '../contract/proxy-config';
import { PartError } from './errors';

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

/** What placeholders are filled from. */
export interface TemplateValues {
  /** The authorizer's context: strings as the Gatehouse JWT authorizer sets them. */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly path: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Answers of the parts done so far. */
  readonly parts: ReadonlyMap<string, JsonValue>;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_-]*)((?:\.[A-Za-z0-9_$-]+)+)\}/y;
/** Literal template text: unreserved and sub-delims, `:@/?%`, nothing the URL parser would re-encode or cut at. */
const LITERAL = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/;

/** Parses a template once at init. A malformed one (stray brace, bad name, not starting with `/`) throws TypeError. */
export function parsePathTemplate(text: string): PathTemplate {
  if (typeof text !== 'string' || !text.startsWith('/')) throw new TypeError(`path template ${JSON.stringify(text)} must start with /`);
  const pieces: (string | Placeholder)[] = [];
  let literal = '';
  for (let at = 0; at < text.length; ) {
    if (text[at] !== '{') {
      literal += text[at];
      at += 1;
      continue;
    }
    PLACEHOLDER.lastIndex = at;
    const match = PLACEHOLDER.exec(text);
    if (match === null) throw new TypeError(`path template ${JSON.stringify(text)} has a bad placeholder at ${JSON.stringify(text.slice(at))}`);
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
  if (stray !== undefined) throw new TypeError(`path template ${JSON.stringify(text)} has characters that need encoding or a stray brace in ${JSON.stringify(stray)}`);
  // Rendered with a harmless value in every placeholder: a dot segment then can only come from the template itself.
  if (hasDotSegment(literals.join('x'))) throw new TypeError(`path template ${JSON.stringify(text)} has a . or .. segment`);
  const placeholders = pieces.filter((piece): piece is Placeholder => typeof piece !== 'string');
  const first = pieces[0];
  return { text, literalPrefix: typeof first === 'string' ? first : '', pieces, placeholders };
}

/**
 * The path (and query) with every placeholder replaced by its value, encoded with encodeURIComponent,
 * so no value can add a segment, a query parameter or a line break. Throws `PartError` `missing_value`
 * or `unsafe_path`; `fromRequest` says whether the client's request is to blame.
 */
export function renderPath(template: PathTemplate, values: TemplateValues): string {
  let rendered = '';
  for (const piece of template.pieces) {
    if (typeof piece === 'string') rendered += piece;
    else rendered += encodedValueOf(piece, values);
  }
  if (!rendered.startsWith(template.literalPrefix) || hasDotSegment(rendered)) {
    const culprit = template.placeholders.find((p) => /^\.\.?$/.test(String(lookUp(p, values)))) ?? template.placeholders[0];
    throw new PartError('unsafe_path', `the rendered path of ${template.text} would leave its prefix`, {
      placeholder: culprit?.text,
      fromRequest: culprit !== undefined && isRequestSource(culprit.source),
    });
  }
  return rendered;
}

/** A value as URL text; one without a UTF-8 form (a lone surrogate) is refused like any unsafe value. */
function encodedValueOf(placeholder: Placeholder, values: TemplateValues): string {
  const value = valueOf(placeholder, values);
  try {
    return encodeURIComponent(value);
  } catch {
    throw new PartError('unsafe_path', `the value of {${placeholder.text}} is not valid Unicode`, {
      placeholder: placeholder.text,
      fromRequest: isRequestSource(placeholder.source),
    });
  }
}

export function isRequestSource(source: string): source is RequestSource {
  return (REQUEST_SOURCES as readonly string[]).includes(source);
}

function valueOf(placeholder: Placeholder, values: TemplateValues): string {
  const value = lookUp(placeholder, values);
  // An empty value would turn `/users/{claims.sub}` into the collection `/users/`: as bad as none.
  if ((typeof value === 'string' && value !== '') || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
    return String(value);
  }
  throw new PartError('missing_value', `no value for {${placeholder.text}}`, {
    placeholder: placeholder.text,
    fromRequest: isRequestSource(placeholder.source),
  });
}

function lookUp({ source, keys }: Placeholder, values: TemplateValues): unknown {
  let value: unknown =
    source === 'claims' ? values.claims : source === 'path' ? values.path : source === 'query' ? values.query : values.parts.get(source);
  for (const key of keys) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A `.` or `..` segment in the path (before `?`): the URL parser or the upstream would resolve it away from the prefix. */
function hasDotSegment(pathAndQuery: string): boolean {
  const path = pathAndQuery.split('?', 1)[0] as string;
  return path.split('/').some((segment) => segment === '.' || segment === '..');
}
