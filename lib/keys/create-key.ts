// `keys create`: a new API key for a consumer on one usage plan of a gateway.
import type { ApiGatewaySender } from '../../lambdas/shared/api-keys/client';
import { explainingAwsErrors, KeyError } from '../../lambdas/shared/api-keys/errors';
import { issueKey, type IssuedKey } from './issue-key';
import { findPlans } from './usage-plans';

export interface CreateKeyInput {
  readonly gateway: string;
  /**
   * Plan names as in gatehouse.yaml (the usage plan is `<gateway>-<plan>`): exactly one, because every plan of a
   * gateway is on its one stage and API Gateway refuses a key on two plans of a stage (409 ConflictException).
   */
  readonly plans: readonly string[];
  readonly consumer: string;
  /** When the key stops working (enforced by the key-expiry function). @default - never */
  readonly expires?: Date;
  /** @default - the current time */
  readonly now?: Date;
}

export async function createKey(client: ApiGatewaySender, input: CreateKeyInput): Promise<IssuedKey> {
  requireName('gateway', input.gateway);
  requireName('consumer', input.consumer);
  const now = input.now ?? new Date();
  if (input.plans.length > 1) {
    throw new KeyError(
      'INVALID_ARGUMENT',
      `a key can be on one usage plan of gateway "${input.gateway}" (got ${input.plans.join(', ')}): its plans share one stage, and API Gateway refuses a key on two plans of a stage (409 ConflictException). Pass one --plan; a caller that needs another plan is another --consumer with its own key`,
    );
  }
  if (input.expires && input.expires <= now)
    throw new KeyError('INVALID_ARGUMENT', `expires must be in the future, got ${input.expires.toISOString()}`);
  return explainingAwsErrors(async () => {
    const plans = await findPlans(client, input.gateway, input.plans);
    return issueKey(client, { gateway: input.gateway, consumer: input.consumer, plans, now, expires: input.expires });
  });
}

/** Gateway and consumer names end up in key names and tags: the same alphabet as names in gatehouse.yaml. */
export function requireName(what: string, value: string | undefined): asserts value is string {
  if (!value || !/^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(value)) {
    throw new KeyError(
      'INVALID_ARGUMENT',
      `--${what} must be a name of letters, digits and "-", starting with a letter, got ${JSON.stringify(value ?? '')}`,
    );
  }
}
