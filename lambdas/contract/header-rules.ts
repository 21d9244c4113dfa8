// The rules a configured header follows (a valid name, a safe value, never a connection header): the transform check and the engine share them.

/**
 * Headers a transformation may not write: they describe the connection, not the message (RFC 9110
 * §7.6.1), or the HTTP client owns them. Writing them would desynchronise framing or routing.
 */
const CONNECTION_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

/** RFC 9110 token characters: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** CR, LF and NUL would split or truncate the header block (response splitting). */
const UNSAFE_HEADER_VALUE = /[\r\n\0]/;

/** True for a name a transformation must never write (`connection`, `proxy-*`, `host`, …). */
export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return CONNECTION_HEADERS.has(lower) || lower.startsWith('proxy-');
}

export function isHeaderName(name: string): boolean {
  return HEADER_NAME.test(name);
}

export function isSafeHeaderValue(value: string): boolean {
  return !UNSAFE_HEADER_VALUE.test(value);
}
