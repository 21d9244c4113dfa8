// `keys rotate`: a new key on the same plans as the consumer's current key(s); the old ones keep working through the grace period.
import type { ApiGatewaySender } from '../../lambdas/shared/api-keys/client';
import { requireName } from './create-key';
import { keysOfConsumer, retirementDeadlines } from '../../lambdas/shared/api-keys/consumer-keys';
import { explainingAwsErrors, KeyError } from '../../lambdas/shared/api-keys/errors';
import { fetchKeys } from '../../lambdas/shared/api-keys/fetch-keys';
import { issueKey, type IssuedKey } from './issue-key';
import { TAG, type KeyInfo } from '../../lambdas/shared/api-keys/key-tags';
import { plansOfKey, type PlanRef } from './usage-plans';

export interface RotateKeyInput {
  readonly gateway: string;
  readonly consumer: string;
  /** How long the replaced keys keep working, in ms. */
  readonly graceMs: number;
  /** Expiry of the new key. @default - never */
  readonly expires?: Date;
  /** @default - the current time */
  readonly now?: Date;
}

export type RotateKeyResult =
  /** A new key was issued; `replaced` are disabled after `disableReplacedAfter`. */
  | { readonly status: 'rotated'; readonly key: IssuedKey; readonly replaced: readonly KeyInfo[]; readonly disableReplacedAfter: Date }
  /** A rotation is still in its grace period: nothing was created (its value was shown when it was made). */
  | { readonly status: 'in-grace'; readonly key: KeyInfo; readonly replaced: readonly KeyInfo[]; readonly disableReplacedAfter: Date };

/**
 * The grace deadline is recorded on the new key (tags set at creation), not on the old one: rotation is
 * then a single all-or-nothing issue, and a failure at any step leaves the old key exactly as it was.
 */
export async function rotateKey(client: ApiGatewaySender, input: RotateKeyInput): Promise<RotateKeyResult> {
  requireName('gateway', input.gateway);
  requireName('consumer', input.consumer);
  if (!Number.isFinite(input.graceMs) || input.graceMs < 0)
    throw new KeyError('INVALID_ARGUMENT', `grace must be 0 or more, got ${input.graceMs}`);
  const now = input.now ?? new Date();
  return explainingAwsErrors(async () => {
    const keys = keysOfConsumer(await fetchKeys(client), input.gateway, input.consumer);
    const byId = new Map(keys.map((k) => [k.id, k]));
    const pending = keys.find((k) => k.enabled && k.disableReplacedAfter && k.disableReplacedAfter > now);
    if (pending?.disableReplacedAfter) {
      const replaced = pending.replaces.map((id) => byId.get(id)).filter((k): k is KeyInfo => k !== undefined);
      return { status: 'in-grace', key: pending, replaced, disableReplacedAfter: pending.disableReplacedAfter };
    }
    const retiring = retirementDeadlines(keys);
    const current = keys.filter((k) => k.enabled && !retiring.has(k.id));
    if (current.length === 0) {
      throw new KeyError(
        'KEY_NOT_FOUND',
        `consumer "${input.consumer}" of gateway "${input.gateway}" has no enabled key to rotate; create one with gatehouse keys create`,
      );
    }
    const plans = await plansOfKeys(client, current);
    if (plans.length === 0) {
      throw new KeyError(
        'PLAN_NOT_FOUND',
        `the current key(s) of consumer "${input.consumer}" (${current.map((k) => k.name).join(', ')}) are on no usage plan, so there is nothing to rotate onto`,
      );
    }
    const disableReplacedAfter = new Date(now.getTime() + input.graceMs);
    const key = await issueKey(client, {
      gateway: input.gateway,
      consumer: input.consumer,
      plans,
      now,
      expires: input.expires,
      tags: { [TAG.replaces]: current.map((k) => k.id).join(','), [TAG.disableReplacedAfter]: disableReplacedAfter.toISOString() },
    });
    return { status: 'rotated', key, replaced: current, disableReplacedAfter };
  });
}

async function plansOfKeys(client: ApiGatewaySender, keys: readonly KeyInfo[]): Promise<PlanRef[]> {
  const plans = new Map<string, PlanRef>();
  for (const key of keys) for (const plan of await plansOfKey(client, key.id)) plans.set(plan.id, plan);
  return [...plans.values()];
}
