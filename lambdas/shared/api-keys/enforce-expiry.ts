// Disables keys past their `expires` date or past a rotation's grace period, and reports keys expiring soon.
import { UpdateApiKeyCommand } from '@aws-sdk/client-api-gateway';
import type { ApiGatewaySender } from './client';
import { retirementDeadlines } from './consumer-keys';
import { explainingAwsErrors, toKeyError } from './errors';
import { fetchKeys } from './fetch-keys';
import type { KeyInfo } from './key-tags';

/** How far ahead `expiringSoon` looks unless told otherwise. */
export const DEFAULT_EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

export interface EnforceExpiryOptions {
  /** @default - the current time */
  readonly now?: Date;
  /** @default DEFAULT_EXPIRY_WARNING_DAYS */
  readonly warningDays?: number;
}

export interface DisabledKey {
  readonly key: KeyInfo;
  /** `expired`: past its own `expires`; `rotated`: past the grace period of the rotation that replaced it. */
  readonly reason: 'expired' | 'rotated';
  readonly deadline: Date;
}

export interface ExpiryReport {
  readonly disabled: readonly DisabledKey[];
  /** Enabled keys whose `expires` falls within the warning window. */
  readonly expiringSoon: readonly KeyInfo[];
  /** Keys that should have been disabled but the call failed; the next run tries again. */
  readonly failed: readonly { readonly key: KeyInfo; readonly error: string }[];
}

/** Idempotent: a key already disabled is left alone, so runs can overlap or repeat. */
export async function enforceExpiry(client: ApiGatewaySender, options: EnforceExpiryOptions = {}): Promise<ExpiryReport> {
  const now = options.now ?? new Date();
  const warnUntil = new Date(now.getTime() + (options.warningDays ?? DEFAULT_EXPIRY_WARNING_DAYS) * DAY_MS);
  const all = await explainingAwsErrors(() => fetchKeys(client));
  const deadlines = retirementDeadlines(all);
  const disabled: DisabledKey[] = [];
  const expiringSoon: KeyInfo[] = [];
  const failed: { key: KeyInfo; error: string }[] = [];
  for (const key of all) {
    if (!key.enabled) continue;
    const due = dueFor(key, deadlines.get(key.id), now);
    if (!due) {
      if (key.expires && key.expires <= warnUntil) expiringSoon.push(key);
      continue;
    }
    try {
      await client.send(
        new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] }),
      );
      disabled.push({ key, ...due });
    } catch (error) {
      const reason = toKeyError(error);
      failed.push({ key, error: reason instanceof Error ? reason.message : String(reason) });
    }
  }
  return { disabled, expiringSoon, failed };
}

function dueFor(key: KeyInfo, retireAt: Date | undefined, now: Date): Pick<DisabledKey, 'reason' | 'deadline'> | undefined {
  if (key.expires && key.expires <= now) return { reason: 'expired', deadline: key.expires };
  if (retireAt && retireAt <= now) return { reason: 'rotated', deadline: retireAt };
  return undefined;
}
