// Breaker hooks: a log line per transition, a count per local transition by `to` and `service`, store outages logged once per period.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  breakerObservability,
  STORE_UNAVAILABLE_LOG_INTERVAL_MS,
  STORE_UNAVAILABLE_METRIC,
  TRANSITION_METRIC,
} from '../../../../lambdas/shared/breaker/observability';
import type { BreakerTransitionEvent } from '../../../../lambdas/shared/breaker/shared-circuit-breaker';
import { METRICS_NAMESPACE, publishMetrics } from '../../../../lambdas/shared/observability';
import { captureOutput, metricCount, type CapturedOutput } from '../../authorizer/support/fixtures';

const T0 = 1_700_000_000_000;
const KEY = 'order-service https://orders-v1.internal.example.com';

let output: CapturedOutput;
beforeEach(() => (output = captureOutput()));
afterEach(() => output.restore());

/** Logger and metrics as the proxy function of `order-service` would have them (POWERTOOLS_SERVICE_NAME=order-service). */
function hooksAt(clock: { t: number }) {
  const logger = new Logger({ serviceName: 'order-service' });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'order-service', logger });
  return { metrics, hooks: breakerObservability({ logger, metrics, now: () => clock.t }) };
}

function transition(overrides: Partial<BreakerTransitionEvent>): BreakerTransitionEvent {
  return {
    key: KEY,
    from: 'closed',
    to: 'open',
    reason: 'failure-rate',
    atMs: T0,
    epoch: 1,
    openUntilMs: T0 + 30_000,
    requests: 20,
    failures: 12,
    origin: 'local',
    shared: true,
    ...overrides,
  };
}

const logLines = () => output.records().filter((record) => 'message' in record);

describe('GIVEN the breaker hooks', () => {
  it('WHEN a circuit opens here THEN one warn line tells why, and one count carries the dimensions to and service', () => {
    const { hooks } = hooksAt({ t: T0 });
    hooks.onTransition?.(transition({}));
    expect(logLines()).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'circuit breaker opened',
        service: 'order-service',
        breaker: KEY,
        from: 'closed',
        to: 'open',
        reason: 'failure-rate',
        origin: 'local',
        shared: true,
        openUntil: new Date(T0 + 30_000).toISOString(),
        requests: 20,
        failures: 12,
      }),
    ]);
    const emf = output.records().find((record) => TRANSITION_METRIC in record);
    expect(emf).toMatchObject({ [TRANSITION_METRIC]: 1, to: 'open', service: 'order-service' });
    const declared = (emf as { _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] } })._aws.CloudWatchMetrics[0]?.Dimensions;
    expect(declared?.flat().sort()).toEqual(['service', 'to']);
  });

  it('WHEN a circuit closes here THEN the line is info and the count has to=closed', () => {
    const { hooks } = hooksAt({ t: T0 });
    hooks.onTransition?.(
      transition({ from: 'half-open', to: 'closed', reason: 'probe-succeeded', openUntilMs: 0, requests: 0, failures: 0 }),
    );
    expect(logLines()).toEqual([expect.objectContaining({ level: 'INFO', message: 'circuit breaker closed', reason: 'probe-succeeded' })]);
    expect(logLines()[0]).not.toHaveProperty('openUntil');
    expect(logLines()[0]).not.toHaveProperty('requests');
    expect(metricCount(output, TRANSITION_METRIC, { to: 'closed' })).toBe(1);
  });

  it('WHEN a transition was adopted from another instance THEN it is logged but not counted again', () => {
    const { hooks } = hooksAt({ t: T0 });
    hooks.onTransition?.(transition({ reason: 'adopted', origin: 'adopted' }));
    expect(logLines()).toEqual([expect.objectContaining({ origin: 'adopted', reason: 'adopted' })]);
    expect(metricCount(output, TRANSITION_METRIC)).toBe(0);
  });

  it('WHEN the store keeps failing THEN one warn line per period says local state is used, with what was left out', () => {
    const clock = { t: T0 };
    const { hooks, metrics } = hooksAt(clock);
    const failure = {
      key: KEY,
      operation: 'read' as const,
      atMs: T0,
      error: Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    };
    for (let i = 0; i < 30; i += 1) {
      clock.t = T0 + i * 1000; // one failed read per second for 30 s
      hooks.onStoreUnavailable?.(failure);
    }
    clock.t = T0 + STORE_UNAVAILABLE_LOG_INTERVAL_MS;
    hooks.onStoreUnavailable?.({ ...failure, operation: 'write' });
    publishMetrics(metrics);
    expect(logLines()).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'circuit breaker state store unavailable: using local state',
        breaker: KEY,
        operation: 'read',
        error: { name: 'ThrottlingException', message: 'Rate exceeded' },
        failuresNotLogged: 0,
      }),
      expect.objectContaining({ operation: 'write', failuresNotLogged: 29 }),
    ]);
    expect(metricCount(output, STORE_UNAVAILABLE_METRIC)).toBe(2);
  });

  it('WHEN the store answers again after a logged outage THEN one info line says so, and only once', () => {
    const clock = { t: T0 };
    const { hooks } = hooksAt(clock);
    hooks.onStoreAvailable?.({ key: KEY, operation: 'read', atMs: T0 }); // no outage logged: nothing to say
    hooks.onStoreUnavailable?.({ key: KEY, operation: 'read', atMs: T0, error: 'socket hang up' });
    hooks.onStoreAvailable?.({ key: KEY, operation: 'read', atMs: T0 });
    hooks.onStoreAvailable?.({ key: KEY, operation: 'write', atMs: T0 });
    expect(logLines().map(({ message }) => message)).toEqual([
      'circuit breaker state store unavailable: using local state',
      'circuit breaker state store reachable again: sharing state',
    ]);
    expect(logLines()[0]).toMatchObject({ error: { name: 'string', message: 'socket hang up' } });
  });
});
