// The breaker and counter tables' DynamoDB client and stores, loaded with the AWS SDK on first use and sharing one client.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
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

let modules: Promise<[typeof import('./rate-limit/counter-store-dynamodb'), typeof import('./state-table-client')]> | undefined;

function loadModules() {
  modules ??= Promise.all([import('./rate-limit/counter-store-dynamodb'), import('./state-table-client')]);
  return modules;
}

/** The container's one client (the breakers' `DynamoDBPersistenceLayer` calls through it), built on the first call. */
export async function lazyStateTableClient(): Promise<DynamoDBClient> {
  const [, { containerStateTableClient }] = await loadModules();
  return containerStateTableClient();
}

/** A `DynamoCounterStore` on `tableName`, built on the first call. */
export function lazyCounterStore(tableName: string): CounterStore {
  let store: Promise<CounterStore> | undefined;
  const loaded = () =>
    (store ??= loadModules().then(
      ([{ DynamoCounterStore }, { containerStateTableClient }]) =>
        new DynamoCounterStore({ tableName, client: containerStateTableClient() }),
    ));
  return {
    increment: async (window, ceiling) => (await loaded()).increment(window, ceiling),
    read: async (window) => (await loaded()).read(window),
  };
}
