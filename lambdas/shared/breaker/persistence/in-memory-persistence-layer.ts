// Breaker state kept in this process: the conditional semantics of the table without a table.
import {
  BasePersistenceLayer,
  type BasePersistenceLayerOptions,
  type BreakerRecord,
  type PutRecordResult,
  type UncheckedRecord,
} from './base-persistence-layer';

/**
 * Records in a map, written under the same version condition as the DynamoDB layer, so breakers in one
 * process (tests, benchmarks, a local run) share state exactly as instances share the table. Records
 * are never expired: the process ends long before a TTL would matter.
 *
 * A deployed function without a table does not use it: its breakers keep no layer at all and decide
 * alone, synchronously (see create-breakers.ts), which is what a layer private to one instance would
 * amount to, minus the background writes.
 */
export class InMemoryPersistenceLayer extends BasePersistenceLayer {
  protected readonly records = new Map<string, BreakerRecord>();

  constructor(options: BasePersistenceLayerOptions = {}) {
    super(options);
  }

  protected getRecord(key: string): Promise<UncheckedRecord | undefined> {
    const record = this.records.get(key);
    return Promise.resolve(record === undefined ? undefined : { ...record, item: record });
  }

  protected putRecord(key: string, record: BreakerRecord, expectedVersion: number): Promise<PutRecordResult> {
    const stored = this.records.get(key);
    if (stored !== undefined && stored.version !== expectedVersion)
      return Promise.resolve({ written: false, stored: { ...stored, item: stored } });
    this.records.set(key, record);
    return Promise.resolve({ written: true });
  }
}
