// What a user writes under `gateways.<name>.observability`: the gateway's dashboard and alarms.
// Checked against lib/spec/observability-schema.ts by test/spec/spec-types.check.ts.

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
  /** Width of the usual request-rate band, in standard deviations (anomaly detection). @default 3 */
  readonly requestRateBand?: number;
}

/** A gateway's CloudWatch dashboard and alarms. */
export interface ObservabilitySpec {
  /** A CloudWatch dashboard per gateway. @default true */
  readonly dashboard?: boolean;
  /** @default - on, with the thresholds above */
  readonly alarms?: AlarmsSpec;
  /** Send alarms to this SNS topic instead of one the stack creates; a token (your topic's `topicArn`) works. @default - a topic of the stack */
  readonly alarmTopicArn?: string;
}
