// Throttles and exact rate limits, as stages, routes, aggregates and usage plans take them.
// Checked against lib/config/throttle-schema.ts and rate-limit-schema.ts by test/config/spec-types.check.ts.

/** API Gateway's token bucket: a steady rate and a burst above it. */
export interface ThrottleSpec {
  /** Steady-state requests per second. */
  readonly rate: number;
  /** Bucket size: requests allowed in a burst above the rate. */
  readonly burst: number;
}

/** Exact request counts per window and client, counted across Lambda instances (Kong's rate-limiting). Set at least one window. */
export interface RateLimitSpec {
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
