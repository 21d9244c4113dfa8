// The contract between a breaker and the place its state is shared through: versioned transitions, conditional writes.
import type { CircuitState } from '../circuit-breaker';

/** The last transition of one breaker, as every instance sees it. */
export interface StoredCircuit {
  readonly state: CircuitState;
  /** Grows with every write; a write names the version it replaces, so two writers never both win. */
  readonly version: number;
  /** When an open circuit starts admitting probes (epoch ms); 0 for other states. */
  readonly openUntilMs: number;
  /** When the transition happened (epoch ms). */
  readonly updatedAtMs: number;
}

/** A write either replaced the expected version, or lost to another writer whose state is returned. */
export type StoreWriteResult =
  | { readonly written: true }
  | {
      readonly written: false;
      /** What is stored now; `undefined` only when the item vanished between the write and its check. */
      readonly stored: StoredCircuit | undefined;
    };

/**
 * Where breakers share state. Both methods throw when the store cannot answer (network, throttling,
 * permissions); the breaker then keeps its local state.
 */
export interface BreakerStore {
  /** The state of breaker `key`, or `undefined` when nothing is stored (never written, or expired). */
  read(key: string): Promise<StoredCircuit | undefined>;
  /**
   * Stores `next` only if the stored version is still `expectedVersion`, or if nothing is stored (an
   * item removed by its TTL does not block the next transition).
   */
  write(key: string, next: StoredCircuit, expectedVersion: number): Promise<StoreWriteResult>;
}

/**
 * The version a transition writes: one more than the one it replaces, and at least the transition's
 * time in ms. Versions thus keep growing even after the item expired and an instance that never saw it
 * starts again from 0, so "newer" can always be told by comparing versions.
 */
export function nextVersion(expectedVersion: number, atMs: number): number {
  return Math.max(expectedVersion + 1, Math.floor(atMs));
}
