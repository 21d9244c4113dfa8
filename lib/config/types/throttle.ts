// Throttles and exact rate limits, as stages, routes, aggregates and usage plans take them.
// Checked against lib/config/throttle-schema.ts and rate-limit-schema.ts by test/config/spec-types.check.ts.

/** API Gateway's token bucket: a steady rate and a burst above it. */
export interface ThrottleSpec {
  /** Steady-state requests per second. */
  readonly rate: number;
  /** Bucket size: requests allowed in a burst above the rate. */
  readonly burst: number;
}

/** Exact request counts per window and client; defined once, in the contract the proxy reads it by. */
export type { RateLimitInput as RateLimitSpec } from '../../../lambdas/contract/rate-limit-config';
