// Builds DynamoDB breaker tables and clients against the shared moto_server helper for the breaker's DynamoDB tests.
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { BREAKER_TABLE } from '../../../../../lambdas/shared/breaker/persistence/dynamodb-persistence-layer';
import { createStateTableClient } from '../../../../../lambdas/shared/state-table-client';
import { MOTO_CREDENTIALS, MOTO_REGION, motoMissing } from '../../../../support/moto-server';
import { scaled } from '../../../../support/time-factor';

export { findMotoServer, freePort, startMotoServer, type MotoServer } from '../../../../support/moto-server';

export const MOTO_MISSING = motoMissing('the DynamoDB breaker tests');

/** Dummy credentials and us-east-1, as moto expects; nothing leaves the machine. */
export function motoClientConfig(endpoint: string): DynamoDBClientConfig {
  return { endpoint, region: MOTO_REGION, credentials: { ...MOTO_CREDENTIALS } };
}

/**
 * moto answers in Python, far slower than DynamoDB on a loaded machine: wider timeouts than Lambda's, so
 * a test about sharing state is not decided by a timeout. Tests about the bounds pass their own.
 */
export const SLOW_MOTO_CLIENT = {
  requestHandler: { connectionTimeout: scaled(2000), requestTimeout: scaled(10_000), throwOnRequestTimeout: true },
} as const;

/** A client for one simulated Lambda instance: the store's own defaults (retries), moto's timeouts, then the overrides. */
export function instanceClient(endpoint: string, overrides: DynamoDBClientConfig = {}): DynamoDBClient {
  return createStateTableClient({ ...motoClientConfig(endpoint), ...SLOW_MOTO_CLIENT, ...overrides });
}

let tables = 0;

/** Creates a breaker table the way the construct must: partition key `pk` (S), on-demand, TTL on `expiresAt`. */
export async function createBreakerTable(client: DynamoDBClient): Promise<string> {
  tables += 1;
  const tableName = `breakers-${process.pid}-${tables}`;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: BREAKER_TABLE.partitionKey, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: BREAKER_TABLE.partitionKey, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: BREAKER_TABLE.ttlAttribute, Enabled: true },
    }),
  );
  return tableName;
}
