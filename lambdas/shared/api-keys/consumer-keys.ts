// A consumer's keys on a gateway, and which of them are current or being retired by a rotation.
import { KeyError } from './errors';
import { belongsTo, type KeyInfo } from './key-tags';

/** The consumer's keys; none throws CONSUMER_NOT_FOUND listing the consumers the gateway has keys for. */
export function keysOfConsumer(all: readonly KeyInfo[], gateway: string, consumer: string): KeyInfo[] {
  const keys = all.filter((k) => belongsTo(k, gateway, consumer));
  if (keys.length > 0) return keys;
  const known = [...new Set(all.filter((k) => k.gateway === gateway && k.consumer).map((k) => k.consumer as string))].sort();
  throw new KeyError(
    'CONSUMER_NOT_FOUND',
    `no API key of consumer "${consumer}" on gateway "${gateway}"; ` +
      (known.length
        ? `consumers with keys there: ${known.join(', ')}`
        : `no Gatehouse keys for gateway "${gateway}" in this account and region`) +
      ` (create one with: gatehouse keys create --gateway ${gateway} --plan <plan> --consumer ${consumer})`,
  );
}

/**
 * Deadline of every key an enabled rotation replaces, by key id. Only enabled replacements count: a
 * new key that never got enabled (a failed rotation) must not retire the key the consumer still uses.
 */
export function retirementDeadlines(all: readonly KeyInfo[]): Map<string, Date> {
  const deadlines = new Map<string, Date>();
  for (const key of all) {
    if (!key.enabled || !key.disableReplacedAfter) continue;
    for (const id of key.replaces) {
      const earlier = deadlines.get(id);
      if (!earlier || key.disableReplacedAfter < earlier) deadlines.set(id, key.disableReplacedAfter);
    }
  }
  return deadlines;
}
