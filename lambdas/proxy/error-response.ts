// The proxy's own answer when it refuses or cannot reach an upstream: the error as a JSON response message.
import type { HeaderMap, ProxyResponseMessage } from '../shared/apigw/messages';
import type { ProxyError } from './errors';

/** The proxy's own answer: `{ message, code }` as JSON, with Retry-After when the error has one. */
export function errorResponse(error: ProxyError): ProxyResponseMessage {
  const headers: HeaderMap = { 'content-type': ['application/json'] };
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = [String(error.retryAfterSeconds)];
  return { status: error.statusCode, headers, body: Buffer.from(JSON.stringify({ message: error.message, code: error.code })) };
}
