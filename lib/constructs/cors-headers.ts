// CORS headers for gateway responses (401/403/429/5xx made by API Gateway itself), so browsers can read them.
import type { CorsSpec } from '../config/schema';

/** Gateway-response header values are mapping expressions: literals in single quotes. */
const literal = (value: string) => `'${value}'`;

export function corsResponseHeaders(cors: CorsSpec): Record<string, string> {
  const headers: Record<string, string> = {
    // A gateway response cannot branch on the caller's Origin, so with several allowed origins it
    // echoes the request's Origin. Its bodies are API Gateway's generic error messages, never data.
    'Access-Control-Allow-Origin': cors.origins.length === 1 ? literal(cors.origins[0]!) : 'method.request.header.Origin',
    'Access-Control-Allow-Headers': literal(cors.headers.join(',')),
    'Access-Control-Allow-Methods': literal(cors.methods.join(',')),
  };
  if (cors.exposeHeaders.length) headers['Access-Control-Expose-Headers'] = literal(cors.exposeHeaders.join(','));
  if (cors.credentials) headers['Access-Control-Allow-Credentials'] = literal('true');
  if (cors.origins.length > 1 || cors.origins[0] !== '*') headers['Vary'] = literal('Origin');
  return headers;
}
