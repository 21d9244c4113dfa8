// The sliding-window-counter estimate and the decision it leads to for one window; pure, the clock is an argument.

/**
 * How many requests the last `windowSeconds` held, estimated from two fixed-window counters (the
 * approach of Cloudflare and Kong): the previous window's count weighted by the share of it still
 * inside the sliding window, plus the current window's count. It assumes the previous window's
 * requests were spread evenly; Cloudflare measured 0.003 % of decisions wrong on real traffic.
 *
 * The previous count is capped at `limit`: a window never admits more, unless the limit was lowered
 * since, and a window admitted under a higher limit must not block the next one for longer.
 */
export function slidingEstimate(limit: number, previous: number, current: number, elapsedFraction: number): number {
  return Math.min(previous, limit) * (1 - elapsedFraction) + current;
}

/** Start of the fixed window holding `nowMs`, in epoch seconds. */
export function windowStartOf(nowMs: number, windowSeconds: number): number {
  return Math.floor(nowMs / 1000 / windowSeconds) * windowSeconds;
}

export interface WindowCounts {
  readonly limit: number;
  readonly windowSeconds: number;
  readonly nowMs: number;
  /** Count of the previous fixed window (a lower bound does: the estimate only grows with it). */
  readonly previous: number;
  /** Count of the current fixed window including the request being decided. */
  readonly current: number;
  /** Whether `current` includes the request in the shared counter (true when the table counted it). */
  readonly recorded: boolean;
}

export interface WindowDecision {
  readonly allowed: boolean;
  readonly windowSeconds: number;
  readonly limit: number;
  /** Requests left before the estimate reaches the limit, assuming no one else sends any. */
  readonly remaining: number;
  /** Seconds until the current fixed window ends (the `RateLimit-Reset` header). */
  readonly resetSeconds: number;
  /** When refused: seconds until one more request would be admitted, if no one else sends any. */
  readonly retryAfterSeconds?: number;
}

/**
 * The highest count of the current window the estimate admits: `floor(limit - weighted previous)`.
 * The table is asked to count a request only while its count is below this ceiling, so the counter
 * and the decision agree to the last request, and refused requests are never counted.
 */
export function admissionCeiling(limit: number, previous: number, elapsedFraction: number): number {
  return Math.floor(limit - Math.min(previous, limit) * (1 - elapsedFraction));
}

/**
 * Admits the request when the estimate including it stays within the limit, i.e. its count is at
 * most the ceiling. The ceiling never exceeds the limit, so a fixed window admits at most `limit`
 * requests whatever the previous window held: the table hands each counted request a distinct count.
 */
export function decideWindow(counts: WindowCounts): WindowDecision {
  const { limit, windowSeconds, nowMs, previous, current } = counts;
  const windowMs = windowSeconds * 1000;
  const elapsedMs = nowMs - windowStartOf(nowMs, windowSeconds) * 1000;
  const ceiling = admissionCeiling(limit, previous, elapsedMs / windowMs);
  const resetSeconds = Math.max(1, Math.ceil((windowMs - elapsedMs) / 1000));
  if (current <= ceiling) {
    return { allowed: true, windowSeconds, limit, remaining: ceiling - current, resetSeconds };
  }
  const recordedCount = counts.recorded ? current : current - 1;
  const waitMs = waitForNextAdmissionMs(limit, Math.min(previous, limit), recordedCount, elapsedMs, windowMs);
  return { allowed: false, windowSeconds, limit, remaining: 0, resetSeconds, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

/** Elapsed share of the fixed window holding `nowMs`, from 0 (inclusive) to 1 (exclusive). */
export function elapsedFractionOf(nowMs: number, windowSeconds: number): number {
  return (nowMs - windowStartOf(nowMs, windowSeconds) * 1000) / (windowSeconds * 1000);
}

/**
 * When the estimate falls low enough for one more request: within this window if the current count
 * leaves room, as the previous window's weight fades; otherwise in the next window, whose previous
 * window is then this full one.
 */
function waitForNextAdmissionMs(limit: number, cappedPrevious: number, recordedCount: number, elapsedMs: number, windowMs: number): number {
  if (recordedCount + 1 <= limit && cappedPrevious > 0) {
    const admitAtMs = windowMs * (1 - (limit - recordedCount - 1) / cappedPrevious);
    return Math.max(0, admitAtMs - elapsedMs);
  }
  return windowMs - elapsedMs + windowMs / limit;
}

/**
 * The window a response reports: when refused, the refusing window that makes the client wait
 * longest; otherwise the window with the fewest requests left (ties: the later reset).
 */
export function mostRestrictive(decisions: readonly WindowDecision[]): WindowDecision {
  let chosen: WindowDecision | undefined;
  for (const decision of decisions) {
    if (chosen === undefined || isMoreRestrictive(decision, chosen)) chosen = decision;
  }
  if (chosen === undefined) throw new TypeError('mostRestrictive needs at least one window decision');
  return chosen;
}

function isMoreRestrictive(a: WindowDecision, b: WindowDecision): boolean {
  if (a.allowed !== b.allowed) return !a.allowed;
  if (!a.allowed) return (a.retryAfterSeconds ?? 0) > (b.retryAfterSeconds ?? 0);
  if (a.remaining !== b.remaining) return a.remaining < b.remaining;
  return a.resetSeconds > b.resetSeconds;
}
