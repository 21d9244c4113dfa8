// How to tell the gateway's "no such route" answer (REST: 403 Missing Authentication Token, HTTP: 404) from an upstream's.
import type { NoRouteMemory } from './context';
import type { VerifyResponse } from './types';

/** A path no sane config routes; the first check learns the gateway's answer to it. */
export const UNKNOWN_PATH = '/gatehouse-verify-no-such-route';

/** API Gateway's own bodies for a path or method the API does not serve (REST, then HTTP API). */
const GATEWAY_NO_ROUTE_MESSAGES: ReadonlySet<string> = new Set(['Missing Authentication Token', 'Not Found']);

export function isNoRouteAnswer(response: VerifyResponse, memory: NoRouteMemory): boolean {
  if (response.status !== 403 && response.status !== 404) return false;
  if (memory.signature) return response.status === memory.signature.status && response.body === memory.signature.body;
  if (/MissingAuthenticationToken/i.test(response.headers['x-amzn-errortype'] ?? '')) return true;
  return GATEWAY_NO_ROUTE_MESSAGES.has(messageOf(response.body) ?? '');
}

/** `{"message":"..."}`'s message, the shape of API Gateway's own error bodies. */
export function messageOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed?.message === 'string' ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}
