// Counter tables and per-instance clients against the shared moto_server helper, for the rate limiter's DynamoDB tests.
import { CreateTableCommand, UpdateTimeToLiveCommand, type DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { createStateTableClient } from '../../../../../lambdas/shared/state-table-client';
import { RATE_LIMIT_TABLE } from '../../../../../lambdas/contract/rate-limit-table';
import { MOTO_CREDENTIALS, MOTO_REGION, motoMissing } from '../../../../support/moto-server';

export { findMotoServer, freePort, startMotoServer, type MotoServer } from '../../../../support/moto-server';

export const MOTO_MISSING = motoMissing('the DynamoDB rate-limit tests and bench/ratelimit.bench.ts');

/**
 * A client of one simulated Lambda instance, with the store's defaults under the overrides. moto
 * answers one call at a time in Python, far slower than DynamoDB under a burst, so callers that fire
 * many calls at once pass longer timeouts.
 */
export function instanceClient(endpoint: string, overrides: DynamoDBClientConfig = {}): DynamoDBClient {
  return createStateTableClient({ endpoint, region: MOTO_REGION, credentials: { ...MOTO_CREDENTIALS }, ...overrides });
}

let tables = 0;

/** Creates a counter table the way the construct must: partition key `pk` (S), on-demand, TTL on `expiresAt`. */
export async function createCounterTable(client: DynamoDBClient): Promise<string> {
  tables += 1;
  const tableName = `rate-limits-${process.pid}-${tables}`;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: RATE_LIMIT_TABLE.partitionKey, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: RATE_LIMIT_TABLE.partitionKey, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: RATE_LIMIT_TABLE.ttlAttribute, Enabled: true },
    }),
  );
  return tableName;
}
