// Turns an XML document into JSON for clients of a JSON API: attributes as `@_name`, every value kept as a string.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { JsonValue } from '../../contract/proxy-config';

/**
 * Numbers stay strings so `007` and `0123` (zip codes, ids) survive; entity expansion keeps the
 * library's limits (no billion laughs). Created once: a parser holds only options.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** The document as JSON, or undefined when the text is not well-formed XML. */
export function xmlToJson(text: string): JsonValue | undefined {
  if (XMLValidator.validate(text) !== true) return undefined;
  try {
    return parser.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}
