// Turns an XML document into JSON for clients of a JSON API: attributes as `@_name`, every value kept as a string.
import type { XMLParser } from 'fast-xml-parser';
import type { JsonValue } from '../../contract/proxy-config';

type FastXmlParser = typeof import('fast-xml-parser');

let xml: { readonly lib: FastXmlParser; readonly parser: XMLParser } | undefined;

/**
 * fast-xml-parser (about 43 KB of the bundle with its dependencies) is loaded on the first XML body, with a
 * synchronous require: a proxy whose config has no `xmlToJson` never gets here, so its bundle leaves the package
 * out (`proxyLeftOut`). Numbers stay strings so `007` and `0123` (zip codes, ids) survive; entity expansion keeps
 * the library's limits (no billion laughs). The parser is created once: it holds only options.
 */
function loadXml(): NonNullable<typeof xml> {
  if (xml) return xml;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require('fast-xml-parser') as FastXmlParser;
  const parser = new lib.XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
  xml = { lib, parser };
  return xml;
}

/** The document as JSON, or undefined when the text is not well-formed XML. */
export function xmlToJson(text: string): JsonValue | undefined {
  const { lib, parser } = loadXml();
  if (lib.XMLValidator.validate(text) !== true) return undefined;
  try {
    return parser.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}
