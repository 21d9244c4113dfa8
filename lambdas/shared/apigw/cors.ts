// CORS headers on what a handler returns (proxy or aggregator), for allowed origins, unless the upstream already answered CORS itself.
import type { ProxyCors } from '../../contract/proxy-config';
import type { HeaderMap, ProxyResponseMessage } from './messages';

/**
 * Adds Access-Control-Allow-Origin (`*` only when any origin is allowed without credentials, the
 * caller's origin otherwise), Vary: Origin, Allow-Credentials and Expose-Headers. An upstream that set
 * Access-Control-Allow-Origin keeps its own CORS answer untouched.
 */
export function withCors(response: ProxyResponseMessage, requestHeaders: HeaderMap, cors: ProxyCors | undefined): ProxyResponseMessage {
  const origin = requestHeaders.origin?.[0];
  if (cors === undefined || origin === undefined || response.headers['access-control-allow-origin'] !== undefined) return response;
  const anyOrigin = cors.origins.includes('*');
  if (!anyOrigin && !cors.origins.includes(origin)) return response;
  const headers: HeaderMap = { ...response.headers };
  headers['access-control-allow-origin'] = [anyOrigin && !cors.credentials ? '*' : origin];
  const vary = (headers.vary ?? [])
    .flatMap((value) => value.split(','))
    .map((token) => token.trim())
    .filter(Boolean);
  if (!vary.some((token) => token.toLowerCase() === 'origin' || token === '*')) headers.vary = [[...vary, 'Origin'].join(', ')];
  if (cors.credentials) headers['access-control-allow-credentials'] = ['true'];
  if (cors.exposeHeaders.length > 0) headers['access-control-expose-headers'] = [cors.exposeHeaders.join(', ')];
  return { ...response, headers };
}
