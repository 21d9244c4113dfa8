// How Gatehouse marks API keys: tag names, key names, and reading a key's lifecycle from its tags.
import type { ApiKey } from '@aws-sdk/client-api-gateway';

export const TAG = {
  gateway: 'gatehouse:gateway',
  consumer: 'gatehouse:consumer',
  /** ISO date after which the key is disabled. */
  expires: 'gatehouse:expires',
  /** On a key made by `rotate`: the ids (comma-separated) of the keys it replaces. */
  replaces: 'gatehouse:replaces',
  /** On a key made by `rotate`: ISO date after which the keys it replaces are disabled. */
  disableReplacedAfter: 'gatehouse:disable-replaced-after',
} as const;

/** What the lifecycle knows about one key. Never holds the key's value. */
export interface KeyInfo {
  readonly id: string;
  readonly name: string;
  readonly gateway?: string;
  readonly consumer?: string;
  readonly enabled: boolean;
  readonly createdDate?: Date;
  readonly expires?: Date;
  readonly replaces: readonly string[];
  readonly disableReplacedAfter?: Date;
}

/** `<gateway>-<consumer>-<yyyymmddHHMMSS>`: unique per second and sorted by age within a consumer. */
export function keyName(gateway: string, consumer: string, now: Date): string {
  return `${gateway}-${consumer}-${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}`;
}

export function toKeyInfo(key: ApiKey): KeyInfo {
  const tags = key.tags ?? {};
  return {
    id: key.id ?? '',
    name: key.name ?? '',
    gateway: tags[TAG.gateway],
    consumer: tags[TAG.consumer],
    enabled: key.enabled ?? false,
    createdDate: key.createdDate,
    expires: dateTag(tags[TAG.expires]),
    replaces: (tags[TAG.replaces] ?? '').split(',').filter(Boolean),
    disableReplacedAfter: dateTag(tags[TAG.disableReplacedAfter]),
  };
}

/**
 * Whether a key belongs to the consumer: tagged by Gatehouse, or the stack's own key named
 * `<gateway>-<consumer>` (the usage-plans construct names keys that way and cannot tag them).
 */
export function belongsTo(key: KeyInfo, gateway: string, consumer: string): boolean {
  if (key.gateway !== undefined || key.consumer !== undefined) return key.gateway === gateway && key.consumer === consumer;
  return key.name === `${gateway}-${consumer}`;
}

function dateTag(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
