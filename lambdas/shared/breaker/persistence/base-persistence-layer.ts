// Where breakers share state, decided once for every backend: the record, its version and expiry, the conditional write, bad items.
import type { CircuitState } from '../circuit-breaker';
import { DEFAULT_BREAKER_TTL_SECONDS } from '../../../contract/breaker-table';

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

/** What a backend writes for one breaker: the circuit and when the backend may forget it. */
export interface BreakerRecord extends StoredCircuit {
  /** Epoch seconds after which the record may be removed (DynamoDB's TTL attribute). */
  readonly expiresAtSeconds: number;
}

/**
 * What a backend read back, before the base checks it: an item someone edited by hand can hold anything.
 * `item` is the backend's own form, quoted in the error when the fields are not a circuit.
 */
export interface UncheckedRecord {
  readonly state: string | undefined;
  readonly version: number;
  readonly openUntilMs: number;
  readonly updatedAtMs: number;
  readonly item: unknown;
}

/** A backend's answer to a conditional put: written, or refused with the winner's record when the backend returns it. */
export type PutRecordResult = { readonly written: true } | { readonly written: false; readonly stored?: UncheckedRecord };

export interface BasePersistenceLayerOptions {
  /** How long a record outlives its transition (or its open period), in seconds. @default DEFAULT_BREAKER_TTL_SECONDS */
  readonly ttlSeconds?: number;
}

/** The shortest TTL accepted: DynamoDB removes expired items within days, so a shorter one promises nothing. */
const MIN_TTL_SECONDS = 60;

const STATES: ReadonlySet<string> = new Set<CircuitState>(['closed', 'open', 'half-open']);

/**
 * The one store abstraction of breakers (the shape of Powertools' idempotency `BasePersistenceLayer`):
 * `read` and `write` are what `SharedCircuitBreaker` calls; a backend implements only `getRecord` and
 * `putRecord`. Decided here, once for every backend:
 * - the record written for a transition, and its expiry (`expiresAtSeconds`);
 * - the conditional write: a record replaces the stored one only if the stored version is still the
 *   expected one, or if nothing is stored (an item removed by its TTL does not block the next transition);
 *   a refused write answers with the winner, read again when the backend did not return it;
 * - an item that is not a circuit is an error naming its key, like an unreachable backend.
 *
 * Both methods reject when the backend cannot answer (network, throttling, permissions, a bad item):
 * the breaker then keeps its local state and reports the outage through its hooks (see
 * shared-circuit-breaker.ts). A missing table never reaches a layer: `createBreakers` decides it.
 */
export abstract class BasePersistenceLayer {
  readonly ttlSeconds: number;

  protected constructor(options: BasePersistenceLayerOptions = {}) {
    const ttlSeconds = options.ttlSeconds ?? DEFAULT_BREAKER_TTL_SECONDS;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < MIN_TTL_SECONDS) {
      throw new TypeError(`breaker persistence layer: ttlSeconds must be an integer of at least ${MIN_TTL_SECONDS}, got ${ttlSeconds}`);
    }
    this.ttlSeconds = ttlSeconds;
  }

  /** The state of breaker `key`, or `undefined` when nothing is stored (never written, or expired). */
  async read(key: string): Promise<StoredCircuit | undefined> {
    const record = await this.getRecord(key);
    return record === undefined ? undefined : checkedCircuit(key, record);
  }

  /** Stores `next` only if the stored version is still `expectedVersion`, or if nothing is stored. */
  async write(key: string, next: StoredCircuit, expectedVersion: number): Promise<StoreWriteResult> {
    const { state, version, openUntilMs, updatedAtMs } = next;
    const record: BreakerRecord = { state, version, openUntilMs, updatedAtMs, expiresAtSeconds: this.expiresAtSeconds(next) };
    const result = await this.putRecord(key, record, expectedVersion);
    if (result.written) return { written: true };
    return { written: false, stored: result.stored !== undefined ? checkedCircuit(key, result.stored) : await this.read(key) };
  }

  /** A record lives `ttlSeconds` past its transition, or past the end of its open period when that is later. */
  expiresAtSeconds(circuit: StoredCircuit): number {
    return Math.ceil(Math.max(circuit.updatedAtMs, circuit.openUntilMs) / 1000) + this.ttlSeconds;
  }

  /** The backend's record of `key`, unchecked; `undefined` when it holds none. */
  protected abstract getRecord(key: string): Promise<UncheckedRecord | undefined>;

  /**
   * Writes `record` if the stored version is `expectedVersion` or nothing is stored, atomically with
   * that check; otherwise answers `written: false`, with the stored record if the backend returned it.
   */
  protected abstract putRecord(key: string, record: BreakerRecord, expectedVersion: number): Promise<PutRecordResult>;
}

/**
 * The version a transition writes: one more than the one it replaces, and at least the transition's
 * time in ms. Versions thus keep growing even after the item expired and an instance that never saw it
 * starts again from 0, so "newer" can always be told by comparing versions.
 */
export function nextVersion(expectedVersion: number, atMs: number): number {
  return Math.max(expectedVersion + 1, Math.floor(atMs));
}

/** A stored item that is not a circuit is an error, which the breaker treats as the store failing. */
function checkedCircuit(key: string, record: UncheckedRecord): StoredCircuit {
  const { state, version, openUntilMs, updatedAtMs } = record;
  if (
    state === undefined ||
    !STATES.has(state) ||
    !Number.isFinite(version) ||
    !Number.isFinite(openUntilMs) ||
    !Number.isFinite(updatedAtMs)
  ) {
    throw new TypeError(`breaker item ${JSON.stringify(key)} is malformed: ${JSON.stringify(record.item)}`);
  }
  return { state: state as CircuitState, version, openUntilMs, updatedAtMs };
}
