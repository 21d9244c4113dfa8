// The shapes of `gatehouse verify`: options, checks generated from the plan, their outcomes and the report.
import type { Plan } from '../plan/types';
import type { VerifyClient } from './client';

/** One HTTP exchange as a check sees it; header names are lower case, repeated values joined with ", ". */
export interface VerifyResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What the transport is asked to send: `url` is the full URL with its path exactly as written (dot segments kept). */
export interface TransportRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

/**
 * Sends one request. The default (http-transport.ts) is node:http(s) and keeps the path as written; `fetch` would
 * resolve `..` and `%2e%2e` before sending (WHATWG URL parsing), which the dot-segment check must not.
 */
export type VerifyTransport = (request: TransportRequest) => Promise<VerifyResponse>;

export interface VerifyOptions {
  /** The plan to generate checks from; or `file`, a config file `validate` accepts. */
  readonly plan?: Plan;
  readonly file?: string;
  /** The gateway the URL serves. @default - the plan's only gateway (required when it has several) */
  readonly gateway?: string;
  /** The stage URL (`https://<id>.execute-api.<region>.amazonaws.com/prod`), a custom domain, a distribution, or `gatehouse local`. */
  readonly url: string;
  /** A valid token with every scope and role the JWT routes ask for. @default - the checks that need one are skipped */
  readonly token?: string;
  /** A valid token lacking a scope or role some route requires: those routes must answer 403. */
  readonly tokenWithoutScope?: string;
  /** A token of the issuer whose `exp` has passed. */
  readonly expiredToken?: string;
  /** A key of a usage plan the keyed routes accept. */
  readonly apiKey?: string;
  /** The API's own execute-api URL, when the gateway is behind CloudFront: it must refuse requests. */
  readonly executeApiUrl?: string;
  /** Also exhaust the routes' exact rate limits (each up to `maxRateLimitRequests` requests). @default false */
  readonly includeRateLimits?: boolean;
  /** Requests the whole run may send; checks past it are skipped. @default DEFAULT_MAX_REQUESTS */
  readonly maxRequests?: number;
  /** The most one rate-limit check sends; a smaller limit is needed for the check to run. @default DEFAULT_MAX_RATE_LIMIT_REQUESTS */
  readonly maxRateLimitRequests?: number;
  /** Per request. @default DEFAULT_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** @default - node:http(s), path kept as written */
  readonly transport?: VerifyTransport;
}

export const DEFAULT_MAX_REQUESTS = 400;
export const DEFAULT_MAX_RATE_LIMIT_REQUESTS = 30;
export const DEFAULT_TIMEOUT_MS = 10_000;

export type CheckStatus = 'pass' | 'fail' | 'skip';

/** What a check saw: the request it sent and what came back. */
export interface Evidence {
  readonly request: string;
  readonly status?: number;
  /** The response headers that matter to checks (CORS, auth, rate limits, content type). */
  readonly headers?: Readonly<Record<string, string>>;
  /** For echo checks: what the upstream received (headers or path). */
  readonly upstream?: Readonly<Record<string, string | null>>;
  readonly error?: string;
}

export interface CheckOutcome {
  readonly status: CheckStatus;
  /** One line: why it passed, failed or was skipped. */
  readonly reason: string;
  readonly evidence: readonly Evidence[];
}

export type CheckFamily = 'routes' | 'methods' | 'cors' | 'auth' | 'identity' | 'api-keys' | 'validation' | 'edge' | 'rate-limits' | 'paths';

export interface VerifyCheck {
  /** Stable across runs of the same plan: `<family>.<what>[@<route id>[/<METHOD>]]`. */
  readonly id: string;
  readonly family: CheckFamily;
  readonly description: string;
  /** Set when the plan or the options leave nothing to send: the check is reported as skipped with this reason. */
  readonly skip?: string;
  run(client: VerifyClient): Promise<CheckOutcome>;
}

export interface CheckResult extends CheckOutcome {
  readonly id: string;
  readonly family: CheckFamily;
  readonly description: string;
}

export interface VerifyReport {
  readonly gateway: string;
  readonly flavor: 'rest' | 'http';
  readonly url: string;
  readonly checks: readonly CheckResult[];
  readonly summary: { readonly pass: number; readonly fail: number; readonly skip: number; readonly requests: number };
  /** True when no check failed. */
  readonly ok: boolean;
}
