// The pure breaker: every transition, the failure rate over rolling buckets, minimum requests, half-open probe limits.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitTransition, type Permit } from '../../../../lambdas/shared/breaker/circuit-breaker';
import type { CircuitBreakerInput } from '../../../../lambdas/contract/circuit-breaker-config';

/** A bucket boundary of the default 30 s window (3 s buckets), so bucket arithmetic in the tests is exact. */
const T0 = 3000 * 600_000_000;

function breakerAt(config: CircuitBreakerInput = {}) {
  const clock = { t: T0 };
  const transitions: CircuitTransition[] = [];
  const breaker = new CircuitBreaker(config, { now: () => clock.t, onTransition: (transition) => transitions.push(transition) });
  const answer = (failed: boolean): Permit => {
    const permit = breaker.tryAcquire();
    if (permit === undefined) throw new Error(`refused in state ${breaker.state}`);
    if (failed) breaker.onFailure(permit);
    else breaker.onSuccess(permit);
    return permit;
  };
  const answerMany = (count: number, failed: boolean) => {
    for (let i = 0; i < count; i += 1) answer(failed);
  };
  return { breaker, clock, transitions, answer, answerMany };
}

/** Opens a breaker with the defaults (20 requests, 50 %) by 20 failures. */
function openBreaker(config: CircuitBreakerInput = {}) {
  const setup = breakerAt(config);
  setup.answerMany(20, true);
  expect(setup.breaker.state).toBe('open');
  return setup;
}

describe('GIVEN a closed breaker', () => {
  it('WHEN asked THEN it admits every request with a non-probe permit, and starts closed at epoch 0', () => {
    const { breaker } = breakerAt();
    expect(breaker.state).toBe('closed');
    expect(breaker.epoch).toBe(0);
    expect(breaker.tryAcquire()).toEqual({ epoch: 0, probe: false });
  });

  it('WHEN every request fails but fewer than minimumRequests were made THEN it stays closed', () => {
    const { breaker, answerMany, transitions } = breakerAt();
    answerMany(19, true);
    expect(breaker.state).toBe('closed');
    expect(transitions).toEqual([]);
  });

  it('WHEN failures reach failureRate at minimumRequests THEN it opens for openSeconds and reports the window', () => {
    const { breaker, answerMany, transitions } = breakerAt();
    answerMany(10, false);
    answerMany(10, true); // 10 of 20 = 50 %
    expect(breaker.state).toBe('open');
    expect(transitions).toEqual([
      { from: 'closed', to: 'open', reason: 'failure-rate', atMs: T0, epoch: 1, openUntilMs: T0 + 30_000, requests: 20, failures: 10 },
    ]);
  });

  it('WHEN failures stay just below failureRate THEN it stays closed however many requests', () => {
    const { breaker, answerMany } = breakerAt();
    for (let round = 0; round < 10; round += 1) {
      answerMany(11, false);
      answerMany(9, true); // 45 %
    }
    expect(breaker.state).toBe('closed');
  });

  it('WHEN a success arrives at a rate above the threshold THEN it does not open: only failures trigger', () => {
    const { breaker, answerMany, answer } = breakerAt({ minimumRequests: 5 });
    answerMany(4, true);
    answer(false); // 4 of 5 failed, but the last answer is a success
    expect(breaker.state).toBe('closed');
    answer(true);
    expect(breaker.state).toBe('open');
  });

  it('WHEN failures leave the window THEN they no longer count (buckets roll)', () => {
    const { breaker, clock, answerMany, answer } = breakerAt();
    answerMany(10, true); // bucket 0
    clock.t += 15_000; // bucket 5
    answerMany(9, false);
    clock.t += 15_000; // bucket 10: bucket 0 has left the 30 s window
    answer(true);
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', requests: 10, failures: 1 });
  });

  it('WHEN the rate is reached with part of the window rolled over THEN the count spans the live buckets only', () => {
    const { breaker, clock, answerMany, transitions } = breakerAt();
    answerMany(5, false); // bucket 0
    clock.t += 3000; // bucket 1
    answerMany(10, true);
    clock.t += 27_000; // bucket 10: bucket 0 (5 successes) left, bucket 1 (10 failures) stays
    answerMany(10, false);
    expect(breaker.state).toBe('closed');
    answerMany(1, true);
    // 21 live requests: 11 failures = 52 % ≥ 50 %
    expect(transitions.at(-1)).toMatchObject({ to: 'open', requests: 21, failures: 11 });
  });

  it('WHEN it takes a fractional failureRate THEN the comparison is exact', () => {
    const { breaker, answerMany } = breakerAt({ failureRate: 33.4, minimumRequests: 3 });
    answerMany(2, false);
    answerMany(1, true); // 33.33 % < 33.4 %
    expect(breaker.state).toBe('closed');
  });
});

