// Degraded answers when the upstream cannot give one: the last good copy of a GET, or the configured fallback.
import { createHash } from 'node:crypto';
import type { FallbackResponse, LastGoodConfig } from './config';
import type { ClientRequest } from './event';
import type { ProxyResponseMessage } from './transform';

export type DegradedReason = 'fallback' | 'last-good';

/** Request headers that say who is asking: a kept copy is only served to the same caller. */
const CALLER_HEADERS = ['authorization', 'cookie', 'x-api-key'] as const;

/**
 * The key of a request's last good copy, or undefined when it must not have one (anything but GET).
 * It holds the caller's identity (authorizer `sub`, credential headers, hashed), so one user's copy is
 * never served to another, and the pinned target, so a v2 client never gets a v1 answer.
 */
export function lastGoodKey(request: ClientRequest, query: string, pinnedTarget: string | undefined): string | undefined {
  if (request.method !== 'GET') return undefined;
  const caller = createHash('sha256');
  caller.update(String(request.authorizer?.sub ?? ''));
  for (const name of CALLER_HEADERS) caller.update(`\n${name}:${(request.headers[name] ?? []).join('\n')}`);
  return `${pinnedTarget ?? ''} ${request.upstreamPath}?${query} ${caller.digest('base64url')}`;
}

interface KeptResponse {
  readonly response: ProxyResponseMessage;
  readonly keptAtMs: number;
}

/** Per instance, least recently used dropped first; bounded by `maxEntries` and, per entry, `maxBodyBytes`. */
export class LastGoodCache {
  private readonly entries = new Map<string, KeptResponse>();

  constructor(
    private readonly config: LastGoodConfig,
    private readonly now: () => number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * Keeps a 2xx answer unless it is too big or says `no-store`. Set-Cookie is not kept: replaying a
   * session cookie minutes later could undo a logout.
   */
  keep(key: string, response: ProxyResponseMessage): void {
    if (response.status < 200 || response.status > 299 || response.body.length > this.config.maxBodyBytes) return;
    if ((response.headers['cache-control'] ?? []).some((value) => /(^|[\s,])no-store([\s,]|$)/i.test(value))) return;
    const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => name !== 'set-cookie'));
    this.entries.delete(key);
    this.entries.set(key, { response: { ...response, headers }, keptAtMs: this.now() });
    // Map keeps insertion order: the first key is the least recently used.
    while (this.entries.size > this.config.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** The kept answer while younger than `ttlSeconds`, with its age in whole seconds; an expired one is dropped. */
  fresh(key: string): { response: ProxyResponseMessage; ageSeconds: number } | undefined {
    const kept = this.entries.get(key);
    if (kept === undefined) return undefined;
    const ageMs = this.now() - kept.keptAtMs;
    if (ageMs > this.config.ttlSeconds * 1000) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, kept);
    return { response: kept.response, ageSeconds: Math.max(0, Math.floor(ageMs / 1000)) };
  }
}

/** The configured fallback as a response message. */
export function fallbackResponse(fallback: FallbackResponse): ProxyResponseMessage {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(fallback.headers)) headers[name.toLowerCase()] = [value];
  return { status: fallback.status, headers, body: Buffer.from(fallback.body, 'utf8') };
}

/** Marks an answer as degraded (`<degradedHeader>: fallback|last-good`), with `Age` for a kept copy. */
export function markDegraded(response: ProxyResponseMessage, header: string, reason: DegradedReason, ageSeconds?: number): ProxyResponseMessage {
  const headers = { ...response.headers, [header.toLowerCase()]: [reason] };
  if (ageSeconds !== undefined) headers.age = [String(ageSeconds)];
  return { ...response, headers };
}
