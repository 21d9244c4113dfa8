// BasePersistenceLayer: what every backend gets without writing it (expiry, the winner of a refused write, bad items, the TTL floor).
import { describe, expect, it } from 'vitest';
import {
  BasePersistenceLayer,
  type BreakerRecord,
  type PutRecordResult,
  type StoredCircuit,
  type UncheckedRecord,
} from '../../../../../lambdas/shared/breaker/persistence/base-persistence-layer';
import { InMemoryPersistenceLayer } from '../../../../../lambdas/shared/breaker/persistence/in-memory-persistence-layer';
import { DEFAULT_BREAKER_TTL_SECONDS } from '../../../../../lambdas/contract/breaker-table';

const T0 = 1_700_000_000_000;
const OPEN: StoredCircuit = { state: 'open', version: T0, openUntilMs: T0 + 30_000, updatedAtMs: T0 };

/** A backend that records what it was asked to put and answers from a script. */
class ScriptedLayer extends BasePersistenceLayer {
  puts: BreakerRecord[] = [];
  constructor(
    private readonly stored: UncheckedRecord | undefined,
    private readonly putAnswer: PutRecordResult,
    ttlSeconds?: number,
  ) {
    super(ttlSeconds === undefined ? {} : { ttlSeconds });
  }
  protected getRecord(): Promise<UncheckedRecord | undefined> {
    return Promise.resolve(this.stored);
  }
  protected putRecord(_key: string, record: BreakerRecord): Promise<PutRecordResult> {
    this.puts.push(record);
    return Promise.resolve(this.putAnswer);
  }
}

const unchecked = (circuit: StoredCircuit): UncheckedRecord => ({ ...circuit, item: circuit });

describe('GIVEN a backend behind BasePersistenceLayer', () => {
  it('WHEN a transition is written THEN its record expires the TTL after the later of the transition and the open period', async () => {
    const layer = new ScriptedLayer(undefined, { written: true }, 3600);
    expect(await layer.write('k', OPEN, 0)).toEqual({ written: true });
    expect(layer.puts).toEqual([{ ...OPEN, expiresAtSeconds: (T0 + 30_000) / 1000 + 3600 }]);
  });

  it('WHEN no TTL is given THEN records live DEFAULT_BREAKER_TTL_SECONDS', () => {
    expect(new ScriptedLayer(undefined, { written: true }).ttlSeconds).toBe(DEFAULT_BREAKER_TTL_SECONDS);
  });

  it('WHEN a write loses and the backend returns the winner THEN the winner is the answer, without a read', async () => {
    const winner = { ...OPEN, version: T0 + 5 };
    const layer = new ScriptedLayer(undefined, { written: false, stored: unchecked(winner) });
    expect(await layer.write('k', OPEN, 0)).toEqual({ written: false, stored: winner });
  });

  it('WHEN a write loses and the backend does not return the winner THEN it is read', async () => {
    const winner = { ...OPEN, state: 'half-open' as const, openUntilMs: 0 };
    const layer = new ScriptedLayer(unchecked(winner), { written: false });
    expect(await layer.write('k', OPEN, 0)).toEqual({ written: false, stored: winner });
  });

  it.each([
    ['an unknown state', { ...OPEN, state: 'ajar' }],
    ['no state', { ...OPEN, state: undefined }],
    ['a version that is not a number', { ...OPEN, version: Number.NaN }],
  ])('WHEN the stored item has %s THEN the read rejects naming the key', async (_what, record) => {
    const layer = new ScriptedLayer({ ...record, item: { pk: 'k' } }, { written: true });
    await expect(layer.read('k')).rejects.toThrow(/breaker item "k" is malformed: \{"pk":"k"\}/);
  });

  it.each([59, 60.5])('WHEN ttlSeconds is %s THEN a TypeError names the setting', (ttlSeconds) => {
    expect(() => new ScriptedLayer(undefined, { written: true }, ttlSeconds)).toThrow(
      `ttlSeconds must be an integer of at least 60, got ${ttlSeconds}`,
    );
  });
});

describe('GIVEN the in-memory layer', () => {
  it('WHEN writers race on one key THEN only the one naming the stored version wins, and an empty key takes any version', async () => {
    const layer = new InMemoryPersistenceLayer();
    expect(await layer.write('k', OPEN, 7)).toEqual({ written: true });
    const closed: StoredCircuit = { state: 'closed', version: T0 + 1, openUntilMs: 0, updatedAtMs: T0 + 1 };
    expect(await layer.write('k', closed, 0)).toEqual({ written: false, stored: OPEN });
    expect(await layer.write('k', closed, OPEN.version)).toEqual({ written: true });
    expect(await layer.read('k')).toEqual(closed);
    expect(await layer.read('other')).toBeUndefined();
  });
});
