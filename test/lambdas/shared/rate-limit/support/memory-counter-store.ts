// An in-process CounterStore for limiter tests: counts in a Map, calls counted, failures switchable.
import type { CounterStore, CounterWindow, IncrementResult } from '../../../../../lambdas/shared/rate-limit/counter-store';

export class MemoryCounterStore implements CounterStore {
  readonly counts = new Map<string, number>();
  increments = 0;
  reads = 0;
  /** While set, every call rejects with it, as an unreachable table would. */
  failWith: Error | undefined = undefined;

  async increment(window: CounterWindow, ceiling: number): Promise<IncrementResult> {
    if (this.failWith) throw this.failWith;
    this.increments += 1;
    const count = this.counts.get(window.key) ?? 0;
    if (count >= ceiling) return { counted: false, count };
    this.counts.set(window.key, count + 1);
    return { counted: true, count: count + 1 };
  }

  async read(window: CounterWindow): Promise<number> {
    if (this.failWith) throw this.failWith;
    this.reads += 1;
    return this.counts.get(window.key) ?? 0;
  }
}
