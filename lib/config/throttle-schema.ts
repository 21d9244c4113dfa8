// A throttle (steady rate and burst), as stages, routes, aggregates and usage plans take it.
import { z } from 'zod';

export const throttleSchema = z.strictObject({
  /** Steady-state requests per second. */
  rate: z.number().positive('rate must be > 0 requests per second'),
  /** Bucket size: requests allowed in a burst above the rate. */
  burst: z.number().int('burst is a whole number of requests').min(0, 'burst must be ≥ 0'),
});
