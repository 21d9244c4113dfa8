// The breaker state table's layout, shared by the store that reads and writes it and the construct that creates it.

/**
 * The table's layout; the construct that creates the table uses these names.
 * - partition key `pk` (String): the breaker key, e.g. `order-service https://orders-v1.internal.example.com`;
 * - `state` (S), `version` (N), `openUntil` (N, epoch ms), `updatedAt` (N, epoch ms);
 * - `expiresAt` (N, epoch seconds): the table's TTL attribute.
 */
export const BREAKER_TABLE = Object.freeze({
  partitionKey: 'pk',
  ttlAttribute: 'expiresAt',
  /** The only actions the store calls: grant these on the table and nothing else. */
  iamActions: Object.freeze(['dynamodb:GetItem', 'dynamodb:PutItem']),
});

/** An item lives this long after its last transition (or after its open period ends), then DynamoDB removes it. */
export const DEFAULT_BREAKER_TTL_SECONDS = 24 * 60 * 60;
