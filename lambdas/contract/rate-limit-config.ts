// A route's `rateLimit` block, validated into the settings the limiter runs on.
export { RATE_LIMIT_TABLE, RATE_LIMIT_TABLE_ENV } from './rate-limit-table';

/** The windows a route can limit, by their `gatehouse.yaml` name. */
export const RATE_LIMIT_WINDOWS = Object.freeze({ second: 1, minute: 60, hour: 3600, day: 86400 } as const);
export type RateLimitWindowName = keyof typeof RATE_LIMIT_WINDOWS;
export type WindowSeconds = (typeof RATE_LIMIT_WINDOWS)[RateLimitWindowName];

/** Far above any real limit; keeps counts exact in a double and in DynamoDB's numbers. */
export const MAX_RATE_LIMIT = 1_000_000_000;
/** The scope is part of every counter key, and DynamoDB allows 2048 bytes for a partition key. */
export const MAX_SCOPE_LENGTH = 512;
const MAX_HEADER_NAME_LENGTH = 128;
/** RFC 9110 token characters: what an HTTP header name may contain. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export type RateLimitBy = { readonly kind: 'consumer' | 'ip' | 'apiKey' } | { readonly kind: 'header'; readonly header: string };

export interface RateLimitWindow {
  readonly seconds: WindowSeconds;
  /** Requests admitted per window. */
  readonly limit: number;
}

export interface RateLimitConfig {
  /** Shortest first; a request is refused when any of them is over. */
  readonly windows: readonly RateLimitWindow[];
  /** Whose requests share a counter. Anonymous requests fall back to the source IP. */
  readonly by: RateLimitBy;
  /** When the counter table cannot be reached: let requests through (true) or refuse them with 503 (false). */
  readonly failOpen: boolean;
  /** Leave the `RateLimit-*` headers off responses. */
  readonly hideHeaders: boolean;
  /** Which limit this is, e.g. `gateway#routeId`: part of every counter key and the metrics' dimension. */
  readonly scope: string;
  /**
   * Behind CloudFront: the header holding the viewer's IP address (see shared/viewer-ip.ts), counted instead of
   * the source IP, which is CloudFront's. @default - the source IP API Gateway reports
   */
  readonly clientIpHeader?: string;
}

/**
 * Exact request counts per window and client, counted across Lambda instances (Kong's rate-limiting): the `rateLimit`
 * block as written in `gatehouse.yaml` (the config's `RateLimitSpec` is this type). Set at least one window.
 */
export interface RateLimitInput {
  /** Requests per second. @default - no per-second window */
  readonly second?: number;
  /** Requests per minute. @default - no per-minute window */
  readonly minute?: number;
  /** Requests per hour. @default - no per-hour window */
  readonly hour?: number;
  /** Requests per day. @default - no per-day window */
  readonly day?: number;
  /** Whose requests share a counter: consumer, ip, apiKey or header:<Name>. @default consumer */
  readonly by?: string;
  /** When the counter table cannot be reached, let requests through (true) or answer 503. @default true */
  readonly failOpen?: boolean;
  /** Leave the RateLimit-* headers off allowed responses. @default false */
  readonly hideHeaders?: boolean;
}

const INPUT_FIELDS: ReadonlySet<string> = new Set(['second', 'minute', 'hour', 'day', 'by', 'failOpen', 'hideHeaders']);

/** Validates a route's `rateLimit` block; every mistake is a TypeError naming the field and showing the bad value. */
export function resolveRateLimitConfig(input: RateLimitInput, scope: string): RateLimitConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError(`rateLimit must be an object, got ${show(input)}`);
  }
  for (const field of Object.keys(input)) {
    if (!INPUT_FIELDS.has(field))
      throw new TypeError(`rateLimit.${field} is not a rate-limit setting; use ${[...INPUT_FIELDS].join(', ')}`);
  }
  const windows: RateLimitWindow[] = [];
  for (const [name, seconds] of Object.entries(RATE_LIMIT_WINDOWS) as [RateLimitWindowName, WindowSeconds][]) {
    const limit: unknown = input[name];
    if (limit === undefined) continue;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_RATE_LIMIT) {
      throw new TypeError(`rateLimit.${name} must be an integer from 1 to ${MAX_RATE_LIMIT}, got ${show(limit)}`);
    }
    windows.push({ seconds, limit });
  }
  if (windows.length === 0) throw new TypeError('rateLimit must set at least one of second, minute, hour, day');
  return {
    windows,
    by: parseBy(input.by),
    failOpen: readBoolean('failOpen', input.failOpen, true),
    hideHeaders: readBoolean('hideHeaders', input.hideHeaders, false),
    scope: checkScope(scope),
  };
}

function parseBy(by: unknown): RateLimitBy {
  if (by === undefined || by === 'consumer') return { kind: 'consumer' };
  if (by === 'ip' || by === 'apiKey') return { kind: by };
  if (typeof by === 'string' && by.startsWith('header:')) {
    const header = by.slice('header:'.length).trim();
    if (header.length === 0 || header.length > MAX_HEADER_NAME_LENGTH || !HEADER_NAME.test(header)) {
      throw new TypeError(
        `rateLimit.by must name a valid HTTP header after "header:" (up to ${MAX_HEADER_NAME_LENGTH} token characters), got ${show(by)}`,
      );
    }
    // Header names are case-insensitive; the lower-case form is the one compared.
    return { kind: 'header', header: header.toLowerCase() };
  }
  throw new TypeError(`rateLimit.by must be consumer, ip, apiKey or header:<Name>, got ${show(by)}`);
}

function readBoolean(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`rateLimit.${field} must be true or false, got ${show(value)}`);
  return value;
}

function checkScope(scope: unknown): string {
  if (typeof scope !== 'string' || scope.length === 0 || scope.length > MAX_SCOPE_LENGTH || CONTROL_CHARACTERS.test(scope)) {
    throw new TypeError(`rate limit scope must be 1 to ${MAX_SCOPE_LENGTH} characters without control characters, got ${show(scope)}`);
  }
  return scope;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
