// Where instances share rate-limit counters: one counter per client, window length and fixed window.

/** One fixed window of one client under one limit. */
export interface CounterWindow {
  /** `${scope}#${clientKey}#${windowSeconds}#${windowStart}`, from `counterKey`. */
  readonly key: string;
  /** When the store may drop the counter, in epoch seconds: the end of the window after it. */
  readonly expiresAtSeconds: number;
}

export interface IncrementResult {
  /** Whether the request was counted: the count was below the ceiling. */
  readonly counted: boolean;
  /** The count after the increment when counted; otherwise the count that refused it. */
  readonly count: number;
}

/** Every call may reject when the store cannot be reached; the limiter then decides without it. */
export interface CounterStore {
  /**
   * Adds 1 atomically if, and only if, the count is below `ceiling`; concurrent callers each see a
   * distinct count, so at most `ceiling` increments ever succeed. A refused request changes nothing.
   */
  increment(window: CounterWindow, ceiling: number): Promise<IncrementResult>;
  /** The count now, 0 when the counter does not exist. */
  read(window: CounterWindow): Promise<number>;
}

/**
 * The key of a counter. A client key never contains `#` (see `client-key.ts`) and the last two parts
 * are numbers, so keys of different scopes, clients and windows cannot coincide.
 */
export function counterKey(scope: string, clientKey: string, windowSeconds: number, windowStart: number): string {
  return `${scope}#${clientKey}#${windowSeconds}#${windowStart}`;
}

/** The counter of `windowStart`, kept until the window after it is over (it is read as "previous" then). */
export function counterWindow(scope: string, clientKey: string, windowSeconds: number, windowStart: number): CounterWindow {
  return { key: counterKey(scope, clientKey, windowSeconds, windowStart), expiresAtSeconds: windowStart + 2 * windowSeconds };
}
