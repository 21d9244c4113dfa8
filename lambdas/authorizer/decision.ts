// The authorizer's decision, pure: what was found out about a request (its origin header, its token) and the route table in, allow or deny with the reason and the identity out. No I/O, no logging.
import { NO_IDENTITY_VALUE, type AuthorizerContext } from '../contract/authorizer-config';
import { buildPolicy, type Policy } from '../contract/route-grants';
import type { Identity } from './claims';
import type { RejectionCode, TokenRejected } from './errors';
import type { RouteTable } from './route-table';
import type { VerifiedToken } from './verify';

/** What is being asked: a REST API's policy for a method ARN, or an HTTP API's yes or no for one route key. */
export type AuthorizerRequest =
  | { readonly kind: 'policy'; readonly requestId?: string; readonly methodArn: string }
  | { readonly kind: 'simple'; readonly requestId?: string; readonly routeKey: string; readonly sourceIp?: string };

/** A token that passed verification, with what its claims grant (worked out once per cached token). */
export interface CheckedToken {
  readonly verified: VerifiedToken;
  /** False when the container's cache of verified tokens answered. */
  readonly fresh: boolean;
  readonly identity: Identity;
  readonly granted: readonly string[];
}

/** What the handler found out before deciding: CloudFront's header was wrong or absent, the token was refused, or it verified. */
export type Finding =
  { readonly originHeader: 'missing' | 'mismatch' } | { readonly rejection: TokenRejected } | { readonly token: CheckedToken };

/** Why a request is denied: the token's rejection code, or why a valid token may not call what it asked for. */
export type DenyReason = RejectionCode | 'insufficient_scope' | 'issuer_not_accepted' | 'route_not_configured' | 'origin_verify';

export interface Decision {
  readonly request: AuthorizerRequest;
  readonly allow: boolean;
  /** Set when denied. */
  readonly reason?: DenyReason;
  /** The verified token, when there was one (allowed, or denied for lack of a grant). */
  readonly token?: CheckedToken;
  /** What the identity headers upstream are mapped from: never an empty value (see NO_IDENTITY_VALUE). */
  readonly context: AuthorizerContext;
  /** A REST request's policy for its method ARN, when the token verified. */
  readonly policy?: Policy;
  /** Why the token was refused, when it was. */
  readonly rejection?: TokenRejected;
  /** Set when the origin-verify header was refused. */
  readonly originHeader?: 'missing' | 'mismatch';
}

/** The context of a request refused before a token was verified: every field present, as API Gateway expects, none empty. */
export const NO_IDENTITY: AuthorizerContext = Object.freeze({
  sub: NO_IDENTITY_VALUE,
  iss: NO_IDENTITY_VALUE,
  roles: NO_IDENTITY_VALUE,
  scopes: NO_IDENTITY_VALUE,
  clientId: NO_IDENTITY_VALUE,
});

/** Rejections that mean something is wrong on our side or the issuer's (keys not fetched, a bug), not with the caller. */
const OPERATIONAL: ReadonlySet<DenyReason> = new Set(['jwks_unavailable', 'internal_error']);

/**
 * Rejections of a token that may pass seconds later, which a deny cached for the authorizer's TTL would lock out:
 * `token_not_yet_valid`, `nbf` or `iat` ahead of our clock beyond the tolerance. Claims are only read once the
 * signature verified (verify.ts), so only a token a trusted issuer signed gets here: its clock and ours disagree
 * (an issuer's-side problem, like an unreachable JWKS), and the token passes once our clock catches up. A token
 * whose `nbf` is far ahead gets no answer until then either, uncached: a bug of its issuer, logged at WARN.
 *
 * Not `kid_not_yet_fetched` (a kid missing from a set the refetch cooldown keeps us from fetching again): the kid is
 * read before any signature, so anyone can send one, and a bad token never gets a 500. It is a deny like
 * `kid_unknown`, counted under its own reason; a client told to refresh on 403 (README, JWT auth) gets a new token,
 * which the authorizer sees afresh once the cooldown is over.
 */
const TRANSIENT: ReadonlySet<DenyReason> = new Set(['token_not_yet_valid']);

/** Whether a denial is an operational failure or transient: no answer about the caller should be given, let alone cached. */
export const isOperational = (decision: Decision): boolean =>
  decision.reason !== undefined && (OPERATIONAL.has(decision.reason) || TRANSIENT.has(decision.reason));

/** Whether a denial is transient (see TRANSIENT): a client may trigger it, so logged at WARN, not ERROR. */
export const isTransient = (decision: Decision): boolean => decision.reason !== undefined && TRANSIENT.has(decision.reason);

/**
 * Allow or deny, and why. A REST request is judged by the policy the token gets for its method ARN (`policy` on the
 * decision, for the responder); an HTTP request by whether the token's granted methods include its route key.
 */
export function decide(finding: Finding, table: RouteTable, request: AuthorizerRequest): Decision {
  if ('originHeader' in finding)
    return { request, allow: false, reason: 'origin_verify', context: NO_IDENTITY, originHeader: finding.originHeader };
  if ('rejection' in finding)
    return { request, allow: false, reason: finding.rejection.code, context: NO_IDENTITY, rejection: finding.rejection };
  const { token } = finding;
  let policy: Policy | undefined;
  let allows: (granted: readonly string[]) => boolean;
  let known: boolean;
  if (request.kind === 'policy') {
    policy = table.policyFor(request.methodArn, token.granted);
    allows = (granted) => buildPolicy(request.methodArn, granted, table.methods).allowsMethod;
    known = policy.routeKnown;
  } else {
    const method = routeKeyMethod(request.routeKey);
    allows = (granted) => granted.includes(method);
    known = table.methods.includes(method);
  }
  const allow = policy ? policy.allowsMethod : allows(token.granted);
  // The issuer was the reason when the token would be allowed if no route named issuers.
  const issuerRefused = () => {
    const granted = table.grantedIgnoringIssuer(token.identity);
    return granted !== undefined && allows(granted);
  };
  const reason: DenyReason | undefined = allow
    ? undefined
    : !known
      ? 'route_not_configured'
      : issuerRefused()
        ? 'issuer_not_accepted'
        : 'insufficient_scope';
  return { request, allow, reason, token, context: contextOf(token), policy };
}

/** The route table's method for an HTTP API route key: `ANY /api/orders/{proxy+}` → `ANY/api/orders/*`. */
export function routeKeyMethod(routeKey: string): string {
  const space = routeKey.indexOf(' ');
  const [verb, path] = [routeKey.slice(0, space), routeKey.slice(space + 1)];
  return `${verb}${path.endsWith('/{proxy+}') ? `${path.slice(0, -'{proxy+}'.length)}*` : path}`;
}

/**
 * The identity as context. A claim the token lacks is NO_IDENTITY_VALUE on both flavors, never '': the gateway maps
 * these values into identity headers, and an empty mapped value is not a form API Gateway documents.
 */
function contextOf({ verified, identity }: CheckedToken, absent = NO_IDENTITY_VALUE): AuthorizerContext {
  return {
    sub: verified.claims.sub || absent,
    iss: verified.claims.iss || absent,
    roles: identity.roles.join(',') || absent,
    scopes: identity.scopes.join(' ') || absent,
    clientId: identity.clientId || absent,
  };
}
