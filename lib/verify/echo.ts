// The echo upstream checks read: a JSON answer saying what reached the upstream (method, path, headers).
import type { VerifyResponse } from './types';

/**
 * What an echo upstream answers: `{ "method": "GET", "url" | "path": "/x?y", "headers": { name: value | [values] } }`
 * (more fields allowed). `gatehouse local`'s echo and the test upstreams answer this; behind a deployed stage, point a
 * service at one to run the checks that need it. The header names are compared in lower case.
 */
export interface EchoedRequest {
  readonly method: string;
  /** Path and query as the upstream received them. */
  readonly path: string;
  /** Lower-case names; repeated values joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
}

/** The reason checks that need an echo give when the route's answer is no echo. */
export const NEEDS_ECHO = 'needs echo upstream: the answer is not an echo of the request (see README, "After the first deploy")';

export function echoedRequest(response: VerifyResponse): EchoedRequest | undefined {
  if (!/json/i.test(response.headers['content-type'] ?? '')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const { method, url, path, headers } = parsed as Record<string, unknown>;
  const where = typeof path === 'string' ? path : url;
  if (typeof method !== 'string' || typeof where !== 'string' || !headers || typeof headers !== 'object' || Array.isArray(headers))
    return undefined;
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof value === 'string') flat[name.toLowerCase()] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) flat[name.toLowerCase()] = value.join(', ');
    else return undefined;
  }
  return { method, path: where, headers: flat };
}
