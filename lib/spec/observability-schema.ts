// The `observability` section of a gateway: its dashboard and the alarms of the article's observability table.
import { z } from 'zod';
import { ARN_PREFIX, orToken } from './tokens';

export const observabilitySchema = z.strictObject({
  /** A CloudWatch dashboard per gateway. */
  dashboard: z.boolean().default(true),
  alarms: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** 5xx responses as a share of requests, per minute, 3 minutes out of 5. */
      serverErrorRatePercent: z.number().positive().max(100, 'a rate is at most 100 (percent)').default(1),
      /** p99 latency, per minute, 3 minutes out of 5. */
      p99LatencyMs: z.number().int().positive().default(500),
      /** 429 responses per minute, sustained for 5 minutes (counted from the access log). */
      throttledPerMinute: z.number().int().positive().default(10),
      /** Width of the usual request-rate band, in standard deviations (anomaly detection). */
      requestRateBand: z.number().positive().max(10, 'bands wider than 10 standard deviations never fire').default(3),
    })
    .prefault({}),
  /** Send alarms to this SNS topic instead of the one the stack creates. */
  alarmTopicArn: orToken(
    z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/, 'an SNS topic ARN looks like arn:aws:sns:us-east-1:123456789012:alerts'),
    ARN_PREFIX,
  ).optional(),
});

export type ObservabilitySpec = z.output<typeof observabilitySchema>;
