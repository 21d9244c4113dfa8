// Durations the keys CLI accepts for --expires and --grace.
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../lib/keys/duration';
import { KeyError } from '../../lambdas/shared/api-keys/errors';

describe('parseDuration', () => {
  it.each([
    ['90d', 90 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['30m', 30 * 60_000],
  ])('reads %s as days, hours or minutes', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '0d', '7', 'd', '1.5d', '-1d', '7w', '7 days'])('rejects %j with INVALID_DURATION naming the option and value', (text) => {
    let error: unknown;
    try {
      parseDuration(text, 'grace');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KeyError);
    expect((error as KeyError).code).toBe('INVALID_DURATION');
    expect((error as KeyError).message).toContain(`--grace must be a positive whole number`);
    expect((error as KeyError).message).toContain(`got "${text}"`);
  });
});
