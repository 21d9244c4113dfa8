// The shapes of `gatehouse verify`: options, checks generated from the plan, their outcomes and the report.
import type { Plan } from '../plan/types';
import type { VerifyClient } from './client';
import type { Evidence, VerifyTransport } from './wire';

export type { Evidence, TransportRequest, VerifyResponse, VerifyTransport } from './wire';

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
  /**
   * Checks not to run, by id or id prefix (`paths.dot-segments`, `methods.answers@0-catalog`): each is reported as
   * skipped with `skipReason`, never silently left out. For what the target cannot show (e.g. `gatehouse local`
   * does not emulate CloudFront). @default - none
   */
  readonly skip?: readonly string[];
  /** Why `skip`'s checks are skipped, in the report. @default 'skipped on request (--skip)' */
  readonly skipReason?: string;
}

export const DEFAULT_MAX_REQUESTS = 400;
export const DEFAULT_MAX_RATE_LIMIT_REQUESTS = 30;
export const DEFAULT_TIMEOUT_MS = 10_000;

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckOutcome {
  readonly status: CheckStatus;
  /** One line: why it passed, failed or was skipped. */
  readonly reason: string;
  readonly evidence: readonly Evidence[];
}

export type CheckFamily =
  'routes' | 'methods' | 'cors' | 'auth' | 'identity' | 'api-keys' | 'validation' | 'edge' | 'rate-limits' | 'paths';

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