describe('GIVEN an open breaker', () => {
  it('WHEN asked before openSeconds elapsed THEN it refuses without a permit, up to the last millisecond', () => {
    const { breaker, clock } = openBreaker();
    expect(breaker.tryAcquire()).toBeUndefined();
    clock.t = T0 + 29_999;
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(breaker.state).toBe('open');
  });

  it('WHEN openSeconds elapsed THEN the next request moves it to half-open as a probe', () => {
    const { breaker, clock, transitions } = openBreaker();
    clock.t = T0 + 30_000;
    expect(breaker.tryAcquire()).toEqual({ epoch: 2, probe: true });
    expect(breaker.state).toBe('half-open');
    expect(transitions.at(-1)).toEqual({
      from: 'open',
      to: 'half-open',
      reason: 'open-elapsed',
      atMs: T0 + 30_000,
      epoch: 2,
      openUntilMs: 0,
      requests: 0,
      failures: 0,
    });
  });

  it('WHEN a request admitted before it opened answers late THEN the answer changes nothing', () => {
    const { breaker, answerMany, transitions } = breakerAt();
    const early = breaker.tryAcquire() as Permit;
    answerMany(20, true);
    breaker.onFailure(early);
    breaker.onSuccess(early);
    breaker.release(early);
    expect(breaker.state).toBe('open');
    expect(transitions).toHaveLength(1);
  });

  it('WHEN refusing THEN a decision takes well under 0.1 ms', () => {
    const { breaker } = openBreaker();
    const calls = 20_000;
    const started = performance.now();
    for (let i = 0; i < calls; i += 1) breaker.tryAcquire();
    const perCallMs = (performance.now() - started) / calls;
    expect(perCallMs).toBeLessThan(0.02);
  });
});

