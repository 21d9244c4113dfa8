// A target's breaker as the proxy and the aggregator use it: local decisions, shared with other instances through a persistence layer when one is given.
import { nextVersion, type BasePersistenceLayer, type StoredCircuit } from './persistence/base-persistence-layer';
import { CircuitBreaker, type CircuitState, type CircuitTransition, type Permit } from './circuit-breaker';
import type { CircuitBreakerConfig, CircuitBreakerInput } from '../../contract/circuit-breaker-config';
import { breakerObservability } from './observability';

import type { BreakerHooks, BreakerTransitionEvent, StoreEvent } from './events';

export type { BreakerHooks, BreakerTransitionEvent, StoreEvent, StoreFailureEvent } from './events';

/** How long the local copy of the shared state is trusted before it is read again in the background. */
export const DEFAULT_CACHE_MS = 1000;
/** After the store failed, the next read waits at least this long, so an outage is not hammered. */
export const STORE_RETRY_MS = 5000;
const MAX_CACHE_MS = 60_000;

export interface SharedCircuitBreakerOptions {
  /** Identifies the breaker in the store and in logs: service and target, never a per-request value. */
  readonly key: string;
  readonly config?: CircuitBreakerInput;
  /** Where instances share state. @default - memory only: this instance decides alone */
  readonly store?: BasePersistenceLayer;
  /** How long the local copy of the shared state is trusted, in ms. @default DEFAULT_CACHE_MS */
  readonly cacheMs?: number;
  /** @default the container-wide `breakerObservability()` hooks */
  readonly hooks?: BreakerHooks;
  /** Clock in epoch ms, for the breaker and the cache. @default Date.now */
  readonly now?: () => number;
}

let containerHooks: BreakerHooks | undefined;

/**
 * The per-target breaker of the resilient proxy and of aggregate parts (handlers build it with `createBreakers`).
 *
 * `tryAcquire`, `onSuccess`, `onFailure` and `release` are synchronous and never wait for the store.
 * With a store:
 * - a transition decided here is written in the background, conditional on the version this instance
 *   last saw; when another instance wrote first, this one adopts what is stored instead;
 * - the stored state is read again in the background once the local copy is `cacheMs` old, so
 *   transitions made elsewhere arrive within about `cacheMs` of the next request;
 * - when the store fails, the breaker goes on with its local state and reports it through
 *   `hooks.onStoreUnavailable`; nothing is thrown to the caller.
 */
export class SharedCircuitBreaker {
  readonly key: string;
  private readonly core: CircuitBreaker;
  private readonly store: BasePersistenceLayer | undefined;
  private readonly cacheMs: number;
  private readonly hooks: BreakerHooks;
  private readonly now: () => number;

  /** Version of the stored state this instance last wrote or adopted; 0 before it knows any. */
  private knownVersion = 0;
  private nextReadAt = 0;
  private reading: Promise<void> | undefined;
  private writes: Promise<void> = Promise.resolve();
  private pendingWrites = 0;
  private storeFailing = false;

  constructor(options: SharedCircuitBreakerOptions) {
    if (typeof options.key !== 'string' || options.key.length === 0) {
      throw new TypeError(`SharedCircuitBreaker: key must be a non-empty string, got ${JSON.stringify(options.key)}`);
    }
    const cacheMs = options.cacheMs ?? DEFAULT_CACHE_MS;
    if (!Number.isInteger(cacheMs) || cacheMs < 0 || cacheMs > MAX_CACHE_MS) {
      throw new TypeError(`SharedCircuitBreaker: cacheMs must be an integer from 0 to ${MAX_CACHE_MS}, got ${cacheMs}`);
    }
    this.key = options.key;
    this.store = options.store;
    this.cacheMs = cacheMs;
    this.hooks = options.hooks ?? (containerHooks ??= breakerObservability());
    this.now = options.now ?? Date.now;
    this.core = new CircuitBreaker(options.config, { now: this.now, onTransition: (transition) => this.changed(transition) });
  }

  get config(): CircuitBreakerConfig {
    return this.core.config;
  }

  get state(): CircuitState {
    return this.core.state;
  }

