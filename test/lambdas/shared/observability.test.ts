// Shared Powertools setup: Gatehouse namespace, service name, and no output for invocations that record nothing.
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countMetric, countMetricBy, logger, METRICS_NAMESPACE, publishMetrics, SERVICE_NAME } from '../../../lambdas/shared/observability';
import { DENY_REASON_DIMENSION, METRIC } from '../../../lambdas/contract/authorizer-metrics';
import { SERVICE_DIMENSION } from '../../../lambdas/contract/metric-names';
import { captureOutput, metricCount, type CapturedOutput } from '../authorizer/support/fixtures';

let output: CapturedOutput;
beforeEach(() => (output = captureOutput()));
afterEach(() => output.restore());

describe('GIVEN the shared metrics', () => {
  it('WHEN an invocation recorded nothing THEN publishing prints nothing, not even a warning', () => {
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, logger });
    publishMetrics(metrics);
    expect(output.text()).toBe('');
  });

  it('WHEN a count was recorded THEN one EMF line in the Gatehouse namespace with the service dimension is printed', () => {
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, logger });
    countMetric('Things', metrics);
    countMetric('Things', metrics);
    publishMetrics(metrics);
    const [emf, ...rest] = output.records() as [{ service: string; _aws: { CloudWatchMetrics: { Namespace: string }[] } }];
    expect(rest).toEqual([]);
    expect(metricCount(output, 'Things')).toBe(2);
    expect(emf.service).toBe('gatehouse');
    expect(emf._aws.CloudWatchMetrics[0]?.Namespace).toBe('Gatehouse');
  });

  it('WHEN a count has its own dimension THEN it is printed at once and the dimension stays off later metrics', () => {
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, logger });
    countMetricBy('Denied', 'reason', 'token_expired', metrics);
    expect(output.records()).toEqual([expect.objectContaining({ Denied: 1, reason: 'token_expired' })]);
    countMetric('Allowed', metrics);
    publishMetrics(metrics);
    expect(output.records()[1]).not.toHaveProperty('reason');
  });
});

describe('GIVEN the dimensions dashboards chart', () => {
  it('WHEN a deny is counted with its reason THEN the EMF dimension set is exactly [service, reason], as the dashboard SEARCH expects', () => {
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'gatehouse-authorizer-public', logger });
    countMetricBy(METRIC.denied, DENY_REASON_DIMENSION, 'token_expired', metrics);
    const [emf] = output.records() as [
      { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } },
    ];
    const [directive] = emf._aws.CloudWatchMetrics;
    expect(directive!.Namespace).toBe(METRICS_NAMESPACE);
    expect(directive!.Metrics.map((m) => m.Name)).toEqual([METRIC.denied]);
    expect(directive!.Dimensions.map((d) => [...d].sort())).toEqual([[DENY_REASON_DIMENSION, SERVICE_DIMENSION].sort()]);
  });
});

describe('GIVEN the shared logger', () => {
  it('WHEN it logs THEN the line is JSON with the service name', () => {
    logger.info('hello', { requestId: 'r-1' });
    expect(output.records()).toEqual([
      expect.objectContaining({ level: 'INFO', message: 'hello', service: SERVICE_NAME, requestId: 'r-1' }),
    ]);
  });
});
