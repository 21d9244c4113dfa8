import { describe, expect, it } from 'vitest';
import { TIME_FACTOR_ENV, timeFactor } from './time-factor';

describe('timeFactor', () => {
  it('is 1 on an idle machine', () => {
    expect(timeFactor({}, 0.3, 2)).toBe(1);
  });

  it('grows with the load per core, rounded up', () => {
    expect(timeFactor({}, 20, 2)).toBe(10);
    expect(timeFactor({}, 2.5, 2)).toBe(2);
  });

  it(`takes ${TIME_FACTOR_ENV} over the load when it is a number of at least 1`, () => {
    expect(timeFactor({ [TIME_FACTOR_ENV]: '4' }, 0, 2)).toBe(4);
    expect(timeFactor({ [TIME_FACTOR_ENV]: '1' }, 20, 2)).toBe(1);
  });

  it.each(['0', '-3', 'fast', ''])(`ignores ${TIME_FACTOR_ENV}=%j and falls back to the load`, (value) => {
    expect(timeFactor({ [TIME_FACTOR_ENV]: value }, 6, 2)).toBe(3);
  });
});
