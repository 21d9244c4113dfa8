// Scheduled (EventBridge) function: disables API keys past their expiry or rotation grace period and reports those expiring soon.
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { ScheduledEvent } from 'aws-lambda';
import { createKeysClient, type ApiGatewaySender } from '../shared/api-keys/client';
import { DEFAULT_EXPIRY_WARNING_DAYS, enforceExpiry, type ExpiryReport } from '../shared/api-keys/enforce-expiry';
import { logger as sharedLogger, metrics as sharedMetrics, publishMetrics } from '../shared/observability';
import { ENV, METRIC } from '../contract/key-expiry';

export { METRIC } from '../contract/key-expiry';

export interface KeyExpiryDeps {
  /** @default an API Gateway client with the SDK's credentials and region chain */
  readonly client?: ApiGatewaySender;
  /** @default the shared Powertools logger */
  readonly logger?: Logger;
  /** @default the shared Powertools metrics */
  readonly metrics?: Metrics;
  /** @default from GATEHOUSE_KEY_EXPIRY_WARNING_DAYS, else DEFAULT_EXPIRY_WARNING_DAYS */
  readonly warningDays?: number;
  /** @default the current time */
  readonly now?: () => Date;
}

export type KeyExpiryHandler = (event: Pick<ScheduledEvent, 'time'> | Record<string, unknown>) => Promise<ExpiryReportSummary>;

/** What the invocation returns (visible in test invokes); ids and names only, never values. */
export interface ExpiryReportSummary {
  readonly disabled: number;
  readonly expiringSoon: number;
  readonly failed: number;
}

export function createKeyExpiryHandler(deps: KeyExpiryDeps = {}): KeyExpiryHandler {
  const log = deps.logger ?? sharedLogger;
  const metrics = deps.metrics ?? sharedMetrics;
  const warningDays = deps.warningDays ?? warningDaysFromEnv(process.env[ENV.warningDays]);
  let client = deps.client;
  return async () => {
    client ??= createKeysClient();
    let report: ExpiryReport;
    try {
      report = await enforceExpiry(client, { now: deps.now?.(), warningDays });
    } catch (error) {
      log.error('key expiry run failed', { error: error as Error });
      throw error;
    }
    for (const d of report.disabled)
      log.info('api key disabled', {
        keyId: d.key.id,
        keyName: d.key.name,
        gateway: d.key.gateway,
        consumer: d.key.consumer,
        reason: d.reason,
        deadline: d.deadline.toISOString(),
      });
    for (const k of report.expiringSoon)
      log.warn('api key expiring soon', {
        keyId: k.id,
        keyName: k.name,
        gateway: k.gateway,
        consumer: k.consumer,
        expires: k.expires?.toISOString(),
      });
    for (const f of report.failed) log.error('api key could not be disabled', { keyId: f.key.id, keyName: f.key.name, error: f.error });
    metrics.addMetric(METRIC.disabled, MetricUnit.Count, report.disabled.length);
    metrics.addMetric(METRIC.expiringSoon, MetricUnit.Count, report.expiringSoon.length);
    metrics.addMetric(METRIC.disableFailed, MetricUnit.Count, report.failed.length);
    publishMetrics(metrics);
    const summary = { disabled: report.disabled.length, expiringSoon: report.expiringSoon.length, failed: report.failed.length };
    // A failed invocation shows in the function's Errors metric; the next scheduled run tries again.
    if (report.failed.length) throw new Error(`${report.failed.length} API key(s) could not be disabled; see the log`);
    return summary;
  };
}

function warningDaysFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_EXPIRY_WARNING_DAYS;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 0) throw new TypeError(`${ENV.warningDays} must be a whole number of days, got "${value}"`);
  return days;
}

/** The Lambda entry point; clients, logger and metrics live for the container. */
export const handler = createKeyExpiryHandler();
