// Issues one new key all-or-nothing: created disabled, attached to every plan, then enabled; any failure deletes it.
import { CreateApiKeyCommand, CreateUsagePlanKeyCommand, DeleteApiKeyCommand, UpdateApiKeyCommand } from '@aws-sdk/client-api-gateway';
import type { ApiGatewaySender } from '../../lambdas/shared/api-keys/client';
import { KeyError, toKeyError } from '../../lambdas/shared/api-keys/errors';
import { keyName, TAG } from '../../lambdas/shared/api-keys/key-tags';
import type { PlanRef } from './usage-plans';

export interface IssueKeyInput {
  readonly gateway: string;
  readonly consumer: string;
  readonly plans: readonly PlanRef[];
  readonly now: Date;
  readonly expires?: Date;
  /** Extra tags (rotation records what the key replaces). */
  readonly tags?: Record<string, string>;
}

/** A key just issued; `value` is the secret, shown once to whoever asked and never logged. */
export interface IssuedKey {
  readonly id: string;
  readonly name: string;
  readonly value: string;
  readonly plans: readonly string[];
  readonly expires?: Date;
}

/**
 * The key starts disabled so that no enabled key ever exists outside a plan, and a rotation whose new
 * key never got enabled does not retire the old one (enforceExpiry only honours enabled replacements).
 */
export async function issueKey(client: ApiGatewaySender, input: IssueKeyInput): Promise<IssuedKey> {
  const name = keyName(input.gateway, input.consumer, input.now);
  const created = await client.send(
    new CreateApiKeyCommand({
      name,
      description: `Gatehouse consumer "${input.consumer}" of gateway "${input.gateway}"`,
      enabled: false,
      tags: {
        [TAG.gateway]: input.gateway,
        [TAG.consumer]: input.consumer,
        ...(input.expires ? { [TAG.expires]: input.expires.toISOString() } : {}),
        ...input.tags,
      },
    }),
  );
  if (!created.id || !created.value) throw new Error(`CreateApiKey returned no ${created.id ? 'value' : 'id'}`);
  const id = created.id;
  let step = 'attaching it';
  try {
    for (const plan of input.plans) {
      step = `attaching it to usage plan "${plan.name}"`;
      await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: id, keyType: 'API_KEY' }));
    }
    step = 'enabling it';
    await client.send(new UpdateApiKeyCommand({ apiKey: id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'true' }] }));
  } catch (error) {
    await rollBack(client, id, name, step, error);
  }
  return { id, name, value: created.value, plans: input.plans.map((p) => p.name), expires: input.expires };
}

async function rollBack(client: ApiGatewaySender, id: string, name: string, step: string, error: unknown): Promise<never> {
  const reason = toKeyError(error);
  const why = reason instanceof Error ? reason.message : String(reason);
  try {
    // Deleting a key also removes it from every usage plan it was attached to.
    await client.send(new DeleteApiKeyCommand({ apiKey: id }));
  } catch (cleanupError) {
    throw new KeyError(
      'ROLLED_BACK',
      `new key ${name} (${id}) failed while ${step}: ${why}; deleting it failed too (${String(cleanupError)}). It is disabled, so it grants nothing: delete it with \`aws apigateway delete-api-key --api-key ${id}\``,
      { cause: error },
    );
  }
  throw new KeyError('ROLLED_BACK', `new key ${name} failed while ${step}: ${why}; it was deleted again, nothing changed`, {
    cause: error,
  });
}
