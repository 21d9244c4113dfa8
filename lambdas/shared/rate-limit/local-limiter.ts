// The fast path: what this instance last learned of each counter, enough to refuse a client already over its limit without a table call.
import { decideWindow, windowStartOf, type WindowDecision } from './sliding-window';

/** Counters remembered per instance; the least recently used is forgotten first. */
export const DEFAULT_LOCAL_COUNTERS = 10_000;
/**
 * The clock skew between instances the previous window's count allows for: read at the start of a
 * window, it is read once more after this long, when instances whose clocks lag have stopped adding
 * to it. After that a previous window is over everywhere and its count no longer changes.
 */
export const PREVIOUS_WINDOW_SETTLE_MS = 2000;

/** Lower bounds of a client's shared counts: counts only grow, so whatever this instance saw is at most the truth. */
export interface KnownCounts {
  readonly windowSeconds: number;
  /** Epoch seconds of the fixed window these counts belong to. */
  windowStart: number;
  /** The highest count of this window seen here (from the table, or counted here while it was unreachable). */
  current: number;
  /** The previous window's count, as last read or as this instance last saw it before the window ended. */
  previous: number;
  /** Elapsed ms into this window when the previous count was read from the table; undefined while not read. */
  previousReadAtMs: number | undefined;
}

/**
 * Why the fast path is safe: the estimate grows with both counts, and the counts known here are lower
 * bounds of the shared ones, so a request the fast path refuses would have been refused by the table
 * too (except for counts this instance added alone while the table was unreachable). A refusal here
 * costs no table call, and the client is admitted again as soon as its estimate allows.
 */
export class LocalLimiter {
  private readonly counters = new Map<string, KnownCounts>();
  private readonly maxCounters: number;

  constructor(maxCounters: number = DEFAULT_LOCAL_COUNTERS) {
    if (!Number.isInteger(maxCounters) || maxCounters < 1) {
      throw new TypeError(`LocalLimiter: maxCounters must be a positive integer, got ${maxCounters}`);
    }
    this.maxCounters = maxCounters;
  }

  get size(): number {
    return this.counters.size;
  }

  /** What is known of the client's counter in the window holding `nowMs`; moves it to the front of the LRU order. */
  known(clientKey: string, windowSeconds: number, nowMs: number): KnownCounts {
    const id = `${clientKey}#${windowSeconds}`;
    const windowStart = windowStartOf(nowMs, windowSeconds);
    let counts = this.counters.get(id);
    if (counts === undefined) {
      counts = { windowSeconds, windowStart, current: 0, previous: 0, previousReadAtMs: undefined };
      if (this.counters.size >= this.maxCounters) this.forgetOldest();
    } else {
      this.counters.delete(id);
      if (counts.windowStart !== windowStart) rollOver(counts, windowStart);
    }
    this.counters.set(id, counts);
    return counts;
  }

  /** The refusal when one more request would take the estimate over `limit`, without asking the table. */
  refusal(counts: KnownCounts, limit: number, nowMs: number): WindowDecision | undefined {
    const decision = decideWindow({
      limit,
      windowSeconds: counts.windowSeconds,
      nowMs,
      previous: counts.previous,
      current: counts.current + 1,
      recorded: false,
    });
    return decision.allowed ? undefined : decision;
  }

  /**
   * Whether the previous window's count must be read: never read yet, or read before it settled. A
   * previous count at the limit is exact already, since the estimate caps it there.
   */
  needsPrevious(counts: KnownCounts, limit: number, nowMs: number): boolean {
    if (counts.previous >= limit) return false;
    if (counts.previousReadAtMs === undefined) return true;
    return counts.previousReadAtMs < PREVIOUS_WINDOW_SETTLE_MS && elapsedMs(counts, nowMs) >= PREVIOUS_WINDOW_SETTLE_MS;
  }

  /** A count the table returned for window `windowStart`; ignored if another request rolled the counts over meanwhile. */
  learnCurrent(counts: KnownCounts, windowStart: number, count: number): void {
    if (counts.windowStart === windowStart) counts.current = Math.max(counts.current, count);
  }

  /** The previous window's count, read at `readAtMs` for window `windowStart`; ignored likewise. */
  learnPrevious(counts: KnownCounts, windowStart: number, count: number, readAtMs: number): void {
    if (counts.windowStart !== windowStart) return;
    counts.previous = Math.max(counts.previous, count);
    counts.previousReadAtMs = elapsedMs(counts, readAtMs);
  }

  private forgetOldest(): void {
    const oldest = this.counters.keys().next();
    if (!oldest.done) this.counters.delete(oldest.value);
  }
}

function elapsedMs(counts: KnownCounts, nowMs: number): number {
  return nowMs - counts.windowStart * 1000;
}

/** A new window: the one that just ended becomes the previous one, known at least as far as this instance saw it. */
function rollOver(counts: KnownCounts, windowStart: number): void {
  counts.previous = counts.windowStart === windowStart - counts.windowSeconds ? counts.current : 0;
  counts.previousReadAtMs = undefined;
  counts.current = 0;
  counts.windowStart = windowStart;
}
