// Finds a gateway's usage plans by the names the stack gives them (`<gateway>-<plan>`), and the plans a key is on.
import { GetUsagePlansCommand, type UsagePlan } from '@aws-sdk/client-api-gateway';
import type { ApiGatewaySender } from '../../lambdas/shared/api-keys/client';
import { KeyError } from '../../lambdas/shared/api-keys/errors';

const PAGE_SIZE = 500;

export interface PlanRef {
  readonly id: string;
  /** The full name, `<gateway>-<plan>`. */
  readonly name: string;
}

/** Resolves plan names of a gateway to ids; a missing one throws PLAN_NOT_FOUND listing the gateway's plans. */
export async function findPlans(client: ApiGatewaySender, gateway: string, plans: readonly string[]): Promise<PlanRef[]> {
  if (plans.length === 0) throw new KeyError('INVALID_ARGUMENT', 'name at least one usage plan (--plan)');
  const all = await fetchPlans(client);
  return plans.map((plan) => {
    const found = all.find((p) => p.name === `${gateway}-${plan}`);
    if (found) return found;
    const ofGateway = all.filter((p) => p.name.startsWith(`${gateway}-`)).map((p) => p.name.slice(gateway.length + 1));
    throw new KeyError(
      'PLAN_NOT_FOUND',
      `no usage plan "${gateway}-${plan}" (plan "${plan}" of gateway "${gateway}") in this account and region; ` +
        (ofGateway.length
          ? `gateway "${gateway}" has: ${ofGateway.join(', ')}`
          : `gateway "${gateway}" has no usage plans here (deployed? right --region?)`),
    );
  });
}

/** Every usage plan in the account and region. */
export async function allPlans(client: ApiGatewaySender): Promise<PlanRef[]> {
  return fetchPlans(client);
}

/** The usage plans a key is attached to. */
export async function plansOfKey(client: ApiGatewaySender, keyId: string): Promise<PlanRef[]> {
  return fetchPlans(client, keyId);
}

async function fetchPlans(client: ApiGatewaySender, keyId?: string): Promise<PlanRef[]> {
  const plans: PlanRef[] = [];
  let position: string | undefined;
  do {
    const page = await client.send(new GetUsagePlansCommand({ keyId, limit: PAGE_SIZE, position }));
    for (const plan of page.items ?? []) if (hasIdAndName(plan)) plans.push({ id: plan.id, name: plan.name });
    position = page.position && page.position !== position ? page.position : undefined;
  } while (position);
  return plans;
}

function hasIdAndName(plan: UsagePlan): plan is UsagePlan & { id: string; name: string } {
  return typeof plan.id === 'string' && typeof plan.name === 'string';
}
