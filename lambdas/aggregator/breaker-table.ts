// The DynamoDB breaker store, loaded on its first use: a route whose breakers stay in memory never pays for the AWS SDK.
import type { BreakerStore } from '../shared/breaker-store';

/**
 * A `DynamoBreakerStore` on `tableName` whose module (and `@aws-sdk/client-dynamodb`, ~300 ms to
 * require) loads on the first read or write, in the background of a request, not at init. esbuild
 * keeps the dynamic import lazy inside the bundle.
 */
export function lazyBreakerTable(tableName: string): BreakerStore {
  let store: Promise<BreakerStore> | undefined;
  const loaded = () =>
    (store ??= import('../shared/breaker-store-dynamodb').then(
      ({ DynamoBreakerStore, createBreakerTableClient }) => new DynamoBreakerStore({ tableName, client: createBreakerTableClient() }),
    ));
  return {
    read: async (key) => (await loaded()).read(key),
    write: async (key, next, expectedVersion) => (await loaded()).write(key, next, expectedVersion),
  };
}
