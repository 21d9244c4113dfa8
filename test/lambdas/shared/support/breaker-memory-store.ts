// An in-process BreakerStore with the DynamoDB store's conditional semantics, for ordering and failure cases without a server.
import type { BreakerStore, StoredCircuit, StoreWriteResult } from '../../../../lambdas/shared/breaker/persistence/base-persistence-layer';

export class MemoryBreakerStore implements BreakerStore {
  readonly items = new Map<string, StoredCircuit>();
  reads = 0;
  writes = 0;
  /** When set, every call rejects with it, as a store that cannot be reached. */
  failure: Error | undefined;
  /** When set, calls wait for it, so a test can act while a read or write is in flight. */
  gate: Promise<void> | undefined;

  async read(key: string): Promise<StoredCircuit | undefined> {
    this.reads += 1;
    await this.pass();
    return this.items.get(key);
  }

  async write(key: string, next: StoredCircuit, expectedVersion: number): Promise<StoreWriteResult> {
    this.writes += 1;
    await this.pass();
    const stored = this.items.get(key);
    if (stored !== undefined && stored.version !== expectedVersion) return { written: false, stored };
    this.items.set(key, next);
    return { written: true };
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
