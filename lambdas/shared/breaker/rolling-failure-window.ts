// Counts requests and failures over a rolling time window made of fixed buckets, in constant time per call.

/** Requests and failures the window holds at one moment. */
export interface WindowCounts {
  readonly requests: number;
  readonly failures: number;
}

/**
 * A ring of `buckets` buckets of `bucketMs` each. The newest bucket is the one `now` falls in, so the
 * window covers between `buckets - 1` and `buckets` bucket lengths: older buckets are emptied as time
 * moves past them. A clock that steps back records into the newest bucket instead of rewriting history.
 */
export class RollingFailureWindow {
  private readonly successesIn: number[];
  private readonly failuresIn: number[];
  /** Absolute index (`floor(now / bucketMs)`) of the newest bucket. */
  private head = Number.NEGATIVE_INFINITY;
  private requestTotal = 0;
  private failureTotal = 0;

  constructor(
    private readonly bucketMs: number,
    private readonly buckets: number,
  ) {
    if (!(bucketMs > 0) || !Number.isInteger(buckets) || buckets < 1) {
      throw new TypeError(`RollingFailureWindow needs bucketMs > 0 and an integer buckets >= 1, got ${bucketMs} and ${buckets}`);
    }
    this.successesIn = new Array<number>(buckets).fill(0);
    this.failuresIn = new Array<number>(buckets).fill(0);
  }

  /** Requests in the window as of the last `record` or `countsAt`. */
  get requests(): number {
    return this.requestTotal;
  }

  /** Failures in the window as of the last `record` or `countsAt`. */
  get failures(): number {
    return this.failureTotal;
  }

  /** Adds one request at `nowMs`, failed or not; `requests` and `failures` then include it. */
  record(nowMs: number, failed: boolean): void {
    const slot = this.slotAt(nowMs);
    if (failed) {
      this.failuresIn[slot] = (this.failuresIn[slot] ?? 0) + 1;
      this.failureTotal += 1;
    } else {
      this.successesIn[slot] = (this.successesIn[slot] ?? 0) + 1;
    }
    this.requestTotal += 1;
  }

  /** The counts at `nowMs`, after buckets older than the window are dropped. */
  countsAt(nowMs: number): WindowCounts {
    this.slotAt(nowMs);
    return { requests: this.requestTotal, failures: this.failureTotal };
  }

  reset(): void {
    this.successesIn.fill(0);
    this.failuresIn.fill(0);
    this.requestTotal = 0;
    this.failureTotal = 0;
    this.head = Number.NEGATIVE_INFINITY;
  }

  /** Moves the head to the bucket of `nowMs`, emptying the buckets it passes, and returns the head's slot. */
  private slotAt(nowMs: number): number {
    const bucket = Math.floor(nowMs / this.bucketMs);
    if (bucket > this.head) {
      // At most `buckets` slots to empty, however long the window sat idle.
      const steps = Math.min(bucket - this.head, this.buckets);
      for (let step = steps - 1; step >= 0; step -= 1) this.empty(this.slotOf(bucket - step));
      this.head = bucket;
    }
    return this.slotOf(this.head);
  }

  private empty(slot: number): void {
    this.requestTotal -= (this.successesIn[slot] ?? 0) + (this.failuresIn[slot] ?? 0);
    this.failureTotal -= this.failuresIn[slot] ?? 0;
    this.successesIn[slot] = 0;
    this.failuresIn[slot] = 0;
  }

  private slotOf(bucket: number): number {
    return ((bucket % this.buckets) + this.buckets) % this.buckets;
  }
}
