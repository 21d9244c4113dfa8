// `keys create`: a new API key for a consumer on one or more usage plans of a gateway.
import type { ApiGatewaySender } from './client';
import { explainingAwsErrors, KeyError } from './errors';
import { issueKey, type IssuedKey } from './issue-key';
import { findPlans } from './usage-plans';

export interface CreateKeyInput {
  readonly gateway: string;
  /** Plan names as in gatehouse.yaml (the usage plan is `<gateway>-<plan>`). */
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
  if (input.expires && input.expires <= now) throw new KeyError('INVALID_ARGUMENT', `expires must be in the future, got ${input.expires.toISOString()}`);
  return explainingAwsErrors(async () => {
    const plans = await findPlans(client, input.gateway, input.plans);
    return issueKey(client, { gateway: input.gateway, consumer: input.consumer, plans, now, expires: input.expires });
  });
}

/** Gateway and consumer names end up in key names and tags: the same alphabet as names in gatehouse.yaml. */
export function requireName(what: string, value: string | undefined): asserts value is string {
  if (!value || !/^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(value)) {
    throw new KeyError('INVALID_ARGUMENT', `--${what} must be a name of letters, digits and "-", starting with a letter, got ${JSON.stringify(value ?? '')}`);
  }
}
