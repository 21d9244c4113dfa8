// What a shared breaker reports (transitions, store trouble) and the hooks that receive it: types only, so observability needs no breaker.
import type { CircuitTransition } from './circuit-breaker';

export interface BreakerTransitionEvent extends CircuitTransition {
  /** The breaker's key (service and target). */
  readonly key: string;
  /** `local`: this instance decided it; `adopted`: another instance did, and this one took it from the store. */
  readonly origin: 'local' | 'adopted';
  /** True when the store holds this state; false in memory-only mode, when the store failed, or when a later change overtook it. */
  readonly shared: boolean;
}

export interface StoreEvent {
  readonly key: string;
  readonly operation: 'read' | 'write';
  readonly atMs: number;
}

export interface StoreFailureEvent extends StoreEvent {
  readonly error: unknown;
}

/** Where transitions and store trouble go; `breakerObservability()` logs and counts them. Hooks must not throw. */
export interface BreakerHooks {
  readonly onTransition?: (event: BreakerTransitionEvent) => void;
  /** Every failed store call (at most one read per `STORE_RETRY_MS` and one write per transition): throttle before logging. */
  readonly onStoreUnavailable?: (event: StoreFailureEvent) => void;
  /** The first store call that worked after one that failed. */
  readonly onStoreAvailable?: (event: StoreEvent) => void;
}
