// Degraded answers when the upstream cannot give one: the last good copy of a GET, or the configured fallback.
import { createHash } from 'node:crypto';
import type { FallbackResponse, LastGoodConfig } from '../contract/proxy-config';
import type { ClientRequest } from './event';
import type { ProxyResponseMessage } from './transform';

export type DegradedReason = 'fallback' | 'last-good';

/** Request headers that carry credentials: a copy never crosses from one value of them to another. */
const CALLER_HEADERS = ['authorization', 'cookie', 'x-api-key'] as const;

/**
 * Who the gateway verified the caller to be: the JWT authorizer's `sub`, or the id of the API key API
 * Gateway checked. Undefined on a route without gateway auth, whatever the request claims.
 */
export function verifiedIdentity(request: ClientRequest): string | undefined {
  const sub = request.authorizer?.sub;
  if (typeof sub === 'string' && sub !== '') return `sub:${sub}`;
  return request.apiKeyId ? `key:${request.apiKeyId}` : undefined;
}

/**
 * The key of a request's last good copy, or undefined when it must not have one (anything but GET).
 * It holds the pinned target (a v2 client never gets a v1 answer), the upstream path and query, the
 * verified identity, the credential headers and `lastGood.varyHeaders` (hashed); the upstream's own
 * `Vary` headers are added when a copy is kept or looked up (see `LastGoodCache`).
 */
export function lastGoodKey(
  request: ClientRequest,
  query: string,
  pinnedTarget: string | undefined,
  config: Pick<LastGoodConfig, 'varyHeaders'>,
): string | undefined {
  if (request.method !== 'GET') return undefined;
  const caller = createHash('sha256');
  caller.update(verifiedIdentity(request) ?? '');
  for (const name of [...CALLER_HEADERS, ...config.varyHeaders]) caller.update(`\n${name}:${(request.headers[name] ?? []).join('\n')}`);
  return `${pinnedTarget ?? ''} ${request.upstreamPath}?${query} ${caller.digest('base64url')}`;
}

interface KeptResponse {
  readonly response: ProxyResponseMessage;
  readonly keptAtMs: number;
}

/** `Cache-Control` directives of a response, lower-case names (values kept only to tell `max-age=0`). */
function cacheDirectives(response: ProxyResponseMessage): Map<string, string> {
  const directives = new Map<string, string>();
  for (const value of response.headers['cache-control'] ?? []) {
    for (const part of value.split(',')) {
      const [name, ...rest] = part.trim().split('=');
      if (name) directives.set(name.toLowerCase(), rest.join('=').replace(/^"|"$/g, ''));
    }
  }
  return directives;
}

/** Lower-case names of the upstream's `Vary`; `*` means no request can be told to get the same answer. */
function varyOf(response: ProxyResponseMessage): string[] {
  return (response.headers.vary ?? [])
    .flatMap((value) => value.split(','))
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
}

/** Why a response may not be kept for a request, or undefined when it may (RFC 9111 §3 and §3.5, as a shared cache). */
export function whyNotKept(
  response: ProxyResponseMessage,
  identified: boolean,
  config: Pick<LastGoodConfig, 'sharedAnswers'>,
): string | undefined {
  const cc = cacheDirectives(response);
  if (cc.has('no-store')) return 'no-store';
  if (varyOf(response).includes('*')) return 'vary-star';
  // `private` is for one user's cache: kept only under that user's verified identity.
  if (cc.has('private')) return identified ? undefined : 'private';
  if (identified || config.sharedAnswers) return undefined;
  // No verified identity: only an answer the upstream marks as fit for every caller.
  const shareable = cc.has('public') || cc.has('s-maxage') || (cc.has('max-age') && cc.get('max-age') !== '0');
  return shareable ? undefined : 'not-shareable';
}

/** Per instance, least recently used dropped first; bounded by `maxEntries` and, per entry, `maxBodyBytes`. */
export class LastGoodCache {
  private readonly entries = new Map<string, KeptResponse>();
  /** The upstream's `Vary` names last seen per key, so a lookup knows which request headers to add. */
  private readonly vary = new Map<string, readonly string[]>();

  constructor(
    private readonly config: LastGoodConfig,
    private readonly now: () => number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * Keeps a 2xx answer unless it is too big or a careful shared cache would not (`whyNotKept`).
   * Set-Cookie is not kept: replaying a session cookie minutes later could undo a logout.
   */
  keep(key: string, request: ClientRequest, response: ProxyResponseMessage): void {
    if (response.status < 200 || response.status > 299 || response.body.length > this.config.maxBodyBytes) return;
    if (whyNotKept(response, verifiedIdentity(request) !== undefined, this.config) !== undefined) return;
    const varyNames = varyOf(response);
    this.vary.set(key, varyNames);
    const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => name !== 'set-cookie'));
    const full = withVary(key, varyNames, request);
    this.entries.delete(full);
    this.entries.set(full, { response: { ...response, headers }, keptAtMs: this.now() });
    // Map keeps insertion order: the first key is the least recently used.
    while (this.entries.size > this.config.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    while (this.vary.size > this.config.maxEntries) this.vary.delete(this.vary.keys().next().value as string);
  }

  /** The kept answer for this request while younger than `ttlSeconds`, with its age in whole seconds; an expired one is dropped. */
  fresh(key: string, request: ClientRequest): { response: ProxyResponseMessage; ageSeconds: number } | undefined {
    const full = withVary(key, this.vary.get(key) ?? [], request);
    const kept = this.entries.get(full);
    if (kept === undefined) return undefined;
    const ageMs = this.now() - kept.keptAtMs;
    if (ageMs > this.config.ttlSeconds * 1000) {
      this.entries.delete(full);
      return undefined;
    }
    this.entries.delete(full);
    this.entries.set(full, kept);
    return { response: kept.response, ageSeconds: Math.max(0, Math.floor(ageMs / 1000)) };
  }
}

/** The key with the request's values of the upstream's `Vary` headers (hashed). */
function withVary(key: string, names: readonly string[], request: ClientRequest): string {
  if (names.length === 0) return key;
  const hash = createHash('sha256');
  for (const name of names) hash.update(`\n${name}:${(request.headers[name] ?? []).join('\n')}`);
  return `${key} vary:${hash.digest('base64url')}`;
}

/** The configured fallback as a response message. */
export function fallbackResponse(fallback: FallbackResponse): ProxyResponseMessage {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(fallback.headers)) headers[name.toLowerCase()] = [value];
  return { status: fallback.status, headers, body: Buffer.from(fallback.body, 'utf8') };
}

/** Marks an answer as degraded (`<degradedHeader>: fallback|last-good`), with `Age` for a kept copy. */
export function markDegraded(
  response: ProxyResponseMessage,
  header: string,
  reason: DegradedReason,
  ageSeconds?: number,
): ProxyResponseMessage {
  const headers = { ...response.headers, [header.toLowerCase()]: [reason] };
  if (ageSeconds !== undefined) headers.age = [String(ageSeconds)];
  return { ...response, headers };
}
