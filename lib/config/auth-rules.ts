// Cross-field rules of issuer restrictions: issuer names, the issuers routes and aggregates accept, and what each issuer may grant.
import type { TrustedIssuerSpec } from './auth-schema';
import type { RawIssue } from './errors';
import type { GatewaySpec } from './schema';
import { didYouMean } from './suggest';

/** What a route or aggregate asks of a token, as the rules read it. */
interface Requirement {
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly issuers?: readonly string[];
}

/**
 * Issuer names are unique; every name a route or aggregate lists is a trusted issuer's, once; and
 * some accepted issuer may grant each scope the route requires (and one of its roles), since
 * otherwise no token could ever call it.
 */
export function checkIssuerRestrictions(gateway: GatewaySpec, at: readonly (string | number)[]): RawIssue[] {
  const jwt = gateway.auth?.jwt;
  if (!jwt) return [];
  const issues: RawIssue[] = [];
  const names = new Map<string, number>();
  jwt.issuers.forEach((issuer, index) => {
    if (issuer.name === undefined) return;
    const first = names.get(issuer.name);
    if (first !== undefined) {
      issues.push({
        path: [...at, 'auth', 'jwt', 'issuers', index, 'name'],
        message: `issuer name "${issuer.name}" is already used by issuers[${first}]; give each issuer its own name`,
      });
    } else names.set(issuer.name, index);
  });
  const requirements: [readonly (string | number)[], Requirement][] = [
    ...gateway.routes.flatMap((route, index) =>
      route.auth?.jwt ? [[[...at, 'routes', index, 'auth', 'jwt'], route.auth.jwt] as [readonly (string | number)[], Requirement]] : [],
    ),
    ...gateway.aggregates.flatMap((agg, index) =>
      agg.auth?.jwt ? [[[...at, 'aggregates', index, 'auth', 'jwt'], agg.auth.jwt] as [readonly (string | number)[], Requirement]] : [],
    ),
  ];
  for (const [where, requirement] of requirements) {
    issues.push(...checkRequirement(requirement, where, jwt.issuers, names));
  }
  return issues;
}

function checkRequirement(
  requirement: Requirement,
  where: readonly (string | number)[],
  trusted: readonly TrustedIssuerSpec[],
  names: ReadonlyMap<string, number>,
): RawIssue[] {
  const issues: RawIssue[] = [];
  const listed = requirement.issuers;
  listed?.forEach((name, index) => {
    const path = [...where, 'issuers', index];
    if (listed.indexOf(name) !== index) issues.push({ path, message: `issuer "${name}" is listed twice` });
    else if (!names.has(name)) {
      const known = [...names.keys()];
      issues.push({
        path,
        message: known.length
          ? `no trusted issuer is named "${name}"${didYouMean(name, known)}; the gateway's issuers are named ${known.join(', ')}`
          : `no trusted issuer is named "${name}": give the issuer a name under the gateway's auth.jwt.issuers[].name`,
      });
    }
  });
  if (issues.length) return issues;
  const accepted = listed ? trusted.filter((issuer) => issuer.name !== undefined && listed.includes(issuer.name)) : trusted;
  const label = (issuer: TrustedIssuerSpec) => issuer.name ?? issuer.issuer;
  const mayGrantScope = (issuer: TrustedIssuerSpec, scope: string) =>
    issuer.grants?.scopes === undefined || issuer.grants.scopes.includes(scope);
  const mayGrantRole = (issuer: TrustedIssuerSpec, role: string) =>
    issuer.grants?.roles === undefined || issuer.grants.roles.includes(role);
  // A token comes from one issuer, so that one issuer must be able to grant every required scope.
  const fully = accepted.filter((issuer) => requirement.scopes.every((scope) => mayGrantScope(issuer, scope)));
  if (fully.length === 0) {
    issues.push({
      path: [...where, 'scopes'],
      message: `no token can call this: none of its issuers (${accepted.map(label).join(', ')}) may grant all of ${requirement.scopes.join(', ')}; add them to one issuer's grants.scopes, or accept another issuer`,
    });
  } else if (requirement.roles.length && !fully.some((issuer) => requirement.roles.some((role) => mayGrantRole(issuer, role)))) {
    issues.push({
      path: [...where, 'roles'],
      message: `no token can call this: no issuer that may grant its scopes (${fully.map(label).join(', ')}) may grant any of the roles ${requirement.roles.join(', ')}; add one to grants.roles, or accept another issuer`,
    });
  }
  return issues;
}
