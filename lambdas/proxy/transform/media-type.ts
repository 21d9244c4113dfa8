// Reads a Content-Type: which bodies count as JSON or XML, and whether their charset is one we can rewrite.
import { headerValues, type HeaderMap } from '../../shared/apigw/messages';

export interface MediaType {
  /** `type/subtype`, lower-case, parameters dropped. */
  readonly essence: string;
  /** The `charset` parameter, lower-case; undefined when absent. */
  readonly charset: string | undefined;
}

/** The message's media type from its first Content-Type value; undefined when there is none. */
export function mediaTypeOf(headers: HeaderMap): MediaType | undefined {
  const [value] = headerValues(headers, 'content-type');
  if (value === undefined) return undefined;
  const [essence = '', ...parameters] = value.split(';').map((part) => part.trim());
  const charset = parameters
    .map((parameter) => /^charset\s*=\s*"?([^";\s]*)"?$/i.exec(parameter)?.[1])
    .find((found) => found !== undefined);
  return { essence: essence.toLowerCase(), charset: charset?.toLowerCase() };
}

/** `application/json` or any `type/subtype+json`. */
export function isJsonMediaType(type: MediaType | undefined): boolean {
  return type !== undefined && (type.essence === 'application/json' || /^[^/]+\/[^/]+\+json$/.test(type.essence));
}

/** `application/xml`, `text/xml` or any `type/subtype+xml`. */
export function isXmlMediaType(type: MediaType | undefined): boolean {
  return (
    type !== undefined && (type.essence === 'application/xml' || type.essence === 'text/xml' || /^[^/]+\/[^/]+\+xml$/.test(type.essence))
  );
}

/** Bodies are decoded as UTF-8; a body declaring any other charset is left alone rather than garbled. */
export function isUtf8Charset(type: MediaType): boolean {
  return type.charset === undefined || type.charset === 'utf-8' || type.charset === 'utf8' || type.charset === 'us-ascii';
}