  /** A permit to call the target, or `undefined` to fail fast. Starts a background read when the local copy is stale. */
  tryAcquire(): Permit | undefined {
    if (this.store !== undefined && this.reading === undefined && this.pendingWrites === 0) {
      const now = this.now();
      if (now >= this.nextReadAt) this.reading = this.read(this.store, now);
    }
    return this.core.tryAcquire();
  }

  onSuccess(permit: Permit): void {
    this.core.onSuccess(permit);
  }

  onFailure(permit: Permit): void {
    this.core.onFailure(permit);
  }

  release(permit: Permit): void {
    this.core.release(permit);
  }

  /** Reads the shared state now (e.g. at init, so a cold instance starts from the fleet's state). Never rejects. */
  async sync(): Promise<void> {
    if (this.store === undefined) return;
    await this.settled();
    this.reading = this.read(this.store, this.now());
    await this.reading;
  }

  /**
   * Resolves once the background reads and writes started so far are done. Never rejects. A handler
   * awaits it before returning: a call still in flight when Lambda freezes the container may time out
   * on thaw and be reported as an outage. The read started with the request is usually done by then.
   */
  async settled(): Promise<void> {
    await Promise.all([this.reading, this.writes]);
  }

  private changed(transition: CircuitTransition): void {
    if (transition.reason === 'adopted') return this.emit(transition, 'adopted', true);
    const store = this.store;
    if (store === undefined) return this.emit(transition, 'local', false);
    this.pendingWrites += 1;
    this.writes = this.writes.then(() => this.write(store, transition)).finally(() => (this.pendingWrites -= 1));
  }

  private async write(store: BasePersistenceLayer, transition: CircuitTransition): Promise<void> {
    // A later change overtook this one before its turn came: only the newest state is worth writing.
    if (transition.epoch !== this.core.epoch) return this.emit(transition, 'local', false);
    const next: StoredCircuit = {
      state: transition.to,
      version: nextVersion(this.knownVersion, transition.atMs),
      openUntilMs: transition.openUntilMs,
      updatedAtMs: transition.atMs,
    };
    try {
      const result = await store.write(this.key, next, this.knownVersion);
      this.storeAnswered('write');
      if (result.written) {
        this.knownVersion = next.version;
        this.nextReadAt = this.now() + this.cacheMs;
        this.emit(transition, 'local', true);
      } else if (result.stored !== undefined) {
        this.adopt(result.stored);
      } else {
        this.emit(transition, 'local', false); // lost to an item that then vanished: nothing to adopt
      }
    } catch (error) {
      this.storeFailed('write', error);
      this.emit(transition, 'local', false);
    }
  }

  private async read(store: BasePersistenceLayer, startedAt: number): Promise<void> {
    this.nextReadAt = startedAt + this.cacheMs;
    try {
      const stored = await store.read(this.key);
      this.storeAnswered('read');
      // A write of this instance may have finished meanwhile: only a newer version is news.
      if (stored !== undefined && stored.version > this.knownVersion && this.pendingWrites === 0) this.adopt(stored);
    } catch (error) {
      this.nextReadAt = startedAt + Math.max(this.cacheMs, STORE_RETRY_MS);
      this.storeFailed('read', error);
    } finally {
      this.reading = undefined;
    }
  }

  private adopt(stored: StoredCircuit): void {
    this.knownVersion = stored.version;
    this.core.adopt(stored.state, stored.state === 'open' ? stored.openUntilMs : undefined);
  }

  private storeAnswered(operation: StoreEvent['operation']): void {
    if (!this.storeFailing) return;
    this.storeFailing = false;
    this.call(this.hooks.onStoreAvailable, { key: this.key, operation, atMs: this.now() });
  }

  private storeFailed(operation: StoreEvent['operation'], error: unknown): void {
    this.storeFailing = true;
    this.call(this.hooks.onStoreUnavailable, { key: this.key, operation, atMs: this.now(), error });
  }

  private emit(transition: CircuitTransition, origin: BreakerTransitionEvent['origin'], shared: boolean): void {
    this.call(this.hooks.onTransition, { ...transition, key: this.key, origin, shared });
  }

  /** A hook that throws must not turn into an exception on the request path or a rejected background promise. */
  private call<E>(hook: ((event: E) => void) | undefined, event: E): void {
    try {
      hook?.(event);
    } catch {
      // Hooks only log and count; there is nowhere better to report their failure.
    }
  }
}
