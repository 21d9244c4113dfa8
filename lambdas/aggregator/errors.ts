// Why one part of an aggregate failed: a stable code per cause, and what a required part's failure answers.
import type { UpstreamErrorCode } from '../shared/http-client';

/**
 * Stable codes of `PartError`; the error body, logs and metrics use them.
 * - `upstream_*`: the shared HTTP client's codes (timeout, connect_failed, reset, too_large, bad_response).
 * - `upstream_status`: the part answered a status outside 2xx.
 * - `not_json`: a 2xx whose Content-Type is not JSON (`application/json`, `*+json`).
 * - `malformed_json`: a JSON Content-Type whose body does not parse.
 * - `circuit_open`: the part's breaker refused the call; nothing was sent.
 * - `missing_value`: a placeholder had no value (absent, empty, or not a string, number or boolean).
 * - `unsafe_path`: the rendered path left the template's prefix or held a `.`/`..` segment.
 * - `dependency_failed`: a part this one takes a value from failed, so this one was not called.
 */
export type PartErrorCode =
  | UpstreamErrorCode
  | 'upstream_status'
  | 'not_json'
  | 'malformed_json'
  | 'circuit_open'
  | 'missing_value'
  | 'unsafe_path'
  | 'dependency_failed';

export interface PartErrorDetails {
  /** The placeholder whose value was missing or unsafe, e.g. `claims.sub`. */
  readonly placeholder?: string;
  /** True when the bad value came from the client's request (claims, path, query): a 400, not a 502. */
  readonly fromRequest?: boolean;
  /** The part's status, for `upstream_status`. */
  readonly upstreamStatus?: number;
  /** How the part's call went before it failed, when it was sent (nothing for a part never called). */
  readonly retries?: RetryStats;
  readonly cause?: unknown;
}

/** Retries of one part's call, for its metrics: counted whether the part then answered or failed. */
export interface RetryStats {
  /** Attempts beyond the first. */
  readonly retries: number;
  /** True when the upstream's retry budget refused a retry the policy allowed. */
  readonly budgetExhausted: boolean;
}

export const NO_RETRIES: RetryStats = Object.freeze({ retries: 0, budgetExhausted: false });

/** One part's failure. Assert on `code`, not on the message. */
export class PartError extends Error {
  readonly code: PartErrorCode;
  readonly placeholder: string | undefined;
  readonly fromRequest: boolean;
  readonly upstreamStatus: number | undefined;
  readonly retries: RetryStats;

  constructor(code: PartErrorCode, message: string, details: PartErrorDetails = {}) {
    super(message, { cause: details.cause });
    this.name = 'PartError';
    this.code = code;
    this.placeholder = details.placeholder;
    this.fromRequest = details.fromRequest ?? false;
    this.upstreamStatus = details.upstreamStatus;
    this.retries = details.retries ?? NO_RETRIES;
  }

  /** What a required part's failure answers: 400 for a bad request value, 504 for a timeout, 502 otherwise. */
  get statusCode(): number {
    if (this.fromRequest) return 400;
    return this.code === 'upstream_timeout' ? 504 : 502;
  }
}
