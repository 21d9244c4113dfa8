// The sliding-window estimate and the per-window decision, on an explicit clock.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideWindow,
  mostRestrictive,
  slidingEstimate,
  windowStartOf,
  type WindowDecision,
} from '../../../../lambdas/shared/rate-limit/sliding-window';

const MINUTE_MS = 60_000;
/** 2026-11-28T12:00:00Z, a minute (and hour) boundary. */
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);

const minute = (previous: number, current: number, elapsedMs: number, recorded = true) =>
  decideWindow({ limit: 100, windowSeconds: 60, nowMs: T0 + elapsedMs, previous, current, recorded });

describe('GIVEN the sliding estimate', () => {
  it('WHEN the window has just started THEN the previous window counts in full', () => {
    expect(slidingEstimate(100, 80, 5, 0)).toBe(85);
  });

  it('WHEN a quarter of the window has passed THEN three quarters of the previous window count (Cloudflare example)', () => {
    expect(slidingEstimate(100, 42, 18, 15 / 60)).toBeCloseTo(42 * 0.75 + 18);
  });

  it('WHEN the previous window was over its limit THEN it counts as the limit, so a refused burst does not carry over', () => {
    expect(slidingEstimate(100, 5000, 0, 0.5)).toBe(50);
  });

  it('WHEN the clock is anywhere in a window THEN the window starts on a multiple of its length', () => {
    expect(windowStartOf(T0 + 59_999, 60)).toBe(T0 / 1000);
    expect(windowStartOf(T0 + 60_000, 60)).toBe(T0 / 1000 + 60);
    expect(windowStartOf(T0 + 1_500, 3600)).toBe(T0 / 1000);
    expect(windowStartOf(T0 + 999, 1)).toBe(T0 / 1000);
  });
});

describe('GIVEN one window decision', () => {
  it('WHEN the count including the request reaches the limit exactly THEN it is admitted with nothing left', () => {
    expect(minute(0, 100, 0)).toEqual({ allowed: true, windowSeconds: 60, limit: 100, remaining: 0, resetSeconds: 60 });
  });

  it('WHEN the count passes the limit THEN it is refused until the next window plus one slot of it', () => {
    const decision = minute(0, 101, 30_000);
    expect(decision).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 30 });
    // 30 s to the window's end, then 60/100 s for the full previous window's weight to drop by one request.
    expect(decision.retryAfterSeconds).toBe(31);
  });

  it('WHEN the previous window weighs it over THEN it waits only until that weight has faded enough', () => {
    // 100 * (1 - 6/60) + 11 = 101 at 6 s: refused. Had it come at 6.6 s, the weight would have faded by one request.
    expect(minute(100, 11, 6_000).allowed).toBe(false);
    expect(minute(100, 11, 6_600).allowed).toBe(true);
    // The refused request was counted, so the next one is the 12th: it fits at 60 * 12/100 = 7.2 s, 1.2 s later.
    expect(minute(100, 11, 6_000).retryAfterSeconds).toBe(2);
  });

  it('WHEN the request was not recorded (fast path) THEN the wait is computed on the count without it', () => {
    // Still the 11th: it fits at 6.6 s, 0.6 s later.
    expect(minute(100, 11, 6_000, false).retryAfterSeconds).toBe(1);
    expect(minute(0, 101, 30_000, false).retryAfterSeconds).toBe(31);
  });

  it('WHEN the window rolls over THEN the previous full window lets one request through after 1/limit of the window', () => {
    expect(minute(100, 1, 0).allowed).toBe(false);
    expect(minute(100, 1, 599).allowed).toBe(false);
    expect(minute(100, 1, 600).allowed).toBe(true);
  });

  it('WHEN partway through THEN remaining is the limit minus the estimate, rounded down, and reset counts to the window end', () => {
    expect(minute(50, 20, 45_000)).toMatchObject({ allowed: true, remaining: 67, resetSeconds: 15 }); // 12.5 + 20 = 32.5
    expect(minute(0, 1, 59_999)).toMatchObject({ remaining: 99, resetSeconds: 1 });
  });
});

describe('GIVEN decisions of several windows', () => {
  const allowed = (windowSeconds: number, remaining: number, resetSeconds: number): WindowDecision => ({
    allowed: true,
    windowSeconds,
    limit: 100,
    remaining,
    resetSeconds,
  });
  const refused = (windowSeconds: number, retryAfterSeconds: number): WindowDecision => ({
    allowed: false,
    windowSeconds,
    limit: 100,
    remaining: 0,
    resetSeconds: 10,
    retryAfterSeconds,
  });

  it('WHEN all admit THEN the one with the fewest requests left is reported, ties going to the later reset', () => {
    expect(mostRestrictive([allowed(60, 40, 10), allowed(3600, 12, 1000)]).windowSeconds).toBe(3600);
    expect(mostRestrictive([allowed(60, 12, 10), allowed(3600, 12, 1000)]).windowSeconds).toBe(3600);
  });

  it('WHEN some refuse THEN the refusal with the longest wait is reported', () => {
    expect(mostRestrictive([allowed(1, 0, 1), refused(60, 5), refused(3600, 900)]).windowSeconds).toBe(3600);
  });

  it('WHEN there is none THEN it is a TypeError', () => {
    expect(() => mostRestrictive([])).toThrow(TypeError);
  });
});

describe('GIVEN any sequence of requests against one atomic counter', () => {
  it('WHEN each is decided on its post-increment count THEN no fixed window admits more than the limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom(1, 60, 3600),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 300 }),
        (limit, windowSeconds, gapsMs) => {
          const counts = new Map<number, number>();
          const admitted = new Map<number, number>();
          let nowMs = T0;
          for (const gap of gapsMs) {
            nowMs += gap * (windowSeconds / 10);
            const start = windowStartOf(nowMs, windowSeconds);
            const current = (counts.get(start) ?? 0) + 1;
            counts.set(start, current);
            const previous = counts.get(start - windowSeconds) ?? 0;
            if (decideWindow({ limit, windowSeconds, nowMs, previous, current, recorded: true }).allowed) {
              admitted.set(start, (admitted.get(start) ?? 0) + 1);
            }
          }
          for (const count of admitted.values()) expect(count).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('WHEN the fast path refuses on lower bounds of the counts THEN the full counts would have refused too', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.nat({ max: 400 }),
        fc.nat({ max: 400 }),
        fc.nat({ max: 50 }),
        fc.nat({ max: 50 }),
        fc.integer({ min: 0, max: MINUTE_MS - 1 }),
        (limit, previousSeen, currentSeen, previousMissed, currentMissed, elapsedMs) => {
          const seen = decideWindow({
            limit,
            windowSeconds: 60,
            nowMs: T0 + elapsedMs,
            previous: previousSeen,
            current: currentSeen + 1,
            recorded: false,
          });
          const truth = decideWindow({
            limit,
            windowSeconds: 60,
            nowMs: T0 + elapsedMs,
            previous: previousSeen + previousMissed,
            current: currentSeen + currentMissed + 1,
            recorded: true,
          });
          if (!seen.allowed) expect(truth.allowed).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});
