// Reads who a verified token speaks for: its scopes, roles and client id, from the claims the config names.
import type { JWTPayload } from 'jose';
import type { AuthorizerConfig, IssuerGrants } from '../contract/authorizer-config';
import { TokenRejected } from './errors';

/**
 * Characters no identity value may carry: C0 and C1 controls, DEL, and the Unicode line and paragraph
 * separators. They would split or forge a header (`alice\r\nX-User-Roles: admin`) or a log line
 * once a value leaves the context, so a token carrying one is refused rather than cleaned.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's job
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Throws `claim_invalid` when a value that would reach the context or a header carries a control character. */
export function assertPrintable(claim: string, value: string): void {
  if (CONTROL_CHARACTERS.test(value)) throw new TokenRejected('claim_invalid', `claim "${claim}" contains a control character`);
}

export interface Identity {
  /** Deduplicated, in claim order. */
  readonly scopes: readonly string[];
  /** Deduplicated, in claim order. */
  readonly roles: readonly string[];
  /** Empty when no configured claim carries one. */
  readonly clientId: string;
}

/**
 * The identity a verified token speaks for, less any scope or role its issuer may not grant
 * (`grants`). Throws `claim_invalid` when `sub` or a value of a configured claim carries a control
 * character, whether or not it would be kept.
 */
export function readIdentity(
  claims: JWTPayload,
  config: Pick<AuthorizerConfig, 'scopeClaims' | 'roleClaims' | 'clientIdClaims'>,
  grants?: IssuerGrants,
): Identity {
  if (typeof claims.sub === 'string') assertPrintable('sub', claims.sub);
  for (const name of [...config.scopeClaims, ...config.roleClaims, ...config.clientIdClaims]) {
    valuesOf(claims[name], (text) => [text]).forEach((value) => assertPrintable(name, value));
  }
  const scopes = readScopes(claims, config.scopeClaims);
  const roles = readRoles(claims, config.roleClaims);
  return {
    scopes: grants?.scopes ? scopes.filter((scope) => grants.scopes!.includes(scope)) : scopes,
    roles: grants?.roles ? roles.filter((role) => grants.roles!.includes(role)) : roles,
    clientId: readClientId(claims, config.clientIdClaims),
  };
}

/**
 * Scopes from every named claim: a space-separated string (`scope`, RFC 8693) or an array (`scp`).
 * Split on the ASCII space only (RFC 6749 §3.3: scope-token is %x21 / %x23-5B / %x5D-7E, joined by
 * %x20): a no-break space or U+2028 is part of a scope, so `read\u00a0admin` never yields `admin`.
 * Array items are split too, since the context joins scopes with spaces.
 */
export function readScopes(claims: JWTPayload, names: readonly string[]): string[] {
  return unique(names.flatMap((name) => valuesOf(claims[name], (text) => text.split(' '))));
}

/**
 * Roles from every named claim: an array (`cognito:groups`, `roles`) or one role as a string.
 * A role containing a comma is dropped: the context joins roles with commas, and a role named
 * `admin,ops` must not reach the upstream as two roles.
 */
export function readRoles(claims: JWTPayload, names: readonly string[]): string[] {
  return unique(names.flatMap((name) => valuesOf(claims[name], (text) => [text]))).filter((role) => !role.includes(','));
}

/** The first named claim that is a non-empty string (`client_id`, then `azp`, ...). */
export function readClientId(claims: JWTPayload, names: readonly string[]): string {
  for (const name of names) {
    const value = claims[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return '';
}

function valuesOf(value: unknown, fromString: (text: string) => string[]): string[] {
  if (typeof value === 'string') return fromString(value);
  if (Array.isArray(value)) return value.flatMap((item) => (typeof item === 'string' ? fromString(item) : []));
  return [];
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((value) => value !== ''))];
}
