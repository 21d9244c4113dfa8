// What a rate limiter reports (decisions, table trouble) and the hooks that receive it: types only, so observability needs no limiter.

export interface RateLimitDecisionEvent {
  readonly scope: string;
  readonly allowed: boolean;
  /** `store`: decided on the table's counts; `local`: refused by the fast path; `degraded`: the table was unreachable. */
  readonly source: 'store' | 'local' | 'degraded';
  readonly window: number;
}

export interface RateLimitStoreEvent {
  readonly scope: string;
  readonly atMs: number;
}

export interface RateLimitStoreFailureEvent extends RateLimitStoreEvent {
  readonly error: unknown;
}

/** Where decisions and table trouble go; `rateLimitObservability()` logs and counts them. Hooks must not throw. */
export interface RateLimitHooks {
  readonly onDecision?: (event: RateLimitDecisionEvent) => void;
  /** Every failed table call, at most one per `STORE_RETRY_MS` per limiter: throttle before logging. */
  readonly onStoreUnavailable?: (event: RateLimitStoreFailureEvent) => void;
  /** The first table call that worked after one that failed. */
  readonly onStoreAvailable?: (event: RateLimitStoreEvent) => void;
}
