// Rate-limit counters in a DynamoDB table: one item per counter window, incremented by a conditional atomic UpdateItem ADD.
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { CounterStore, CounterWindow, IncrementResult } from './counter-store';
import { RATE_LIMIT_TABLE } from '../../contract/rate-limit-table';

export interface DynamoCounterStoreProps {
  readonly tableName: string;
  /** Create it once per container: `containerStateTableClient()` (state-table-client.ts), shared with the breaker store. */
  readonly client: DynamoDBClient;
}

export class DynamoCounterStore implements CounterStore {
  readonly tableName: string;
  private readonly client: DynamoDBClient;

  constructor(props: DynamoCounterStoreProps) {
    if (typeof props.tableName !== 'string' || props.tableName.length === 0) {
      throw new TypeError(`DynamoCounterStore: tableName must be a non-empty string, got ${JSON.stringify(props.tableName)}`);
    }
    this.tableName = props.tableName;
    this.client = props.client;
  }

  /**
   * One write: a conditional UpdateItem that creates the item at 1 or adds 1 while the count is below
   * `ceiling`, returning the new count (UPDATED_NEW). When the condition fails DynamoDB changes nothing
   * and returns the item (ALL_OLD), so a refused request costs the write but is never counted.
   */
  async increment(window: CounterWindow, ceiling: number): Promise<IncrementResult> {
    // A missing item passes the condition, so a ceiling that admits nothing is answered by a read.
    if (ceiling < 1) return { counted: false, count: await this.read(window) };
    try {
      const { Attributes } = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { [RATE_LIMIT_TABLE.partitionKey]: { S: window.key } },
          UpdateExpression: 'ADD #count :one SET #expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :ceiling',
          ExpressionAttributeNames: { '#count': RATE_LIMIT_TABLE.countAttribute, '#expiresAt': RATE_LIMIT_TABLE.ttlAttribute },
          ExpressionAttributeValues: {
            ':one': { N: '1' },
            ':ceiling': { N: String(ceiling) },
            ':expiresAt': { N: String(window.expiresAtSeconds) },
          },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { counted: true, count: parseCount(window.key, Attributes) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The refusing item comes back with the refusal; read it only if it did not.
      return { counted: false, count: error.Item ? parseCount(window.key, error.Item) : await this.read(window) };
    }
  }

  /** A strongly consistent read, so a window that just ended is read with every increment it received. */
  async read(window: CounterWindow): Promise<number> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { [RATE_LIMIT_TABLE.partitionKey]: { S: window.key } },
        ConsistentRead: true,
        ProjectionExpression: '#count',
        ExpressionAttributeNames: { '#count': RATE_LIMIT_TABLE.countAttribute },
      }),
    );
    return Item === undefined ? 0 : parseCount(window.key, Item);
  }
}

/** A count someone edited by hand into something else is an error, which the limiter treats as the store failing. */
function parseCount(key: string, item: Record<string, AttributeValue> | undefined): number {
  const count = Number(item?.[RATE_LIMIT_TABLE.countAttribute]?.N);
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new TypeError(`rate-limit counter ${JSON.stringify(key)} is malformed: ${JSON.stringify(item)}`);
  }
  return count;
}
