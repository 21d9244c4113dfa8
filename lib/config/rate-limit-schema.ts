// A route's `rateLimit`: exact request counts per window and client, beyond what usage plans can express (Kong's rate-limiting plugin).
import { z } from 'zod';
import { MAX_RATE_LIMIT } from '../../lambdas/contract/rate-limit-config';

const windowLimit = (window: string) =>
  z.number().int(`${window} is a whole number of requests`).min(1, `${window} must be at least 1 request`).max(MAX_RATE_LIMIT).optional();

export const rateLimitSchema = z
  .strictObject({
    second: windowLimit('second'),
    minute: windowLimit('minute'),
    hour: windowLimit('hour'),
    day: windowLimit('day'),
    /** Whose requests share a counter; anonymous requests fall back to the source IP. */
    by: z
      .string()
      .regex(
        /^(consumer|ip|apiKey|header:[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128})$/,
        'by is consumer, ip, apiKey or header:<Header-Name> (e.g. header:X-Tenant)',
      )
      .default('consumer'),
    /** When the counter table cannot be reached: let requests through (logged and counted) or refuse them with 503. */
    failOpen: z.boolean().default(true),
    /** Leave the RateLimit-* headers off allowed responses (429s always carry them and Retry-After). */
    hideHeaders: z.boolean().default(false),
  })
  .refine((r) => r.second !== undefined || r.minute !== undefined || r.hour !== undefined || r.day !== undefined, {
    message: 'set at least one window: second, minute, hour or day (e.g. { minute: 100, hour: 5000 })',
  });

export type RateLimitSpec = z.output<typeof rateLimitSchema>;

/** Windows in order of length, as the spec names them. */
export const WINDOW_SECONDS = { second: 1, minute: 60, hour: 3600, day: 86_400 } as const;
