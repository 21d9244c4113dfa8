// The one way a handler builds its breakers: where they share state is decided here, once, for the proxy and the aggregator alike.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { STORE_UNAVAILABLE_METRIC } from '../../contract/metric-names';
import { BREAKER_TABLE_ENV, type ProxyBreakerConfig } from '../../contract/proxy-config';
import { countMetric, metrics as sharedMetrics } from '../observability';
import { preloadStateTables } from '../state-table';
import type { BreakerHooks } from './events';
import type { BasePersistenceLayer } from './persistence/base-persistence-layer';
import { DynamoDBPersistenceLayer } from './persistence/dynamodb-persistence-layer';
import { SharedCircuitBreaker } from './shared-circuit-breaker';

/** One breaker to build: its key (`breakerKey(service, target)`, contract/breaker-key.ts) and its settings. */
export interface BreakerSpec {
  readonly key: string;
  readonly config: ProxyBreakerConfig;
}

export interface CreateBreakersOptions {
  /** Read for `GATEHOUSE_BREAKER_TABLE` when a breaker's `store` is `dynamodb`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Where breakers with `store: dynamodb` share state, instead of the table the environment names
   * (tests: a `DynamoDBPersistenceLayer` on moto_server, or an `InMemoryPersistenceLayer`).
   * @default - the table named by `GATEHOUSE_BREAKER_TABLE`
   */
  readonly persistence?: BasePersistenceLayer;
  /** Where a missing table is reported. */
  readonly logger: Logger;
  /** Where a missing table is counted (`STORE_UNAVAILABLE_METRIC`). @default the shared Powertools metrics */
  readonly metrics?: Metrics;
  /** @default the container-wide `breakerObservability()` hooks */
  readonly hooks?: BreakerHooks;
  /** @default Date.now */
  readonly now?: () => number;
  /** Fields that name the function in the missing-table line, e.g. `{ route }`, next to the breakers' keys. */
  readonly context?: Readonly<Record<string, string>>;
}

/** The breakers of one function, by key. */
export class Breakers {
  constructor(private readonly byKey: ReadonlyMap<string, SharedCircuitBreaker>) {}

  get(key: string): SharedCircuitBreaker | undefined {
    return this.byKey.get(key);
  }

  /** Reads every breaker's shared state (a cold instance starts from the fleet's). Never rejects. */
  async sync(): Promise<void> {
    await Promise.all([...this.byKey.values()].map((breaker) => breaker.sync()));
  }

  /** Resolves once every breaker's background store calls are done, so none is frozen mid-flight with the container. */
  async settled(): Promise<void> {
    await Promise.all([...this.byKey.values()].map((breaker) => breaker.settled()));
  }
}

/**
 * One `SharedCircuitBreaker` per key (specs with a key already built share the first one's breaker:
 * they call one upstream). Breakers with `store: memory` decide alone; those with `store: dynamodb`
 * share state through `options.persistence`, else through the table the environment names.
 *
 * When a breaker should share state and the environment names no table, requests keep flowing with
 * per-instance breakers, and the init says so at `error` level and counts `STORE_UNAVAILABLE_METRIC`
 * once. The proxy used to log an error and the aggregator a warning; error wins, because the cause is
 * a deployment that lost its table wiring, which no retry fixes and which no request shows: each
 * instance then needs its own `minimumRequests` failures before it opens, so a fleet of N instances
 * sends about N times the failing traffic before it backs off. The metric is the one the dashboard
 * already charts for an unreachable table, so the loss of sharing shows where the operator looks for it.
 * Refusing requests instead would turn a missing optimisation into an outage.
 */
export function createBreakers(specs: Iterable<BreakerSpec>, options: CreateBreakersOptions): Breakers {
  const all = [...specs];
  const sharedKeys = [...new Set(all.filter((spec) => spec.config.store === 'dynamodb').map((spec) => spec.key))];
  const persistence = sharedKeys.length > 0 ? (options.persistence ?? tableLayer(sharedKeys, options)) : undefined;
  const byKey = new Map<string, SharedCircuitBreaker>();
  for (const { key, config } of all) {
    if (byKey.has(key)) continue;
    const { failureRate, minimumRequests, windowSeconds, openSeconds, halfOpenProbes, store } = config;
    byKey.set(
      key,
      new SharedCircuitBreaker({
        key,
        // The breaker's own settings: `failureStatuses` and `store` are its caller's business, and it refuses unknown fields.
        config: { failureRate, minimumRequests, windowSeconds, openSeconds, halfOpenProbes },
        ...(store === 'dynamodb' && persistence ? { store: persistence } : {}),
        ...(options.hooks ? { hooks: options.hooks } : {}),
        ...(options.now ? { now: options.now } : {}),
      }),
    );
  }
  return new Breakers(byKey);
}

/** The table the environment names, with the AWS SDK loading in Lambda's init phase; `undefined` (and loudly so) without one. */
function tableLayer(sharedKeys: readonly string[], options: CreateBreakersOptions): BasePersistenceLayer | undefined {
  const tableName = options.env[BREAKER_TABLE_ENV];
  if (!tableName) {
    options.logger.error(`circuitBreaker.store is dynamodb but ${BREAKER_TABLE_ENV} is not set: breakers keep their state per instance`, {
      ...options.context,
      breakers: sharedKeys,
    });
    countMetric(STORE_UNAVAILABLE_METRIC, options.metrics ?? sharedMetrics);
    return undefined;
  }
  void preloadStateTables();
  return new DynamoDBPersistenceLayer({ tableName });
}
