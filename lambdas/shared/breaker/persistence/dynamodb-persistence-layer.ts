// Breaker state in a DynamoDB table: one item per breaker, replaced only by a conditional PutItem on its version.
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { BreakerStore, StoredCircuit, StoreWriteResult } from './base-persistence-layer';
import type { CircuitState } from '../circuit-breaker';
import { BREAKER_TABLE, DEFAULT_BREAKER_TTL_SECONDS } from '../../../contract/breaker-table';

export { BREAKER_TABLE, DEFAULT_BREAKER_TTL_SECONDS } from '../../../contract/breaker-table';


const STATES: ReadonlySet<string> = new Set<CircuitState>(['closed', 'open', 'half-open']);

export interface DynamoBreakerStoreProps {
  readonly tableName: string;
  /** Create it once per container: `containerStateTableClient()` (state-table-client.ts), shared with the counter store. */
  readonly client: DynamoDBClient;
  /** @default DEFAULT_BREAKER_TTL_SECONDS */
  readonly ttlSeconds?: number;
}

export class DynamoBreakerStore implements BreakerStore {
  readonly tableName: string;
  private readonly client: DynamoDBClient;
  private readonly ttlSeconds: number;

  constructor(props: DynamoBreakerStoreProps) {
    if (typeof props.tableName !== 'string' || props.tableName.length === 0) {
      throw new TypeError(`DynamoBreakerStore: tableName must be a non-empty string, got ${JSON.stringify(props.tableName)}`);
    }
    const ttlSeconds = props.ttlSeconds ?? DEFAULT_BREAKER_TTL_SECONDS;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60) {
      throw new TypeError(`DynamoBreakerStore: ttlSeconds must be an integer of at least 60, got ${ttlSeconds}`);
    }
    this.tableName = props.tableName;
    this.client = props.client;
    this.ttlSeconds = ttlSeconds;
  }

  async read(key: string): Promise<StoredCircuit | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { [BREAKER_TABLE.partitionKey]: { S: key } }, ConsistentRead: true }),
    );
    return Item ? parseItem(key, Item) : undefined;
  }

  async write(key: string, next: StoredCircuit, expectedVersion: number): Promise<StoreWriteResult> {
    const expiresAt = Math.ceil(Math.max(next.updatedAtMs, next.openUntilMs) / 1000) + this.ttlSeconds;
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            [BREAKER_TABLE.partitionKey]: { S: key },
            state: { S: next.state },
            version: { N: String(next.version) },
            openUntil: { N: String(next.openUntilMs) },
            updatedAt: { N: String(next.updatedAtMs) },
            [BREAKER_TABLE.ttlAttribute]: { N: String(expiresAt) },
          },
          ConditionExpression: 'attribute_not_exists(#pk) OR #version = :expected',
          ExpressionAttributeNames: { '#pk': BREAKER_TABLE.partitionKey, '#version': 'version' },
          ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { written: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The winner's item comes back with the refusal; read it only if it did not.
      return { written: false, stored: error.Item ? parseItem(key, error.Item) : await this.read(key) };
    }
  }
}

/** An item someone edited by hand into something else is an error, which the breaker treats as the store failing. */
function parseItem(key: string, item: Record<string, AttributeValue>): StoredCircuit {
  const state = item.state?.S;
  const version = Number(item.version?.N);
  const openUntilMs = Number(item.openUntil?.N ?? 0);
  const updatedAtMs = Number(item.updatedAt?.N ?? 0);
  if (state === undefined || !STATES.has(state) || !Number.isFinite(version) || !Number.isFinite(openUntilMs) || !Number.isFinite(updatedAtMs)) {
    throw new TypeError(`breaker item ${JSON.stringify(key)} is malformed: ${JSON.stringify(item)}`);
  }
  return { state: state as CircuitState, version, openUntilMs, updatedAtMs };
}
