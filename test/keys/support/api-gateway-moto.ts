// A REST API, stage and usage plans in moto_server for the key-lifecycle tests, plus clients and fault wrappers for it.
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  GetApiKeysCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  type ApiKey,
} from '@aws-sdk/client-api-gateway';
import { createKeysClient, type ApiGatewaySender } from '../../../lambdas/shared/api-keys/client';
import { MOTO_CREDENTIALS, MOTO_REGION, motoMissing } from '../../support/moto-server';

export const MOTO_MISSING = motoMissing('the API-key lifecycle tests');
export const STAGE = 'prod';

/** A client of the lifecycle's own settings (retries included) pointed at moto. */
export function motoKeysClient(endpoint: string): APIGatewayClient {
  return createKeysClient({ endpoint, region: MOTO_REGION, credentials: { ...MOTO_CREDENTIALS } });
}

/** Deploys a one-method REST API to `prod` and creates `<gateway>-<plan>` usage plans on it, as the stack would. */
export async function deployGateway(client: APIGatewayClient, gateway: string, plans: readonly string[]): Promise<Record<string, string>> {
  const api = await client.send(new CreateRestApiCommand({ name: gateway }));
  const restApiId = api.id!;
  const root = (await client.send(new GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === '/')!;
  await client.send(
    new PutMethodCommand({ restApiId, resourceId: root.id!, httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true }),
  );
  await client.send(new PutIntegrationCommand({ restApiId, resourceId: root.id!, httpMethod: 'GET', type: 'MOCK' }));
  await client.send(new CreateDeploymentCommand({ restApiId, stageName: STAGE }));
  const ids: Record<string, string> = {};
  for (const plan of plans) {
    const created = await client.send(
      new CreateUsagePlanCommand({ name: `${gateway}-${plan}`, apiStages: [{ apiId: restApiId, stage: STAGE }] }),
    );
    ids[plan] = created.id!;
  }
  return ids;
}

/** Every key in moto, as API Gateway stores it (values included: only tests look at them). */
export async function storedKeys(client: APIGatewayClient): Promise<ApiKey[]> {
  return (await client.send(new GetApiKeysCommand({ includeValues: true }))).items ?? [];
}

/** Wraps a real client so that the `nth` call of one command type fails, as a throttled or broken API would. */
export function failingOn(client: ApiGatewaySender, commandName: string, nth: number): ApiGatewaySender & { calls: string[] } {
  let seen = 0;
  const calls: string[] = [];
  return {
    calls,
    send: ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
      calls.push(command.constructor.name);
      if (command.constructor.name === commandName && ++seen === nth) {
        const error = new Error(`injected failure of ${commandName} #${nth}`);
        error.name = 'ServiceUnavailableException';
        return Promise.reject(error);
      }
      return (client.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
    }) as ApiGatewaySender['send'],
  };
}
