// Applies a response transformation to the upstream's answer: body (XML to JSON, JSON fields), then headers.
import type { ResponseTransform } from '../../contract/proxy-config';
import { transformBody } from './body';
import { transformHeaders } from './headers';
import { jsonOpsOf } from './json-body';
import { normalizeHeaders, type ProxyResponseMessage } from '../../shared/apigw/messages';

/**
 * Applies the response transformation; returns a new message (inputs not mutated). Pure. The body is
 * transformed first, read as its incoming headers describe it; header operations then apply on top,
 * so a configured Content-Type wins over the one XML conversion sets.
 */
export function transformResponse(response: ProxyResponseMessage, transform: ResponseTransform | undefined): ProxyResponseMessage {
  const incoming = { headers: normalizeHeaders(response.headers), body: response.body };
  if (!transform) return { ...response, ...incoming };
  const { headers, body } = transformBody(incoming, { json: jsonOpsOf(transform), xmlToJson: transform.xmlToJson === true });
  return { ...response, headers: transformHeaders(headers, transform), body };
}
