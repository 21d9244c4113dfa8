// What the key-expiry function publishes and needs, named once for the handler and the construct; no side effects, so constructs can import it at synth.

/** Metric names, counts per run (0 included, so alarms see every run). */
export const METRIC = {
  disabled: 'ApiKeysDisabled',
  expiringSoon: 'ApiKeysExpiringSoon',
  disableFailed: 'ApiKeyDisableFailures',
} as const;

/** Environment variables the construct sets on the function. */
export const ENV = {
  /** Whole days ahead to report keys as expiring soon. @default DEFAULT_EXPIRY_WARNING_DAYS (14) */
  warningDays: 'GATEHOUSE_KEY_EXPIRY_WARNING_DAYS',
  /** Powertools' service name: the `service` dimension of the metrics. */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
} as const;

/** POWERTOOLS_SERVICE_NAME of the key-expiry function. */
export const KEY_EXPIRY_SERVICE_NAME = 'gatehouse-key-expiry';

/**
 * IAM actions of the function's role, on `arn:<partition>:apigateway:<region>::/apikeys` and
 * `arn:<partition>:apigateway:<region>::/apikeys/*`: GET lists keys with their tags, PATCH disables one.
 * (API Gateway's management API authorizes by HTTP verb on the resource path.)
 */
export const KEY_EXPIRY_IAM_ACTIONS = ['apigateway:GET', 'apigateway:PATCH'] as const;

/** Resource paths for KEY_EXPIRY_IAM_ACTIONS, to format with the partition (aws, aws-cn, aws-us-gov) and the region. */
export function keyExpiryIamResources(partition: string, region: string): string[] {
  return [`arn:${partition}:apigateway:${region}::/apikeys`, `arn:${partition}:apigateway:${region}::/apikeys/*`];
}

/** A daily run is enough for day-granular expiry dates; rotations' grace periods are honoured within a day. */
export const DEFAULT_KEY_EXPIRY_SCHEDULE = 'rate(1 day)';
