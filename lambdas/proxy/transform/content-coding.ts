// Undoes Content-Encoding (gzip, br, deflate) so a body can be transformed; anything else is reported as undecodable.
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync, type ZlibOptions } from 'node:zlib';
import { headerValues, type HeaderMap } from '../../shared/apigw/messages';

/**
 * Largest decoded body, in bytes. A Lambda answer cannot exceed 6 MB anyway; the cap stops a small
 * compressed body from expanding without bound (a decompression bomb) before that is noticed.
 */
export const MAX_DECODED_BODY_BYTES = 10 * 1024 * 1024;

const LIMIT: ZlibOptions = { maxOutputLength: MAX_DECODED_BODY_BYTES };

/** HTTP's `deflate` is zlib-wrapped (RFC 9110 §8.4.1.2), but some servers send raw deflate: accept both. */
function inflateEither(body: Buffer): Buffer {
  try {
    return inflateSync(body, LIMIT);
  } catch {
    return inflateRawSync(body, LIMIT);
  }
}

const DECODERS: Readonly<Record<string, (body: Buffer) => Buffer>> = {
  gzip: (body) => gunzipSync(body, LIMIT),
  'x-gzip': (body) => gunzipSync(body, LIMIT),
  br: (body) => brotliDecompressSync(body, LIMIT),
  deflate: inflateEither,
};

/** The codings applied, in the order they were applied (`identity` dropped). */
export function contentCodings(headers: HeaderMap): string[] {
  return headerValues(headers, 'content-encoding')
    .flatMap((value) => value.split(','))
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
}

/**
 * The body with its content codings undone (last applied, first undone); undefined when a coding is
 * unknown or the bytes do not decode, so the caller passes the body through as it came.
 */
export function decodeContent(body: Buffer, codings: readonly string[]): Buffer | undefined {
  let decoded = body;
  for (const coding of [...codings].reverse()) {
    const decode = Object.hasOwn(DECODERS, coding) ? DECODERS[coding] : undefined;
    if (!decode) return undefined;
    try {
      decoded = decode(decoded);
    } catch {
      return undefined;
    }
  }
  return decoded;
}
