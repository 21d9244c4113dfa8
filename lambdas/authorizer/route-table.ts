// The route table the authorizer was built with, as the decision reads it: the methods it knows, their policies (kept per method ARN and granted methods), and what a token would be granted if no route named issuers.
import type { RouteGrant } from '../contract/authorizer-config';
import { buildPolicy, grantedMethods, parseMethod, type Policy } from '../contract/route-grants';
import type { Identity } from './claims';

/** Policies kept per container, by method ARN and granted methods; the oldest goes first. */
export const MAX_CACHED_POLICIES = 256;

export interface RouteTable {
  /** Every route's method, `VERB/path` as in a method ARN. */
  readonly methods: readonly string[];
  /** The methods a token of this identity and issuer may call. */
  granted(identity: Identity, issuer: string): string[];
  /** The policy for `methodArn` when the token may call `granted`; built once per pair and frozen, as it is shared. */
  policyFor(methodArn: string, granted: readonly string[]): Policy;
  /**
   * The methods the identity would be granted if no route named issuers, or undefined when none does: only read on
   * a deny, to tell that the issuer was the reason.
   */
  grantedIgnoringIssuer(identity: Identity): string[] | undefined;
}

/** Throws TypeError for a malformed route method: a planner bug, caught at init. */
export function createRouteTable(routes: readonly RouteGrant[]): RouteTable {
  routes.forEach((route) => parseMethod(route.method));
  const methods = routes.map((route) => route.method);
  const restrictsIssuers = routes.some((route) => route.issuers);
  const routesForAnyIssuer = routes.map(({ issuers: _ignored, ...route }) => route);
  // A policy depends only on the method ARN and the granted methods (the table is fixed): built once per pair, it is
  // most of a cache hit's remaining work, and tokens of the same scopes share it.
  const policies = new Map<string, Policy>();
  return {
    methods,
    granted: (identity, issuer) => grantedMethods(routes, identity.scopes, identity.roles, issuer),
    policyFor(methodArn, granted) {
      const key = `${methodArn}\n${granted.join('\n')}`;
      let known = policies.get(key);
      if (!known) {
        known = frozen(buildPolicy(methodArn, granted, methods));
        if (policies.size >= MAX_CACHED_POLICIES) policies.delete(policies.keys().next().value as string);
        policies.set(key, known);
      }
      return known;
    },
    grantedIgnoringIssuer: (identity) =>
      restrictsIssuers ? grantedMethods(routesForAnyIssuer, identity.scopes, identity.roles) : undefined,
  };
}

function frozen(policy: Policy): Policy {
  for (const statement of policy.policyDocument.Statement) Object.freeze(Object.freeze(statement).Resource);
  Object.freeze(policy.policyDocument.Statement);
  Object.freeze(policy.policyDocument);
  return Object.freeze(policy);
}
