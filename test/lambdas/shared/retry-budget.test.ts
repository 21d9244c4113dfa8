// The retry budget: a token bucket fed by requests (ratio) and time (floor), capped, with exact arithmetic.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RetryBudget } from '../../../lambdas/shared/retry-budget';

function budgetAt(options: ConstructorParameters<typeof RetryBudget>[0] = {}) {
  const clock = { t: 1_700_000_000_000 };
  const budget = new RetryBudget(options, { now: () => clock.t });
  return { clock, budget };
}

function withdrawAll(budget: RetryBudget, limit = 10_000): number {
  let taken = 0;
  while (taken < limit && budget.tryWithdraw()) taken += 1;
  return taken;
}

describe('GIVEN a new budget with the defaults (10 %, 1 per second, at most 10)', () => {
  it('THEN it holds one second’s floor: one retry, then none while the clock stands still', () => {
    const { budget } = budgetAt();
    expect(budget.tokens).toBe(1);
    expect(budget.tryWithdraw()).toBe(true);
    expect(budget.tryWithdraw()).toBe(false);
  });

  it('WHEN ten requests are recorded THEN exactly one more retry is allowed (no floating-point shortfall)', () => {
    const { budget } = budgetAt();
    withdrawAll(budget);
    for (let i = 0; i < 9; i += 1) budget.recordRequest();
    expect(budget.tryWithdraw()).toBe(false);
    budget.recordRequest();
    expect(budget.tryWithdraw()).toBe(true);
    expect(budget.tryWithdraw()).toBe(false);
  });

  it('WHEN time passes THEN the floor adds minPerSecond tokens per second', () => {
    const { budget, clock } = budgetAt();
    withdrawAll(budget);
    clock.t += 3_000;
    expect(withdrawAll(budget)).toBe(3);
  });

  it('WHEN a long calm spell or a flood of requests fills it THEN it holds no more than maxTokens', () => {
    const { budget, clock } = budgetAt();
    clock.t += 3_600_000;
    for (let i = 0; i < 1_000; i += 1) budget.recordRequest();
    expect(budget.tokens).toBe(10);
    expect(withdrawAll(budget)).toBe(10);
  });

  it('WHEN the clock steps back THEN no token is lost or gained', () => {
    const { budget, clock } = budgetAt();
    clock.t -= 60_000;
    expect(budget.tokens).toBe(1);
    clock.t += 60_000;
    expect(budget.tokens).toBe(1);
  });
});

describe('GIVEN a budget with a zero floor', () => {
  it('THEN only requests pay for retries', () => {
    const { budget, clock } = budgetAt({ ratio: 0.2, minPerSecond: 0 });
    clock.t += 60_000;
    expect(budget.tryWithdraw()).toBe(false);
    for (let i = 0; i < 5; i += 1) budget.recordRequest();
    expect(withdrawAll(budget)).toBe(1);
  });
});

describe('GIVEN any history of requests, retries and elapsed time', () => {
  it('THEN retries granted ≤ initial floor + ratio × requests + minPerSecond × seconds elapsed', () => {
    const step = fc.oneof(
      fc.constant({ kind: 'request' as const }),
      fc.constant({ kind: 'retry' as const }),
      fc.integer({ min: 1, max: 5_000 }).map((ms) => ({ kind: 'wait' as const, ms })),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }).map((percent) => percent / 100),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(step, { maxLength: 300 }),
        (ratio, minPerSecond, maxTokens, steps) => {
          const { budget, clock } = budgetAt({ ratio, minPerSecond, maxTokens });
          let requests = 0;
          let granted = 0;
          let elapsedMs = 0;
          for (const s of steps) {
            if (s.kind === 'request') {
              budget.recordRequest();
              requests += 1;
            } else if (s.kind === 'retry') {
              if (budget.tryWithdraw()) granted += 1;
            } else {
              clock.t += s.ms;
              elapsedMs += s.ms;
            }
          }
          const allowance = Math.min(maxTokens, minPerSecond) + ratio * requests + (minPerSecond * elapsedMs) / 1000;
          expect(granted).toBeLessThanOrEqual(allowance + 1e-9);
          expect(budget.tokens).toBeGreaterThanOrEqual(0);
          expect(budget.tokens).toBeLessThanOrEqual(maxTokens);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('GIVEN bad budget settings', () => {
  it.each([
    [{ ratio: 1.5 }, /retryBudget\.ratio must be a number from 0 to 1, got 1.5/],
    [{ ratio: Number.NaN }, /retryBudget\.ratio/],
    [{ minPerSecond: -1 }, /retryBudget\.minPerSecond/],
    [{ maxTokens: 0 }, /retryBudget\.maxTokens must be a number from 1/],
  ])('WHEN given %j THEN a TypeError naming the field', (options, message) => {
    expect(() => new RetryBudget(options)).toThrow(TypeError);
    expect(() => new RetryBudget(options)).toThrow(message);
  });
});
