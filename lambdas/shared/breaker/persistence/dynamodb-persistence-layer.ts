// Breaker state in a DynamoDB table: one item per breaker, replaced only by a conditional PutItem on its version.
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BasePersistenceLayer,
  type BasePersistenceLayerOptions,
  type BreakerRecord,
  type PutRecordResult,
  type UncheckedRecord,
} from './base-persistence-layer';
import { BREAKER_TABLE } from '../../../contract/breaker-table';
import { lazyStateTableClient } from '../../state-table';

export { BREAKER_TABLE, DEFAULT_BREAKER_TTL_SECONDS } from '../../../contract/breaker-table';

export interface DynamoDBPersistenceLayerProps extends BasePersistenceLayerOptions {
  readonly tableName: string;
  /**
   * The client the calls go through.
   * @default the container's one client (state-table-client.ts), shared with the counter store and created on the first call
   */
  readonly client?: DynamoDBClient;
}

/**
 * The breaker table (layout in contract/breaker-table.ts). The AWS SDK (~300 ms to require on a cold
 * instance) is loaded on the first call, not when the layer is built, so a function whose breakers
 * never reach the table never pays it; handlers preload it at init (`preloadStateTables`).
 */
export class DynamoDBPersistenceLayer extends BasePersistenceLayer {
  readonly tableName: string;
  private readonly client: DynamoDBClient | undefined;
  private sdk: Promise<{ client: DynamoDBClient; commands: typeof import('@aws-sdk/client-dynamodb') }> | undefined;

  constructor(props: DynamoDBPersistenceLayerProps) {
    if (typeof props.tableName !== 'string' || props.tableName.length === 0) {
      throw new TypeError(`DynamoDBPersistenceLayer: tableName must be a non-empty string, got ${JSON.stringify(props.tableName)}`);
    }
    super(props);
    this.tableName = props.tableName;
    this.client = props.client;
  }

  protected async getRecord(key: string): Promise<UncheckedRecord | undefined> {
    const { client, commands } = await this.loaded();
    const { Item } = await client.send(
      new commands.GetItemCommand({ TableName: this.tableName, Key: { [BREAKER_TABLE.partitionKey]: { S: key } }, ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  protected async putRecord(key: string, record: BreakerRecord, expectedVersion: number): Promise<PutRecordResult> {
    const { client, commands } = await this.loaded();
    try {
      await client.send(
        new commands.PutItemCommand({
          TableName: this.tableName,
          Item: {
            [BREAKER_TABLE.partitionKey]: { S: key },
            state: { S: record.state },
            version: { N: String(record.version) },
            openUntil: { N: String(record.openUntilMs) },
            updatedAt: { N: String(record.updatedAtMs) },
            [BREAKER_TABLE.ttlAttribute]: { N: String(record.expiresAtSeconds) },
          },
          ConditionExpression: 'attribute_not_exists(#pk) OR #version = :expected',
          ExpressionAttributeNames: { '#pk': BREAKER_TABLE.partitionKey, '#version': 'version' },
          ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { written: true };
    } catch (error) {
      if (!(error instanceof commands.ConditionalCheckFailedException)) throw error;
      // The winner's item comes back with the refusal; without it the base reads it.
      return error.Item ? { written: false, stored: fromItem(error.Item) } : { written: false };
    }
  }

  private loaded() {
    this.sdk ??= Promise.all([this.client ?? lazyStateTableClient(), import('@aws-sdk/client-dynamodb')]).then(([client, commands]) => ({
      client,
      commands,
    }));
    return this.sdk;
  }
}

function fromItem(item: Record<string, AttributeValue>): UncheckedRecord {
  return {
    state: item.state?.S,
    version: Number(item.version?.N),
    openUntilMs: Number(item.openUntil?.N ?? 0),
    updatedAtMs: Number(item.updatedAt?.N ?? 0),
    item,
  };
}
