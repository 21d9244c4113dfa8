// Rate-limit counters in a DynamoDB table: one item per counter window, incremented by a conditional atomic UpdateItem ADD.
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand, UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import type { CounterStore, CounterWindow, IncrementResult } from './counter-store';
import { RATE_LIMIT_TABLE } from './table';

/**
 * Client settings for the counter table. The request waits for the increment, so a slow table adds
 * its latency to every request: calls fail fast, retry once, and the limiter then decides without
 * the table (see `failOpen`).
 */
export const RATE_LIMIT_CLIENT_DEFAULTS = Object.freeze({
  maxAttempts: 2,
  connectionTimeoutMs: 200,
  requestTimeoutMs: 300,
});

export interface DynamoCounterStoreProps {
  readonly tableName: string;
  /** Create it once per container, with `createRateLimitTableClient` or your own settings. */
  readonly client: DynamoDBClient;
}

/** A `DynamoDBClient` with `RATE_LIMIT_CLIENT_DEFAULTS`; `config` (region, endpoint, credentials) goes on top. */
export function createRateLimitTableClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({
    maxAttempts: RATE_LIMIT_CLIENT_DEFAULTS.maxAttempts,
    requestHandler: {
      connectionTimeout: RATE_LIMIT_CLIENT_DEFAULTS.connectionTimeoutMs,
      requestTimeout: RATE_LIMIT_CLIENT_DEFAULTS.requestTimeoutMs,
      // Without it the SDK only warns past requestTimeout and the request keeps waiting.
      throwOnRequestTimeout: true,
    },
    ...config,
  });
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
