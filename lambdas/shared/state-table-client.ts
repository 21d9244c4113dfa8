// The DynamoDB client settings of the shared-state tables (breakers, rate-limit counters): one client per container serves both.
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/**
 * Client settings for the breaker and counter tables. A request never waits on them longer than
 * `SHARED_STATE_BUDGET_MS` (state-budget.ts); these end the call itself, so a table that accepts
 * connections but never answers cannot keep calls (and the sockets behind them) pending: without
 * `throwOnRequestTimeout` the SDK only warns past `requestTimeout` and goes on waiting.
 */
export const STATE_TABLE_CLIENT_DEFAULTS = Object.freeze({
  maxAttempts: 2,
  connectionTimeoutMs: 200,
  requestTimeoutMs: 300,
});

/** A `DynamoDBClient` with `STATE_TABLE_CLIENT_DEFAULTS`; `config` (region, endpoint, credentials) goes on top. */
export function createStateTableClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({
    maxAttempts: STATE_TABLE_CLIENT_DEFAULTS.maxAttempts,
    requestHandler: {
      connectionTimeout: STATE_TABLE_CLIENT_DEFAULTS.connectionTimeoutMs,
      requestTimeout: STATE_TABLE_CLIENT_DEFAULTS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
    ...config,
  });
}

let containerClient: DynamoDBClient | undefined;

/** The one client of this container, shared by the breaker and counter stores (one connection pool, one SDK load). */
export function containerStateTableClient(): DynamoDBClient {
  containerClient ??= createStateTableClient();
  return containerClient;
}
