// The README's metrics table is the code's: generated from the metric-name modules, complete, and agreeing with what the alarms watch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRIC as AGGREGATOR } from '../../lambdas/contract/aggregator-metrics';
import { METRIC as AUTHORIZER } from '../../lambdas/contract/authorizer-metrics';
import { METRIC as KEY_EXPIRY } from '../../lambdas/contract/key-expiry';
import { METRIC as ORIGIN_VERIFY } from '../../lambdas/contract/origin-verify-metrics';
import { METRIC as PROXY } from '../../lambdas/contract/proxy-metrics';
import { STORE_UNAVAILABLE_METRIC, TRANSITION_METRIC } from '../../lambdas/shared/breaker/observability';
import { BREAKER_OPENED_METRIC, METRICS_NAMESPACE } from '../../lambdas/contract/metric-names';
import * as RATE_LIMIT from '../../lambdas/contract/rate-limit-metrics';
import { THROTTLED_METRIC } from '../../lib/constructs/gateway-observability';
import { METRIC_ROWS, renderMetricTable, withMetricTable } from '../../lib/plan/metric-table';
import { planSpec } from '../../lib/plan/plan';
import { validateConfig } from '../../lib/config/load';
import { observedSpec } from '../support/observed-spec';

const gatehouseRows = METRIC_ROWS.filter((r) => r.namespace === METRICS_NAMESPACE);

describe('the README metrics table', () => {
  it('is what the README shows (run npm run docs:metrics after changing a metric-name module)', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    expect(readme).toContain(renderMetricTable());
  });

  it('lists every metric a handler or the access-log filter publishes, once', () => {
    const published = [
      ...Object.values(PROXY),
      ...Object.values(AGGREGATOR),
      ...Object.values(AUTHORIZER),
      ...Object.values(ORIGIN_VERIFY),
      ...Object.values(KEY_EXPIRY),
      TRANSITION_METRIC,
      STORE_UNAVAILABLE_METRIC,
      BREAKER_OPENED_METRIC,
      ...Object.entries(RATE_LIMIT)
        .filter(([name]) => name.endsWith('_METRIC'))
        .map(([, value]) => value),
      THROTTLED_METRIC,
    ];
    expect(gatehouseRows.map((r) => r.metric).sort()).toEqual([...new Set(published)].sort());
  });

  it.each(['rest', 'http'] as const)(
    'names, for every Gatehouse metric a %s gateway alarms on, the dimensions the alarm filters on',
    (flavor) => {
      const alarms = planSpec(validateConfig(observedSpec(flavor)), { stackName: 'Shop' }).gateways[0]!.observability.alarmPlans;
      for (const alarm of alarms) {
        if (alarm.metric.kind !== 'gatehouse') continue;
        const row = gatehouseRows.find((r) => r.metric === (alarm.metric as { metric: string }).metric);
        expect(row, alarm.name).toBeDefined();
        expect([...row!.dimensions].sort(), alarm.name).toEqual(Object.keys(alarm.metric.dimensions).sort());
        expect(row!.alarm, alarm.name).toBeDefined();
      }
    },
  );

  it('refuses a README without its markers', () => {
    expect(() => withMetricTable('# no table here')).toThrow(/no metrics table markers/);
  });
});