describe('GIVEN a half-open breaker', () => {
  function halfOpen(config: CircuitBreakerInput = {}) {
    const setup = openBreaker(config);
    setup.clock.t = T0 + 30_000;
    const first = setup.breaker.tryAcquire() as Permit;
    expect(setup.breaker.state).toBe('half-open');
    return { ...setup, first };
  }

  it('WHEN halfOpenProbes are in flight THEN further requests are refused', () => {
    const { breaker, first } = halfOpen({ halfOpenProbes: 3 });
    const more = [breaker.tryAcquire(), breaker.tryAcquire()];
    expect(more).toEqual([first, first]);
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(breaker.snapshot()).toMatchObject({ probesAdmitted: 3, probeSuccesses: 0 });
  });

  it('WHEN every probe succeeds THEN it closes with an empty window, only after the last one', () => {
    const { breaker, first, transitions, clock } = halfOpen({ halfOpenProbes: 3 });
    breaker.tryAcquire();
    breaker.tryAcquire();
    breaker.onSuccess(first);
    breaker.onSuccess(first);
    expect(breaker.state).toBe('half-open');
    clock.t += 5;
    breaker.onSuccess(first);
    expect(breaker.state).toBe('closed');
    expect(transitions.at(-1)).toMatchObject({ from: 'half-open', to: 'closed', reason: 'probe-succeeded', atMs: T0 + 30_005, epoch: 3 });
    expect(breaker.snapshot()).toMatchObject({ requests: 0, failures: 0 });
    expect(breaker.tryAcquire()).toEqual({ epoch: 3, probe: false });
  });

  it('WHEN a probe succeeds THEN its slot stays used: no more probes than halfOpenProbes in one half-open period', () => {
    const { breaker, first } = halfOpen({ halfOpenProbes: 2 });
    breaker.onSuccess(first);
    expect(breaker.tryAcquire()).toBe(first);
    expect(breaker.tryAcquire()).toBeUndefined();
  });

  it('WHEN a probe fails THEN it reopens for a fresh openSeconds', () => {
    const { breaker, first, clock, transitions } = halfOpen({ halfOpenProbes: 3 });
    breaker.onSuccess(first);
    clock.t += 200;
    breaker.onFailure(first);
    expect(breaker.state).toBe('open');
    expect(transitions.at(-1)).toMatchObject({ from: 'half-open', to: 'open', reason: 'probe-failed', openUntilMs: T0 + 60_200 });
    clock.t = T0 + 60_199;
    expect(breaker.tryAcquire()).toBeUndefined();
  });

  it('WHEN a probe is released unanswered THEN its slot is free for another probe', () => {
    const { breaker, first } = halfOpen();
    expect(breaker.tryAcquire()).toBeUndefined();
    breaker.release(first);
    expect(breaker.tryAcquire()).toBe(first);
  });

  it('WHEN probes never answer THEN their slots are freed after openSeconds, so it cannot stay stuck', () => {
    const { breaker, clock } = halfOpen();
    clock.t += 29_999;
    expect(breaker.tryAcquire()).toBeUndefined();
    clock.t += 1;
    expect(breaker.tryAcquire()).toEqual({ epoch: 2, probe: true });
  });

  it('WHEN release is called in another state THEN nothing changes', () => {
    const { breaker } = breakerAt();
    const permit = breaker.tryAcquire() as Permit;
    breaker.release(permit);
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', requests: 0, probesAdmitted: 0 });
  });
});

describe('GIVEN a state decided elsewhere', () => {
  it('WHEN open is adopted THEN it refuses until the given time and reports reason adopted', () => {
    const { breaker, clock, transitions } = breakerAt();
    breaker.adopt('open', T0 + 5000);
    expect(transitions).toEqual([
      { from: 'closed', to: 'open', reason: 'adopted', atMs: T0, epoch: 1, openUntilMs: T0 + 5000, requests: 0, failures: 0 },
    ]);
    clock.t = T0 + 4999;
    expect(breaker.tryAcquire()).toBeUndefined();
    clock.t = T0 + 5000;
    expect(breaker.tryAcquire()?.probe).toBe(true);
  });

  it('WHEN the state it already has is adopted THEN there is no transition, and open takes the new end time', () => {
    const { breaker, clock, transitions } = openBreaker();
    breaker.adopt('open', T0 + 1000);
    expect(transitions).toHaveLength(1);
    clock.t = T0 + 1000;
    expect(breaker.tryAcquire()?.probe).toBe(true);
    breaker.adopt('half-open');
    expect(breaker.snapshot()).toMatchObject({ state: 'half-open', probesAdmitted: 1 });
  });

  it('WHEN open is adopted without an end time THEN it is open for openSeconds from now', () => {
    const { breaker } = breakerAt({ openSeconds: 10 });
    breaker.adopt('open');
    expect(breaker.snapshot().openUntilMs).toBe(T0 + 10_000);
  });

  it('WHEN closed is adopted THEN the window starts empty', () => {
    const { breaker, answerMany } = breakerAt();
    answerMany(5, true);
    breaker.adopt('half-open');
    breaker.adopt('closed');
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', requests: 0, failures: 0, epoch: 2 });
  });
});
