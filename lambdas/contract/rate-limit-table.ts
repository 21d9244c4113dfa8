// The rate-limit counter table's layout and env var, side-effect free so constructs can import them at synth.

/** The proxy reads the counter table's name from this variable; the construct sets it. */
export const RATE_LIMIT_TABLE_ENV = 'GATEHOUSE_RATE_LIMIT_TABLE';

/**
 * The table's layout; the construct that creates the table uses these names.
 * - partition key `pk` (String): one counter window, `${scope}#${clientKey}#${windowSeconds}#${windowStart}`;
 * - `count` (N): requests counted in that window, never above its limit (a conditional write refuses the rest);
 * - `expiresAt` (N, epoch seconds): the table's TTL attribute, `windowStart + 2 * windowSeconds`
 *   (the window is still read as "previous" during the next one).
 * On-demand billing suits it: load follows traffic, and hot keys spread over windows.
 */
export const RATE_LIMIT_TABLE = Object.freeze({
  partitionKey: 'pk',
  countAttribute: 'count',
  ttlAttribute: 'expiresAt',
  /** The only actions the store calls: grant these on the table and nothing else. */
  iamActions: Object.freeze(['dynamodb:UpdateItem', 'dynamodb:GetItem']),
});
