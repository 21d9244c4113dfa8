// Body transformation: decode only when an operation needs the body, rewrite JSON (and XML into JSON), fix the headers that described the old bytes.
import { contentCodings, decodeContent } from './content-coding';
import { applyJsonOps, hasJsonOps, type JsonOps } from './json-body';
import { parseJsonText } from './json-text';
import { isJsonMediaType, isUtf8Charset, isXmlMediaType, mediaTypeOf } from './media-type';
import type { HeaderMap } from '../../shared/apigw/messages';
import { xmlToJson } from './xml';

export interface BodyMessage {
  readonly headers: HeaderMap;
  readonly body: Buffer;
}

export interface BodyTransform {
  readonly json: JsonOps;
  readonly xmlToJson: boolean;
}

/** Headers that vouch for the exact old bytes; wrong once the body is rewritten. */
const BYTE_BOUND_HEADERS = ['content-length', 'content-encoding', 'content-md5', 'content-digest', 'digest'];

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The message with its body transformed, or the same message when nothing applies: wrong media type,
 * unknown coding, undecodable, not UTF-8, malformed, or no operation changed anything. Headers are
 * read as they arrived (they describe these bytes), before any header operation.
 */
export function transformBody(message: BodyMessage, transform: BodyTransform): BodyMessage {
  const jsonOps = hasJsonOps(transform.json);
  if (!jsonOps && !transform.xmlToJson) return message;
  const type = mediaTypeOf(message.headers);
  const fromXml = transform.xmlToJson && isXmlMediaType(type);
  if (!type || !isUtf8Charset(type) || !(fromXml || (jsonOps && isJsonMediaType(type)))) return message;
  const decoded = decodeContent(message.body, contentCodings(message.headers));
  const text = decoded && decodeUtf8(decoded);
  if (text === undefined) return message;
  const document = fromXml ? xmlToJson(text) : parseJsonText(text);
  if (document === undefined) return message;
  const changed = applyJsonOps(document, transform.json) || fromXml;
  if (!changed) return message;
  return { headers: headersForRewrittenBody(message.headers, fromXml), body: Buffer.from(JSON.stringify(document)) };
}

/**
 * Drops headers bound to the old bytes (the HTTP client or API Gateway recomputes length and
 * compression) and weakens a strong ETag, as a compressing proxy does: same resource, other bytes.
 */
function headersForRewrittenBody(headers: HeaderMap, fromXml: boolean): HeaderMap {
  const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !BYTE_BOUND_HEADERS.includes(name)));
  if (Object.hasOwn(kept, 'etag')) kept.etag = (kept.etag ?? []).map((tag) => (tag.startsWith('W/') ? tag : `W/${tag}`));
  if (fromXml) kept['content-type'] = ['application/json; charset=utf-8'];
  return kept;
}
