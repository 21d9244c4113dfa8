// Properties of the pure breaker over random configs and request histories (fast-check), against a plain model of the window.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitTransition, type Permit } from '../../../../lambdas/shared/breaker/circuit-breaker';
import { WINDOW_BUCKETS, type CircuitBreakerConfig } from '../../../../lambdas/contract/circuit-breaker-config';

const T0 = 1_700_000_000_000;
/** Runs per property: enough to find the edges, few enough for a loaded 2-core machine. */
const RUNS = 150;

const configArb: fc.Arbitrary<CircuitBreakerConfig> = fc.record({
  failureRate: fc.integer({ min: 1, max: 100 }),
  minimumRequests: fc.integer({ min: 1, max: 30 }),
  windowSeconds: fc.integer({ min: 1, max: 60 }),
  openSeconds: fc.integer({ min: 1, max: 60 }),
  halfOpenProbes: fc.integer({ min: 1, max: 4 }),
});

/**
 * One request: how long after the previous one it comes (mostly bursts, sometimes a long pause) and
 * whether it fails (60 %, so most histories open, probe and close again).
 */
const stepArb = fc.record({
  afterMs: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max: 400 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 70_000 }) },
  ),
  failed: fc.integer({ min: 0, max: 9 }).map((n) => n < 6),
});
/** Long histories: fast-check's default sizes are too short to leave the closed state. */
const historyArb = fc.array(stepArb, { minLength: 20, maxLength: 300, size: 'max' });

function run(config: CircuitBreakerConfig) {
  const clock = { t: T0 };
  const transitions: CircuitTransition[] = [];
  const breaker = new CircuitBreaker(config, { now: () => clock.t, onTransition: (transition) => transitions.push(transition) });
  return { clock, transitions, breaker };
}

describe('GIVEN any config and any history of answered requests', () => {
  it('THEN it never opens on rate with fewer than minimumRequests in the window, and the counts match a model of the window', () => {
    fc.assert(
      fc.property(configArb, historyArb, (config, steps) => {
        const { clock, transitions, breaker } = run(config);
        const bucketMs = (config.windowSeconds * 1000) / WINDOW_BUCKETS;
        let sinceClosed: { at: number; failed: boolean }[] = [];
        for (const step of steps) {
          clock.t += step.afterMs;
          const permit = breaker.tryAcquire();
          if (permit === undefined) continue;
          const wasClosed = breaker.state === 'closed';
          const seen = transitions.length;
          if (wasClosed) sinceClosed.push({ at: clock.t, failed: step.failed });
          if (step.failed) breaker.onFailure(permit);
          else breaker.onSuccess(permit);
          for (const transition of transitions.slice(seen)) {
            if (transition.to === 'closed') sinceClosed = [];
            if (transition.reason !== 'failure-rate') continue;
            const head = Math.floor(clock.t / bucketMs);
            const live = sinceClosed.filter((request) => Math.floor(request.at / bucketMs) > head - WINDOW_BUCKETS);
            const failures = live.filter((request) => request.failed).length;
            expect(transition.requests).toBe(live.length);
            expect(transition.failures).toBe(failures);
            expect(transition.requests).toBeGreaterThanOrEqual(config.minimumRequests);
            expect(failures * 100).toBeGreaterThanOrEqual(config.failureRate * live.length);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('THEN it stays closed while the window holds fewer than minimumRequests, whatever fails', () => {
    fc.assert(
      fc.property(configArb, fc.integer({ min: 0, max: 29 }), (config, count) => {
        fc.pre(count < config.minimumRequests);
        const { breaker } = run(config);
        for (let i = 0; i < count; i += 1) breaker.onFailure(breaker.tryAcquire() as Permit);
        expect(breaker.state).toBe('closed');
      }),
      { numRuns: RUNS },
    );
  });

  it('THEN once open, nothing is admitted before openSeconds have passed since it opened, and the first request after is', () => {
    // Some steps jump to a millisecond next to the end of the open period, where an off-by-one would show.
    const nearEndArb = fc.record({ nearOpenEnd: fc.integer({ min: -2, max: 1 }), failed: fc.boolean() });
    const withEdgesArb = fc.array(fc.oneof({ weight: 3, arbitrary: stepArb }, { weight: 1, arbitrary: nearEndArb }), {
      minLength: 20,
      maxLength: 300,
      size: 'max',
    });
    fc.assert(
      fc.property(configArb, withEdgesArb, (config, steps) => {
        const { clock, transitions, breaker } = run(config);
        for (const step of steps) {
          const lastOpen = transitions.filter((transition) => transition.to === 'open').at(-1);
          const isOpen = lastOpen !== undefined && breaker.epoch === lastOpen.epoch;
          if ('afterMs' in step) clock.t += step.afterMs;
          else if (isOpen) clock.t = Math.max(clock.t, lastOpen.openUntilMs + step.nearOpenEnd);
          const permit = breaker.tryAcquire();
          if (isOpen) {
            expect(lastOpen.openUntilMs).toBe(lastOpen.atMs + config.openSeconds * 1000);
            expect(permit === undefined).toBe(clock.t < lastOpen.openUntilMs);
          }
          if (permit === undefined) continue;
          if (step.failed) breaker.onFailure(permit);
          else breaker.onSuccess(permit);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('THEN half-open never has more than halfOpenProbes probes out, even when answers come late and in any order', () => {
    fc.assert(
      fc.property(
        configArb,
        fc.array(
          fc.record({
            afterMs: fc.integer({ min: 0, max: 3000 }),
            action: fc.constantFrom('acquire', 'acquire', 'succeed', 'succeed', 'fail', 'release'),
          }),
          { minLength: 20, maxLength: 200, size: 'max' },
        ),
        (config, steps) => {
          const { clock, breaker } = run(config);
          breaker.adopt('open', T0);
          const outstanding: Permit[] = [];
          for (const step of steps) {
            clock.t += step.afterMs;
            if (step.action === 'acquire') {
              const permit = breaker.tryAcquire();
              if (permit) outstanding.push(permit);
            } else {
              const permit = outstanding.shift();
              if (!permit) continue;
              if (step.action === 'succeed') breaker.onSuccess(permit);
              else if (step.action === 'fail') breaker.onFailure(permit);
              else breaker.release(permit);
            }
            const snapshot = breaker.snapshot();
            if (snapshot.state === 'half-open') {
              expect(snapshot.probesAdmitted).toBeLessThanOrEqual(config.halfOpenProbes);
              expect(snapshot.probeSuccesses).toBeLessThan(config.halfOpenProbes);
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('THEN every transition changes the state, follows the allowed edges, and raises the epoch by one', () => {
    const allowed = new Set(['closed>open', 'open>half-open', 'half-open>closed', 'half-open>open']);
    fc.assert(
      fc.property(configArb, historyArb, (config, steps) => {
        const { clock, transitions, breaker } = run(config);
        for (const step of steps) {
          clock.t += step.afterMs;
          const permit = breaker.tryAcquire();
          if (permit === undefined) continue;
          if (step.failed) breaker.onFailure(permit);
          else breaker.onSuccess(permit);
        }
        transitions.forEach((transition, index) => {
          expect(allowed.has(`${transition.from}>${transition.to}`)).toBe(true);
          expect(transition.epoch).toBe(index + 1);
          if (index > 0) expect(transition.from).toBe(transitions[index - 1]?.to);
        });
      }),
      { numRuns: RUNS },
    );
  });
});
