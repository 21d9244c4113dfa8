// Compresses a response body with br or gzip, whichever the client's Accept-Encoding prefers, once it is big enough to be worth it.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export type ContentCoding = 'br' | 'gzip' | 'identity';

/**
 * Brotli at quality 4: close to gzip's speed with a smaller result. The default 11 costs tens of ms
 * per 100 kB, paid on every request since these answers are per user and never cached.
 */
const BROTLI_QUALITY = 4;

/** Our preference when the client weighs codings equally: br is smaller at the same cost. */
const PREFERENCE: readonly ContentCoding[] = ['br', 'gzip'];

/**
 * The coding to answer with for an Accept-Encoding value (RFC 9110 §12.5.3): the highest q among br
 * and gzip (`*` stands for any not named), br on a tie; identity when neither is acceptable or the header is absent.
 */
export function chooseCoding(acceptEncoding: string | undefined): ContentCoding {
  if (!acceptEncoding) return 'identity';
  const weights = new Map<string, number>();
  for (const item of acceptEncoding.split(',')) {
    const [name, ...params] = item.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  let best: ContentCoding = 'identity';
  let bestWeight = 0;
  for (const coding of PREFERENCE) {
    const weight = weights.get(coding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

export interface EncodedBody {
  readonly body: Buffer;
  readonly coding: ContentCoding;
}

/** The body in the coding the client prefers, or as is below `minBytes` or when it accepts neither br nor gzip. */
export function encodeBody(text: string, acceptEncoding: string | undefined, minBytes: number): EncodedBody {
  const body = Buffer.from(text, 'utf8');
  const coding = chooseCoding(acceptEncoding);
  if (coding === 'identity' || body.length < minBytes) return { body, coding: 'identity' };
  const compressed =
    coding === 'br'
      ? brotliCompressSync(body, {
          params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
        })
      : gzipSync(body);
  return { body: compressed, coding };
}
