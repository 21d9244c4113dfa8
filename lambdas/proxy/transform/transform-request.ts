// Applies a request transformation to the message bound upstream: body, then headers, then query.
import type { RequestTransform } from '../../contract/proxy-config';
import { transformBody } from './body';
import { transformHeaders } from './headers';
import { jsonOpsOf } from './json-body';
import { normalizeHeaders, type ProxyRequestMessage } from '../../shared/apigw/messages';
import { transformQuery } from './query';

/**
 * Applies the request transformation; returns a new message (inputs not mutated). Pure. The body is
 * transformed first, read as its incoming headers describe it; header operations then apply on top.
 * The path is left alone: `rewritePath` maps the client's path, the handler chooses.
 */
export function transformRequest(request: ProxyRequestMessage, transform: RequestTransform | undefined): ProxyRequestMessage {
  const incoming = { headers: normalizeHeaders(request.headers), body: request.body };
  if (!transform) return { ...request, ...incoming, query: transformQuery(request.query, {}) };
  const { headers, body } = transformBody(incoming, { json: jsonOpsOf(transform), xmlToJson: false });
  return {
    ...request,
    headers: transformHeaders(headers, transform),
    query: transformQuery(request.query, transform),
    body,
  };
}
