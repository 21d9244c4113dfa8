// Reads who a verified token speaks for: its scopes, roles and client id, from the claims the config names.
import type { JWTPayload } from 'jose';
import type { AuthorizerConfig } from './config';

export interface Identity {
  /** Deduplicated, in claim order. */
  readonly scopes: readonly string[];
  /** Deduplicated, in claim order. */
  readonly roles: readonly string[];
  /** Empty when no configured claim carries one. */
  readonly clientId: string;
}

export function readIdentity(
  claims: JWTPayload,
  config: Pick<AuthorizerConfig, 'scopeClaims' | 'roleClaims' | 'clientIdClaims'>,
): Identity {
  return {
    scopes: readScopes(claims, config.scopeClaims),
    roles: readRoles(claims, config.roleClaims),
    clientId: readClientId(claims, config.clientIdClaims),
  };
}

/**
 * Scopes from every named claim: a space-separated string (`scope`, RFC 8693) or an array (`scp`).
 * Array items are split on spaces too, since the context joins scopes with spaces.
 */
export function readScopes(claims: JWTPayload, names: readonly string[]): string[] {
  return unique(names.flatMap((name) => valuesOf(claims[name], (text) => text.split(/\s+/))));
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
