// Turns a response message into API Gateway's proxy result: multi-value headers, text or base64 body, Lambda's size limit.
import type { APIGatewayProxyResult } from 'aws-lambda';
import { dropHopByHopHeaders, LAMBDA_PAYLOAD_LIMIT_BYTES } from '../http-client';
import type { HeaderMap, ProxyResponseMessage } from './messages';

/** `application/*` subtypes sent as UTF-8 text (with `*+json` and `*+xml`); `text/*` always is. */
const TEXT_SUBTYPES: ReadonlySet<string> = new Set(['json', 'xml', 'javascript', 'x-www-form-urlencoded']);

/** Room kept for the result's JSON envelope and headers within Lambda's 6 MB response payload. */
const ENVELOPE_RESERVE_BYTES = 64 * 1024;

/**
 * True when the body is text and may go as a UTF-8 string: a textual content type and no content
 * coding (a gzipped JSON body is bytes).
 */
export function isTextBody(headers: HeaderMap): boolean {
  const coding = headers['content-encoding']?.[0]?.trim().toLowerCase();
  if (coding !== undefined && coding !== '' && coding !== 'identity') return false;
  const type = (headers['content-type']?.[0]?.split(';')[0] ?? '').trim().toLowerCase();
  const [top, subtype = ''] = type.split('/');
  if (top === 'text') return subtype !== '';
  return top === 'application' && (TEXT_SUBTYPES.has(subtype) || subtype.endsWith('+json') || subtype.endsWith('+xml'));
}

/**
 * Hop-by-hop headers and Content-Length are dropped (API Gateway recomputes the length); every
 * value stays, so several Set-Cookie reach the client. An empty body is text whatever its type.
 */
export function toProxyResult(response: ProxyResponseMessage): APIGatewayProxyResult {
  const headers = dropHopByHopHeaders(response.headers);
  delete headers['content-length'];
  const text = response.body.length === 0 || isTextBody(headers);
  return {
    statusCode: response.status,
    multiValueHeaders: headers,
    body: response.body.toString(text ? 'utf8' : 'base64'),
    isBase64Encoded: !text,
  };
}

/** True when Lambda would refuse to return the result (6 MB response payload, JSON-encoded). */
export function exceedsLambdaPayload(result: APIGatewayProxyResult): boolean {
  // Cheap bound first (JSON escaping makes a character at most 6 bytes); the exact size only for big bodies.
  if (result.body.length * 6 < LAMBDA_PAYLOAD_LIMIT_BYTES - ENVELOPE_RESERVE_BYTES) return false;
  return Buffer.byteLength(JSON.stringify(result)) > LAMBDA_PAYLOAD_LIMIT_BYTES;
}
