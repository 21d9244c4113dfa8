// `keys list`: the keys of a gateway or consumer with their plans, state and deadlines; never their values.
import { GetUsagePlanKeysCommand } from '@aws-sdk/client-api-gateway';
import type { ApiGatewaySender } from '../../lambdas/shared/api-keys/client';
import { retirementDeadlines } from '../../lambdas/shared/api-keys/consumer-keys';
import { explainingAwsErrors } from '../../lambdas/shared/api-keys/errors';
import { fetchKeys } from '../../lambdas/shared/api-keys/fetch-keys';
import type { KeyInfo } from '../../lambdas/shared/api-keys/key-tags';
import { allPlans } from './usage-plans';

export interface ListKeysInput {
  readonly gateway?: string;
  readonly consumer?: string;
}

export interface ListedKey extends KeyInfo {
  /** Usage plan names the key is attached to. */
  readonly plans: readonly string[];
  /** Set when a rotation replaced this key: it is disabled after this time. */
  readonly disableAfter?: Date;
}

export async function listKeys(client: ApiGatewaySender, input: ListKeysInput = {}): Promise<ListedKey[]> {
  return explainingAwsErrors(async () => {
    const all = await fetchKeys(client);
    const keys = all.filter((k) => matches(k, input));
    const deadlines = retirementDeadlines(all);
    const plansByKey = new Map<string, string[]>();
    if (keys.length > 0) {
      // One call per plan, not per key: a gateway has a handful of plans and possibly many keys.
      for (const plan of await allPlans(client)) {
        for (const id of await keyIdsOfPlan(client, plan.id)) plansByKey.set(id, [...(plansByKey.get(id) ?? []), plan.name]);
      }
    }
    return keys
      .map((k) => ({ ...k, plans: plansByKey.get(k.id) ?? [], disableAfter: deadlines.get(k.id) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  });
}

function matches(key: KeyInfo, { gateway, consumer }: ListKeysInput): boolean {
  if (key.gateway !== undefined || key.consumer !== undefined) {
    return (gateway === undefined || key.gateway === gateway) && (consumer === undefined || key.consumer === consumer);
  }
  // A key the stack made (untagged): its name is `<gateway>-<consumer>`.
  if (gateway !== undefined && consumer !== undefined) return key.name === `${gateway}-${consumer}`;
  if (gateway !== undefined) return key.name.startsWith(`${gateway}-`);
  return consumer === undefined;
}

async function keyIdsOfPlan(client: ApiGatewaySender, usagePlanId: string): Promise<string[]> {
  const ids: string[] = [];
  let position: string | undefined;
  do {
    const page = await client.send(new GetUsagePlanKeysCommand({ usagePlanId, limit: 500, position }));
    for (const item of page.items ?? []) if (item.id) ids.push(item.id);
    position = page.position && page.position !== position ? page.position : undefined;
  } while (position);
  return ids;
}
