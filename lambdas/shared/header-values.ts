// Request header values HTTP/1.1 can carry: Node refuses any other (ERR_INVALID_CHAR), so they are left out before the call.

/**
 * RFC 9110 §5.5 field values: visible ASCII, space, tab and obs-text (0x80-0xFF, sent as Latin-1 bytes).
 * Anything else — a character above U+00FF such as `日本`, or a control character — cannot be written
 * on the wire as the client meant it, so it is not forwarded at all rather than mangled.
 */
const SENDABLE = /^[\t\x20-\x7e\x80-\xff]*$/;

export function isSendableHeaderValue(value: string): boolean {
  return SENDABLE.test(value);
}

/** The headers without the values HTTP cannot carry, and the names of those dropped (never their values: they may be secrets). */
export function sendableHeaders(headers: Readonly<Record<string, readonly string[]>>): {
  headers: Record<string, string[]>;
  dropped: string[];
} {
  const kept: Record<string, string[]> = {};
  const dropped = new Set<string>();
  for (const [name, values] of Object.entries(headers)) {
    const ok = values.filter(isSendableHeaderValue);
    if (ok.length < values.length) dropped.add(name);
    if (ok.length > 0) kept[name] = ok;
  }
  return { headers: kept, dropped: [...dropped] };
}
