// The breaker and counter stores on their DynamoDB tables, loaded with the AWS SDK on first use and sharing one client.
import type { BreakerStore } from './breaker/persistence/base-persistence-layer';
import type { CounterStore } from './rate-limit/counter-store';

/**
 * Loads `@aws-sdk/client-dynamodb` (~300 ms to require on a cold instance) and the container's one
 * client. A handler calls it at init when its config uses a table, so a cold start pays the load in
 * Lambda's init phase; one without a table never pays it. Store calls wait for it themselves.
 */
export function preloadStateTables(): Promise<unknown> {
  const loading = loadModules();
  loading.catch(() => undefined); // a failed load surfaces on the first store call, which the stores report
  return loading;
}

let modules: Promise<[typeof import('./breaker/persistence/dynamodb-persistence-layer'), typeof import('./rate-limit/counter-store-dynamodb'), typeof import('./state-table-client')]> | undefined;

function loadModules() {
  modules ??= Promise.all([import('./breaker/persistence/dynamodb-persistence-layer'), import('./rate-limit/counter-store-dynamodb'), import('./state-table-client')]);
  return modules;
}

/** A `DynamoBreakerStore` on `tableName`, built on the first call. */
export function lazyBreakerStore(tableName: string): BreakerStore {
  let store: Promise<BreakerStore> | undefined;
  const loaded = () =>
    (store ??= loadModules().then(([{ DynamoBreakerStore }, , { containerStateTableClient }]) => new DynamoBreakerStore({ tableName, client: containerStateTableClient() })));
  return {
    read: async (key) => (await loaded()).read(key),
    write: async (key, next, expectedVersion) => (await loaded()).write(key, next, expectedVersion),
  };
}

/** A `DynamoCounterStore` on `tableName`, built on the first call. */
export function lazyCounterStore(tableName: string): CounterStore {
  let store: Promise<CounterStore> | undefined;
  const loaded = () =>
    (store ??= loadModules().then(([, { DynamoCounterStore }, { containerStateTableClient }]) => new DynamoCounterStore({ tableName, client: containerStateTableClient() })));
  return {
    increment: async (window, ceiling) => (await loaded()).increment(window, ceiling),
    read: async (window) => (await loaded()).read(window),
  };
}
