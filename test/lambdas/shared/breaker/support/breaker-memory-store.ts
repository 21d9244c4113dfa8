// The in-memory persistence layer with counters, a gate and injected failures, for ordering and failure cases without a server.
import type {
  BreakerRecord,
  PutRecordResult,
  StoredCircuit,
  UncheckedRecord,
} from '../../../../../lambdas/shared/breaker/persistence/base-persistence-layer';
import { InMemoryPersistenceLayer } from '../../../../../lambdas/shared/breaker/persistence/in-memory-persistence-layer';

export class MemoryBreakerStore extends InMemoryPersistenceLayer {
  /** The stored circuits, without their expiry: what a test sets, deletes (as the TTL would) and asserts on. */
  readonly items = {
    get: (key: string): StoredCircuit | undefined => {
      const record = this.records.get(key);
      if (record === undefined) return undefined;
      const { state, version, openUntilMs, updatedAtMs } = record;
      return { state, version, openUntilMs, updatedAtMs };
    },
    set: (key: string, circuit: StoredCircuit): void => {
      this.records.set(key, { ...circuit, expiresAtSeconds: this.expiresAtSeconds(circuit) });
    },
    delete: (key: string): boolean => this.records.delete(key),
  };
  reads = 0;
  writes = 0;
  /** When set, every call rejects with it, as a store that cannot be reached. */
  failure: Error | undefined;
  /** When set, calls wait for it, so a test can act while a read or write is in flight. */
  gate: Promise<void> | undefined;

  protected override async getRecord(key: string): Promise<UncheckedRecord | undefined> {
    this.reads += 1;
    await this.pass();
    return super.getRecord(key);
  }

  protected override async putRecord(key: string, record: BreakerRecord, expectedVersion: number): Promise<PutRecordResult> {
    this.writes += 1;
    await this.pass();
    return super.putRecord(key, record, expectedVersion);
  }

  /** Holds every call until the returned function is called. */
  hold(): () => void {
    let open: () => void = () => undefined;
    this.gate = new Promise<void>((resolve) => (open = resolve));
    return () => {
      this.gate = undefined;
      open();
    };
  }

  private async pass(): Promise<void> {
    if (this.gate) await this.gate;
    if (this.failure) throw this.failure;
  }
}
