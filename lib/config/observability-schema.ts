// The `observability` section of a gateway: its dashboard and the alarms of the article's observability table.
import { z } from 'zod';
import { ARN_PREFIX, orToken } from './tokens';

/** A count per minute that raises an alarm: a whole number of at least 1. */
const perMinute = (fallback: number) => z.number().int().positive().default(fallback);

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
      /**
       * The article's "spike above 3x baseline", as CloudWatch anomaly detection: the request rate above the
       * upper edge of its learned band, this many standard deviations wide (not a ratio to the baseline).
       */
      requestRateBand: z.number().positive().max(10, 'bands wider than 10 standard deviations never fire').default(3),
      /** Circuit-breaker opens of one target in a minute ("circuit opens for any service"). */
      breakerOpens: perMinute(1),
      /** Requests a proxy refused in a minute because every eligible target's circuit was open. */
      circuitOpenRejectedPerMinute: perMinute(1),
      /** Fallbacks and last-good copies a proxy (or optional parts an aggregator) served in a minute. */
      degradedPerMinute: perMinute(10),
      /** Retries a proxy sent in a minute (or an aggregator sent to one part). */
      retriesPerMinute: perMinute(50),
      /** Retries a proxy's (or an aggregator part's) retry budget refused in a minute. */
      retryBudgetExhaustedPerMinute: perMinute(1),
      /** Requests a route's rate limit refused per minute, for 5 minutes in a row (like throttledPerMinute). */
      rateLimitDeniedPerMinute: perMinute(10),
      /** Rate-limit decisions taken without the counter table in a minute. */
      rateLimitStoreUnavailablePerMinute: perMinute(1),
      /** Requests the authorizer refused in a minute because the issuer's keys could not be fetched. */
      jwksFailuresPerMinute: perMinute(1),
      /** Requests one WAF rule blocked in a minute. */
      wafBlockedPerMinute: perMinute(100),
      /** CloudFront's 5xx error rate (percent of viewer requests), 3 minutes out of 5. */
      cloudFront5xxRatePercent: z.number().positive().max(100, 'a rate is at most 100 (percent)').default(1),
      /** Throttled invocations of one Gatehouse function in a minute. */
      lambdaThrottlesPerMinute: perMinute(1),
      /** Concurrent executions of one function, as a percentage of its reserved concurrency (or of the 1,000 regional default). */
      concurrencyPercent: z.number().int().positive().max(100, 'a share is at most 100 (percent)').default(80),
    })
    .prefault({}),
  /** Saved CloudWatch Logs Insights queries per gateway (a request by correlation id, top 4xx/5xx routes, slowest upstreams). */
  savedQueries: z.boolean().default(true),
  /** Send alarms to this SNS topic instead of the one the stack creates (in a CDK app, also a token such as `topic.topicArn`). */
  alarmTopicArn: orToken(
    z
      .string()
      .regex(
        /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/,
        'an SNS topic ARN looks like arn:aws:sns:us-east-1:123456789012:alerts',
      ),
    ARN_PREFIX,
  ).optional(),
});

export type ObservabilitySpec = z.output<typeof observabilitySchema>;
