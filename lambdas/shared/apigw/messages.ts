// The HTTP messages the handlers pass around (header maps with lower-case names, request and response), and the header-map normalisation they share.

/** Lower-case header names; every value a list (several Set-Cookie stay apart). */
export type HeaderMap = Record<string, string[]>;

export interface ProxyRequestMessage {
  method: string;
  /** Upstream path, percent-encoded, starting with '/'. */
  path: string;
  /** Decoded names and values, multi-value. */
  query: Record<string, string[]>;
  headers: HeaderMap;
  body: Buffer;
}

export interface ProxyResponseMessage {
  status: number;
  headers: HeaderMap;
  body: Buffer;
}

/**
 * A fresh map with lower-case names, values copied and same-name entries merged in order. Callers
 * should already send lower-case names; merging keeps a stray `Set-Cookie` next to `set-cookie`.
 */
export function normalizeHeaders(headers: Readonly<Record<string, readonly string[]>>): HeaderMap {
  const merged = new Map<string, string[]>();
  for (const [name, values] of Object.entries(headers)) {
    const key = name.toLowerCase();
    merged.set(key, [...(merged.get(key) ?? []), ...values]);
  }
  // fromEntries defines own properties, so a name like `__proto__` stays an ordinary header.
  return Object.fromEntries(merged);
}

/** The values of one header (`name` lower-case), or an empty list. */
export function headerValues(headers: HeaderMap, name: string): readonly string[] {
  return Object.hasOwn(headers, name) ? (headers[name] ?? []) : [];
}
