// Renders a part's path template: placeholders from claims, path, query or other parts, each URL-encoded, the result kept under its prefix.
import type { JsonValue } from '../contract/proxy-config';
import { PartError } from './errors';
import { hasDotSegment, isRequestSource, type Placeholder, type PathTemplate } from '../contract/aggregate-template';

export { isRequestSource, parsePathTemplate, REQUEST_SOURCES } from '../contract/aggregate-template';
export type { Placeholder, PathTemplate, RequestSource } from '../contract/aggregate-template';

/** What placeholders are filled from. */
export interface TemplateValues {
  /** The authorizer's context: strings as the Gatehouse JWT authorizer sets them. */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly path: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Answers of the parts done so far. */
  readonly parts: ReadonlyMap<string, JsonValue>;
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
