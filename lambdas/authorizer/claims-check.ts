// Checks the registered claims of a payload whose signature verified (RFC 7519 §4.1): jose's jwtVerify rules, Gatehouse's codes.
import type { JWTPayload } from 'jose';
import { TokenRejected } from './errors';

/** What a token's claims are checked against. Times in seconds. */
export interface ClaimRules {
  readonly issuer: string;
  /** One of these must be in `aud`; unset: `aud` is not checked here. */
  readonly audiences?: readonly string[];
  readonly clockToleranceSeconds: number;
  /** `iat` required and no older than this. */
  readonly maxTokenAgeSeconds?: number;
  /** Claims that must be present, whatever their value. */
  readonly requiredClaims: readonly string[];
  /** The current time, epoch seconds. */
  readonly nowSeconds: number;
}

/**
 * What jose's `validateClaimsSet` checks, in its order: presence (`iss`, `aud`, `iat` with a max age,
 * then the required claims), `iss`, `aud`, numeric dates, `nbf`, `exp`, token age. Throws
 * `claim_missing`, `issuer_untrusted`, `audience_mismatch`, `token_malformed` (a date that is not a
 * number), `token_not_yet_valid`, `token_expired` or `token_too_old`.
 */
export function checkClaims(claims: JWTPayload, rules: ClaimRules): void {
  const { issuer, audiences, maxTokenAgeSeconds: maxAge, clockToleranceSeconds: tolerance, nowSeconds: now } = rules;
  const present = [...rules.requiredClaims];
  if (maxAge !== undefined) present.push('iat');
  if (audiences !== undefined) present.push('aud');
  present.push('iss');
  for (const claim of new Set(present.reverse())) {
    if (!Object.hasOwn(claims, claim)) throw new TokenRejected('claim_missing', `missing required "${claim}" claim`);
  }
  if (claims.iss !== issuer) throw new TokenRejected('issuer_untrusted', 'unexpected "iss" claim value');
  if (audiences !== undefined && !audienceMatches(claims.aud, audiences))
    throw new TokenRejected('audience_mismatch', 'unexpected "aud" claim value');
  const iat = numericDate(claims, 'iat');
  const nbf = numericDate(claims, 'nbf');
  const exp = numericDate(claims, 'exp');
  if (nbf !== undefined && nbf > now + tolerance) throw new TokenRejected('token_not_yet_valid', '"nbf" claim timestamp check failed');
  if (exp !== undefined && exp <= now - tolerance) throw new TokenRejected('token_expired', '"exp" claim timestamp check failed');
  if (maxAge !== undefined) {
    const age = now - iat!;
    if (age - tolerance > maxAge) throw new TokenRejected('token_too_old', '"iat" claim timestamp check failed (too far in the past)');
    if (age < -tolerance) throw new TokenRejected('token_not_yet_valid', '"iat" claim timestamp check failed (it should be in the past)');
  }
}

/** `aud` (a string or an array of them) names one of `audiences`. */
export function audienceMatches(aud: unknown, audiences: readonly string[]): boolean {
  if (typeof aud === 'string') return audiences.includes(aud);
  return Array.isArray(aud) && aud.some((value) => typeof value === 'string' && audiences.includes(value));
}

function numericDate(claims: JWTPayload, claim: 'iat' | 'nbf' | 'exp'): number | undefined {
  const value = claims[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new TokenRejected('token_malformed', `"${claim}" claim must be a number`);
  return value;
}
