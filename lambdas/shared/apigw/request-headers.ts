// The request headers of a payload 1.0 event (or a 2.0 one read as 1.0) as one header map, for every handler behind API Gateway.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { HeaderMap } from './messages';

/**
 * Lower-case names; multi-value headers first (they keep every copy), single-value ones fill gaps.
 * Built in a Map and turned into an object with fromEntries, so a client's `__proto__` stays an ordinary name.
 */
export function headersOf(event: APIGatewayProxyEvent): HeaderMap {
  const headers = new Map<string, string[]>();
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (values === undefined) continue;
    const key = name.toLowerCase();
    headers.set(key, [...(headers.get(key) ?? []), ...values]);
  }
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    const key = name.toLowerCase();
    if (value !== undefined && !headers.has(key)) headers.set(key, [value]);
  }
  return Object.fromEntries(headers);
}
