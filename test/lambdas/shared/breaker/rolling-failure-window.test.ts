// The rolling window: counts per bucket, buckets leaving the window as time moves, bounded work after idling.
import { describe, expect, it } from 'vitest';
import { RollingFailureWindow } from '../../../../lambdas/shared/breaker/rolling-failure-window';

/** 10 buckets of 1 s: a 10 s window. */
const BUCKET_MS = 1000;
const T0 = 1_700_000_000_000;

describe('GIVEN a window of 10 buckets of 1 s', () => {
  it('WHEN requests land in the same and later buckets within 10 s THEN all of them count', () => {
    const window = new RollingFailureWindow(BUCKET_MS, 10);
    window.record(T0, true);
    window.record(T0 + 500, false);
    window.record(T0 + 9_999, true);
    expect(window.countsAt(T0 + 9_999)).toEqual({ requests: 3, failures: 2 });
    expect([window.requests, window.failures]).toEqual([3, 2]);
  });

  it('WHEN time reaches the 11th bucket THEN the first bucket leaves the window, one bucket at a time', () => {
    const window = new RollingFailureWindow(BUCKET_MS, 10);
    window.record(T0, true); // bucket 0
    window.record(T0 + 1000, false); // bucket 1
    window.record(T0 + 1000, true);
    expect(window.countsAt(T0 + 9_999)).toEqual({ requests: 3, failures: 2 });
    expect(window.countsAt(T0 + 10_000)).toEqual({ requests: 2, failures: 1 });
    expect(window.countsAt(T0 + 11_000)).toEqual({ requests: 0, failures: 0 });
  });

  it('WHEN the window sat idle far longer than its length THEN it is empty and keeps counting from there', () => {
    const window = new RollingFailureWindow(BUCKET_MS, 10);
    for (let i = 0; i < 50; i += 1) window.record(T0 + i * 100, true);
    window.record(T0 + 86_400_000, false);
    expect(window.countsAt(T0 + 86_400_000)).toEqual({ requests: 1, failures: 0 });
  });

  it('WHEN the clock steps back THEN the request counts in the newest bucket and nothing is dropped', () => {
    const window = new RollingFailureWindow(BUCKET_MS, 10);
    window.record(T0 + 5000, false);
    window.record(T0, true);
    expect(window.countsAt(T0)).toEqual({ requests: 2, failures: 1 });
    // The late record sits in the newest bucket (5 s), so it leaves with it at 15 s.
    expect(window.countsAt(T0 + 14_999)).toEqual({ requests: 2, failures: 1 });
    expect(window.countsAt(T0 + 15_000)).toEqual({ requests: 0, failures: 0 });
  });

  it('WHEN reset THEN it is empty', () => {
    const window = new RollingFailureWindow(BUCKET_MS, 10);
    window.record(T0, true);
    window.reset();
    expect(window.countsAt(T0)).toEqual({ requests: 0, failures: 0 });
  });
});

describe('GIVEN impossible window dimensions', () => {
  it.each([
    [0, 10],
    [Number.NaN, 10],
    [1000, 0],
    [1000, 2.5],
  ])('WHEN built with bucketMs %s and buckets %s THEN a TypeError says what it needs', (bucketMs, buckets) => {
    expect(() => new RollingFailureWindow(bucketMs, buckets)).toThrow(/needs bucketMs > 0 and an integer buckets >= 1/);
  });
});
