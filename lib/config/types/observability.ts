// What a user writes under `gateways.<name>.observability`: the gateway's dashboard and alarms.
// Checked against lib/config/observability-schema.ts by test/config/spec-types.check.ts.

/** Alarm thresholds (each per minute, judged over 5 minutes). */
export interface AlarmsSpec {
  /** @default true */
  readonly enabled?: boolean;
  /** 5xx responses as a share of requests, in percent, 3 minutes out of 5. @default 1 */
  readonly serverErrorRatePercent?: number;
  /** p99 latency, 3 minutes out of 5. @default 500 */
  readonly p99LatencyMs?: number;
  /** 429 responses per minute, sustained for 5 minutes. @default 10 */
  readonly throttledPerMinute?: number;
  /** Width of the request-rate anomaly band, in standard deviations (not a ratio to a baseline). @default 3 */
  readonly requestRateBand?: number;
  /** Circuit-breaker opens of one target in a minute. @default 1 */
  readonly breakerOpens?: number;
  /** Requests refused in a minute because every eligible target's circuit was open. @default 1 */
  readonly circuitOpenRejectedPerMinute?: number;
  /** Fallbacks and last-good answers served in a minute. @default 10 */
  readonly degradedPerMinute?: number;
  /** Retries a proxy sent in a minute (or an aggregator sent to one part). @default 50 */
  readonly retriesPerMinute?: number;
  /** Retries a proxy's (or an aggregator part's) retry budget refused in a minute. @default 1 */
  readonly retryBudgetExhaustedPerMinute?: number;
  /** Requests a route's rate limit refused per minute, for 5 minutes. @default 10 */
  readonly rateLimitDeniedPerMinute?: number;
  /** Rate-limit decisions taken without the counter table in a minute. @default 1 */
  readonly rateLimitStoreUnavailablePerMinute?: number;
  /** Tokens refused in a minute because an issuer's JWKS could not be fetched. @default 1 */
  readonly jwksFailuresPerMinute?: number;
  /** Requests one WAF rule blocked in a minute. @default 100 */
  readonly wafBlockedPerMinute?: number;
  /** CloudFront's 5xx rate in percent, 3 minutes out of 5. @default 1 */
  readonly cloudFront5xxRatePercent?: number;
  /** Throttled invocations of one Gatehouse function in a minute. @default 1 */
  readonly lambdaThrottlesPerMinute?: number;
  /** Concurrent executions of one function, in percent of its reserved concurrency (or the 1,000 regional default). @default 80 */
  readonly concurrencyPercent?: number;
}

/** A gateway's CloudWatch dashboard and alarms. */
export interface ObservabilitySpec {
  /** A CloudWatch dashboard per gateway. @default true */
  readonly dashboard?: boolean;
  /** @default - on, with the thresholds above */
  readonly alarms?: AlarmsSpec;
  /** Saved Logs Insights queries (a request by correlation id, top 4xx/5xx routes, slowest upstreams). @default true */
  readonly savedQueries?: boolean;
  /** Send alarms to this SNS topic instead of one the stack creates; a token (your topic's `topicArn`) works. @default - a topic of the stack */
  readonly alarmTopicArn?: string;
}
