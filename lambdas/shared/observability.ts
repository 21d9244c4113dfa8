// Powertools Logger and Metrics shared by every Gatehouse handler, created once per container.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../contract/metric-names';

export { METRICS_NAMESPACE };

/** `service` on every log line and metric; the construct sets POWERTOOLS_SERVICE_NAME per function. */
export const SERVICE_NAME = process.env.POWERTOOLS_SERVICE_NAME || 'gatehouse';

export const logger = new Logger({ serviceName: SERVICE_NAME });

// Metrics' own warnings (invalid dimension, ...) go through the structured logger, not a bare console.
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, logger });

/** Adds 1 to a count metric, flushed with the invocation's other metrics by `publishMetrics`. */
export function countMetric(name: string, on: Metrics = metrics): void {
  on.addMetric(name, MetricUnit.Count, 1);
}

/**
 * Emits one count with its own dimension (e.g. a deny reason) at once, so the dimension does not
 * attach to the invocation's other metrics.
 */
export function countMetricBy(name: string, dimension: string, value: string, on: Metrics = metrics, count = 1): void {
  const single = on.singleMetric();
  single.addDimension(dimension, value);
  single.addMetric(name, MetricUnit.Count, count);
}

/**
 * Flushes what this invocation recorded. Powertools warns "No application metrics to publish" when
 * asked to flush an empty buffer, so an invocation that recorded nothing prints nothing.
 */
export function publishMetrics(on: Metrics = metrics): void {
  if (on.hasStoredMetrics()) on.publishStoredMetrics();
}
