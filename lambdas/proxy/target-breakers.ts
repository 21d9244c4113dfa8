// One shared circuit breaker per target, built by createBreakers, with what a 503 needs to say (Retry-After).
import { breakerKey } from '../contract/breaker-key';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Permit } from '../shared/breaker/circuit-breaker';
import { createBreakers } from '../shared/breaker/create-breakers';
import { breakerObservability } from '../shared/breaker/observability';
import type { BasePersistenceLayer } from '../shared/breaker/persistence/base-persistence-layer';
import type { BreakerHooks, SharedCircuitBreaker } from '../shared/breaker/shared-circuit-breaker';
import type { ProxyConfig, ProxyTarget } from '../contract/proxy-config';

/** The permit of a target without a breaker: every call is admitted and nothing is recorded. */
export const UNGUARDED: Permit = Object.freeze({ epoch: -1, probe: false });

export interface TargetBreakersDeps {
  /** Overrides the table the environment names (tests: a DynamoDB layer on moto_server). */
  readonly store?: BasePersistenceLayer | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  /** @default the shared Powertools metrics */
  readonly metrics?: Metrics;
  readonly hooks?: BreakerHooks;
  readonly now: () => number;
}

/** The breakers of one proxy function, keyed by target name; none when the config has no `circuitBreaker`. */
export class TargetBreakers {
  private readonly breakers = new Map<string, SharedCircuitBreaker>();
  private readonly openUntil = new Map<string, number>();
  private readonly now: () => number;
  private readonly openSeconds: number;
  /**
   * The shared state read at init, so a cold instance starts from the fleet's state; the first request
   * waits for it at most the shared-state budget. Never rejects.
   */
  readonly ready: Promise<void>;

  constructor(config: ProxyConfig, deps: TargetBreakersDeps) {
    this.now = deps.now;
    const breakerConfig = config.circuitBreaker;
    this.openSeconds = breakerConfig?.openSeconds ?? 0;
    if (breakerConfig === undefined) {
      this.ready = Promise.resolve();
      return;
    }
    const hooks = deps.hooks ?? breakerObservability({ logger: deps.logger });
    const tracking: BreakerHooks = {
      ...hooks,
      onTransition: (event) => {
        if (event.to === 'open') this.openUntil.set(event.key, event.openUntilMs);
        hooks.onTransition?.(event);
      },
    };
    const keys = new Map(config.targets.map((target) => [target.name, breakerKey(config.service, target.name)]));
    const breakers = createBreakers(
      [...keys.values()].map((key) => ({ key, config: breakerConfig })),
      { env: deps.env, persistence: deps.store, logger: deps.logger, metrics: deps.metrics, hooks: tracking, now: deps.now },
    );
    for (const [name, key] of keys) this.breakers.set(name, breakers.get(key) as SharedCircuitBreaker);
    this.ready = breakers.sync();
  }

  /** The target's breaker, undefined without `circuitBreaker`. */
  of(target: ProxyTarget): SharedCircuitBreaker | undefined {
    return this.breakers.get(target.name);
  }

  /** A permit for the target, `UNGUARDED` without a breaker, `undefined` when its circuit is open. */
  admit(target: ProxyTarget): Permit | undefined {
    const breaker = this.breakers.get(target.name);
    return breaker === undefined ? UNGUARDED : breaker.tryAcquire();
  }

  /** Whole seconds until the first of `targets` admits probes again; at least 1. */
  retryAfterSeconds(targets: readonly ProxyTarget[]): number {
    const now = this.now();
    const waits = targets.map((target) => {
      const key = this.breakers.get(target.name)?.key;
      const until = key === undefined ? undefined : this.openUntil.get(key);
      return until === undefined ? this.openSeconds * 1000 : until - now;
    });
    return Math.max(1, Math.ceil(Math.min(...waits) / 1000));
  }

  /** Resolves once every breaker's background store calls are done, so none is frozen mid-flight with the container. */
  async settled(): Promise<void> {
    await Promise.all([...this.breakers.values()].map((breaker) => breaker.settled()));
  }
}
