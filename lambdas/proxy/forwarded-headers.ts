// The headers sent upstream: the client's end-to-end headers plus correlation, identity, X-Forwarded-* and Forwarded set by the gateway.
import { isSendableHeaderValue } from '../shared/header-values';
import { dropHopByHopHeaders } from '../shared/http-client';
import type { ProxyConfig } from '../contract/proxy-config';
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
  if (!(headers[correlation] ?? []).some((value) => value.trim() !== '' && isSendableHeaderValue(value)))
    headers[correlation] = [request.requestId];
  headers[rules.gatewayRequestIdHeader.toLowerCase()] = [request.requestId];

  if (rules.identityHeaders !== undefined) setIdentity(headers, rules.identityHeaders, request.authorizer);

  const forwardedFor = (headers['x-forwarded-for'] ?? [])
    .flatMap((value) => value.split(','))
    .map((hop) => hop.trim())
    .filter(Boolean);
  // API Gateway already appends the caller's address; add it only when it is not the last hop yet.
  if (request.sourceIp && forwardedFor[forwardedFor.length - 1] !== request.sourceIp) forwardedFor.push(request.sourceIp);
  if (forwardedFor.length > 0) headers['x-forwarded-for'] = [forwardedFor.join(', ')];
  headers['x-forwarded-proto'] = ['https'];
  // The host the client reached (API Gateway sets Host to the API's domain): never a host the client claims.
  const host = (request.headers.host ?? [])[0]?.trim();
  delete headers['x-forwarded-host'];
  if (host) headers['x-forwarded-host'] = [host];
  // RFC 7239: the client's own `Forwarded` elements cannot be verified, so only the gateway's hop is sent.
  headers.forwarded = [forwardedElement(request.sourceIp, host)];
  return headers;
}

/** One RFC 7239 element; IPv6 addresses and hosts with a port are quoted, as the RFC's `node` and `value` syntax require. */
function forwardedElement(sourceIp: string | undefined, host: string | undefined): string {
  const quoted = (value: string) => (/^[A-Za-z0-9.\-_~!#$&'*+^`|]+$/.test(value) ? value : `"${value.replace(/["\\]/g, '')}"`);
  const pairs = [
    ...(sourceIp ? [`for=${sourceIp.includes(':') ? `"[${sourceIp}]"` : sourceIp}`] : []),
    ...(host ? [`host=${quoted(host)}`] : []),
    'proto=https',
  ];
  return pairs.join(';');
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
