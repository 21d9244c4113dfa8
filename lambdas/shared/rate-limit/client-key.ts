// Whose counter a request counts against: the consumer, API key, source IP or a header, as a short key safe in any table key.
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { RateLimitBy } from '../../contract/rate-limit-config';

/** Hex characters kept of the SHA-256: 128 bits, so two clients share a counter only by a collision nobody can aim for. */
const HASH_HEX_CHARS = 32;
/** A key passed in ready-made is part of the table key too: short and free of the key's `#` separator. */
export const MAX_CLIENT_KEY_LENGTH = 256;
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_CLIENT_KEY = /[#\u0000-\u001f\u007f]/;

/** The event fields the key is read from; a REST API (v1) proxy event has them all. */
export type ClientKeyEvent = Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'> & {
  readonly requestContext: Pick<APIGatewayProxyEvent['requestContext'], 'identity' | 'authorizer'>;
};

/**
 * The counter key of a request: a kind prefix and a hash of the raw value, e.g. `sub:3f2a…`. Hashing
 * keeps hostile values (very long, CRLF, `#`, any Unicode) from breaking or stretching the table key,
 * and the prefix keeps a header value from landing on the counter of an IP or a consumer with the
 * same text. A request without the chosen identity (anonymous, no API key, header absent) counts
 * against its source IP, as Kong does.
 */
export function clientKeyOf(event: ClientKeyEvent, by: RateLimitBy, clientIpHeader?: string): string {
  const identified = identify(event, by);
  if (identified !== undefined) return keyOf(identified.kind, identified.value);
  // Behind CloudFront the source IP is CloudFront's: the viewer's address comes in a header CloudFront sets.
  const viewerIp = clientIpHeader === undefined ? undefined : headerValue(event, clientIpHeader.toLowerCase());
  // Without a source IP (a console test invoke) every such request shares one counter.
  return keyOf('ip', viewerIp ?? event.requestContext.identity?.sourceIp ?? '');
}

/** Checks a key built by the caller before it goes into a table key. */
export function checkClientKey(clientKey: string): string {
  if (
    typeof clientKey !== 'string' ||
    clientKey.length === 0 ||
    clientKey.length > MAX_CLIENT_KEY_LENGTH ||
    UNSAFE_IN_CLIENT_KEY.test(clientKey)
  ) {
    throw new TypeError(
      `client key must be 1 to ${MAX_CLIENT_KEY_LENGTH} characters without "#" or control characters, got ${JSON.stringify(clientKey)?.slice(0, 80)}`,
    );
  }
  return clientKey;
}

function identify(event: ClientKeyEvent, by: RateLimitBy): { kind: string; value: string } | undefined {
  const { authorizer, identity } = event.requestContext;
  switch (by.kind) {
    case 'consumer': {
      const sub = nonEmpty(authorizer?.sub) ?? nonEmpty((authorizer?.claims as Readonly<Record<string, unknown>> | undefined)?.sub);
      if (sub !== undefined) return { kind: 'sub', value: sub };
      const clientId = nonEmpty(authorizer?.clientId);
      return clientId === undefined ? undefined : { kind: 'client', value: clientId };
    }
    case 'apiKey': {
      const apiKeyId = nonEmpty(identity?.apiKeyId);
      return apiKeyId === undefined ? undefined : { kind: 'key', value: apiKeyId };
    }
    case 'header': {
      const value = headerValue(event, by.header);
      return value === undefined ? undefined : { kind: 'hdr', value };
    }
    case 'ip':
      return undefined;
  }
}

/** Case-insensitive; repeated headers are joined with ", " as HTTP combines them, so their order matters as it would upstream. */
function headerValue(event: ClientKeyEvent, lowerCaseName: string): string | undefined {
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (name.toLowerCase() === lowerCaseName && values !== undefined && values.length > 0) return nonEmpty(values.join(', '));
  }
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (name.toLowerCase() === lowerCaseName) return nonEmpty(value);
  }
  return undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function keyOf(kind: string, value: string): string {
  return `${kind}:${createHash('sha256').update(value, 'utf8').digest('hex').slice(0, HASH_HEX_CHARS)}`;
}
