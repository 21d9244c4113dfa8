// The headers sent upstream: the client's end-to-end headers plus correlation, identity and X-Forwarded-* set by the gateway.
import { dropHopByHopHeaders } from '../shared/http-client';
import type { ProxyConfig } from './config';
import type { ClientRequest } from './event';
import type { HeaderMap } from './transform';

type HeaderRules = Pick<ProxyConfig, 'correlationHeader' | 'gatewayRequestIdHeader' | 'identityHeaders'>;

/**
 * Hop-by-hop headers, Host and Content-Length go (the HTTP client sets its own); identity headers come
 * only from the authorizer, so a client cannot pose as another user.
 */
export function forwardedHeaders(request: ClientRequest, rules: HeaderRules): HeaderMap {
  const headers = dropHopByHopHeaders(request.headers);
  delete headers.host;
  delete headers['content-length'];

  const correlation = rules.correlationHeader.toLowerCase();
  if (!(headers[correlation] ?? []).some((value) => value.trim() !== '')) headers[correlation] = [request.requestId];
  headers[rules.gatewayRequestIdHeader.toLowerCase()] = [request.requestId];

  if (rules.identityHeaders !== undefined) setIdentity(headers, rules.identityHeaders, request.authorizer);

  const forwardedFor = (headers['x-forwarded-for'] ?? []).flatMap((value) => value.split(',')).map((hop) => hop.trim()).filter(Boolean);
  // API Gateway already appends the caller's address; add it only when it is not the last hop yet.
  if (request.sourceIp && forwardedFor[forwardedFor.length - 1] !== request.sourceIp) forwardedFor.push(request.sourceIp);
  if (forwardedFor.length > 0) headers['x-forwarded-for'] = [forwardedFor.join(', ')];
  headers['x-forwarded-proto'] = ['https'];
  return headers;
}

function setIdentity(
  headers: HeaderMap,
  names: NonNullable<ProxyConfig['identityHeaders']>,
  authorizer: ClientRequest['authorizer'],
): void {
  const sub = authorizer?.sub;
  const verified = typeof sub === 'string' && sub !== '';
  const values: [string, unknown][] = [
    [names.userId, sub],
    [names.roles, authorizer?.roles],
    [names.scopes, authorizer?.scopes],
    [names.clientId, authorizer?.clientId],
  ];
  for (const [name, value] of values) {
    const key = name.toLowerCase();
    delete headers[key];
    if (verified && typeof value === 'string' && value !== '') headers[key] = [value];
  }
}
