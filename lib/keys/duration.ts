// Parses the CLI's durations (`90d`, `12h`, `30m`) into milliseconds.
import { KeyError } from '../../lambdas/shared/api-keys/errors';

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

/** `90d` → 90 days in ms. Throws KeyError INVALID_DURATION naming the option and the bad value. */
export function parseDuration(text: string, option = 'duration'): number {
  const match = /^(\d+)([dhm])$/.exec(text.trim());
  const amount = match ? Number(match[1]) : NaN;
  if (!match || !Number.isSafeInteger(amount) || amount <= 0) {
    throw new KeyError(
      'INVALID_DURATION',
      `--${option} must be a positive whole number followed by d (days), h (hours) or m (minutes), like 90d, 12h or 30m; got "${text}"`,
    );
  }
  return amount * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
