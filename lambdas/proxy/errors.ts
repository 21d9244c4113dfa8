// Why the proxy answered instead of the upstream: one error class with an HTTP status and a stable code.
import type { UpstreamErrorCode } from '../shared/http-client';

/**
 * Every code the proxy answers with in `{ message, code }`. Stable: clients, logs and dashboards use them.
 * - `payload_too_large` (413): the decoded request body exceeds Lambda's 6 MB request payload.
 * - `unsafe_path` (400): the request path has a dot segment (`.`, `..`, `%2e%2e`, `..;x`); never forwarded (see path-safety.ts).
 * - `path_traversal`, `path_malformed` (400): a path rewrite refused the client's path (see PathRewriteError).
 * - `invalid_request` (400, answered by request-validation.ts, not thrown): the route's `validate` refused the request.
 * - `circuit_open` (503, with Retry-After): the target's breaker refuses calls.
 * - `upstream_*` (504 for a timeout, 502 otherwise): the upstream gave no usable answer (see `UpstreamErrorCode`).
 * - `route_not_configured` (502): the event's resource is not in the baked routes (a planner bug).
 * - `proxy_error` (502): anything unexpected inside the proxy; never a bare 500.
 */
export type ProxyErrorCode =
  | 'payload_too_large'
  | 'unsafe_path'
  | 'path_traversal'
  | 'path_malformed'
  | 'circuit_open'
  | 'route_not_configured'
  | 'proxy_error'
  | UpstreamErrorCode;

export interface ProxyErrorOptions {
  /** Seconds a client should wait before trying again (circuit open). */
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

/** An answer the proxy gives itself. Assert on `code`, not on the message. */
export class ProxyError extends Error {
  override readonly name = 'ProxyError';
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: ProxyErrorCode,
    readonly statusCode: number,
    message: string,
    options: ProxyErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
