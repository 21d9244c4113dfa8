// Finds the bearer token in a REQUEST authorizer event's Authorization header (RFC 6750 §2.1).
import { TokenRejected } from './errors';
import { MAX_TOKEN_BYTES } from './verify';

type Headers = Readonly<Record<string, string | undefined>> | null | undefined;
type MultiValueHeaders = Readonly<Record<string, readonly string[] | undefined>> | null | undefined;

/** Room for the scheme and whitespace around a token of MAX_TOKEN_BYTES. */
const MAX_HEADER_BYTES = MAX_TOKEN_BYTES + 64;

const BEARER = /^Bearer[ \t]+([^ \t]+)[ \t]*$/i;

/**
 * The token of `Authorization: Bearer <token>`; header name and scheme are case-insensitive.
 * Throws `token_missing` without a bearer credential, `token_malformed` for two Authorization
 * headers or a credential with spaces, `token_too_large` before matching an oversized header.
 */
export function bearerToken(headers: Headers, multiValueHeaders?: MultiValueHeaders): string {
  const values = headerValues(headers, multiValueHeaders);
  if (values.length === 0) throw new TokenRejected('token_missing', 'no Authorization header');
  // Two Authorization headers: which one a proxy or upstream would read is anyone's guess.
  if (values.length > 1) throw new TokenRejected('token_malformed', 'more than one Authorization header');
  const value = values[0]!.trim();
  if (value.length > MAX_HEADER_BYTES) {
    throw new TokenRejected('token_too_large', `Authorization header is ${value.length} bytes, over ${MAX_HEADER_BYTES}`);
  }
  if (!/^Bearer(\s|$)/i.test(value)) throw new TokenRejected('token_missing', 'Authorization header is not Bearer');
  const match = BEARER.exec(value);
  if (!match)
    throw new TokenRejected(
      value.length <= 'Bearer'.length ? 'token_missing' : 'token_malformed',
      'Bearer credential is empty or has spaces',
    );
  return match[1]!;
}

function headerValues(headers: Headers, multiValueHeaders: MultiValueHeaders): string[] {
  // Plain loops rather than entries/filter/map: this runs on every request, cache hits included.
  const values: string[] = [];
  if (multiValueHeaders) {
    for (const name of Object.keys(multiValueHeaders)) {
      if (name.toLowerCase() === 'authorization') values.push(...(multiValueHeaders[name] ?? []));
    }
    if (values.length > 0) return values;
  }
  if (headers) {
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (value !== undefined && name.toLowerCase() === 'authorization') values.push(value);
    }
  }
  return values;
}
