// Why a token was refused: one error class with a stable `code` the handler logs and counts.
import { CodedError } from '../shared/coded-error';

/** Every reason a bearer token is refused. Stable: they appear in logs, metrics dimensions and dashboards. */
export const REJECTION_CODES = [
  'token_missing',
  'token_malformed',
  'token_too_large',
  'token_expired',
  'token_not_yet_valid',
  'token_too_old',
  'issuer_untrusted',
  'audience_mismatch',
  'signature_invalid',
  'algorithm_not_allowed',
  'kid_unknown',
  'jwks_unavailable',
  'claim_missing',
  'claim_invalid',
  'internal_error',
  'kid_not_yet_fetched',
] as const;

export type RejectionCode = (typeof REJECTION_CODES)[number];

/**
 * A refused token. On a REST API every one becomes a 401 (the responder throws API Gateway's `Unauthorized`); on an
 * HTTP API `isAuthorized: false` (403), or a 500 for the operational ones (simple-response.ts).
 * The message never contains the token.
 */
export class TokenRejected extends CodedError<RejectionCode> {
  override readonly name = 'TokenRejected';
  readonly statusCode = 401;
}
