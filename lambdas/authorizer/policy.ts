// The IAM policy a token gets: every method it may call on the API, so API Gateway's cached copy stays right.
import type { RouteGrant } from '../contract/authorizer-config';

/** The action API Gateway evaluates an authorizer's policy for. */
export const INVOKE_ACTION = 'execute-api:Invoke';

/**
 * What `ANY` stands for in a policy. Written out rather than as a `*` verb: in an ARN pattern a `*`
 * before the path may match across `/` (IAM's rule), so `*\/api/orders` would also allow
 * `GET/v1/api/orders`, a path API Gateway sends to another route.
 */
export const ANY_VERBS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;

const METHOD = /^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\/([^*]*)(\*?)$/;
const METHOD_ARN = /^(arn:[^:]+:execute-api:[^:]+:[^:]+:[^/]+\/[^/]+\/)([^/]+)\/(.*)$/;

export interface PolicyStatement {
  readonly Action: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Resource: readonly string[];
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export interface Policy {
  readonly policyDocument: PolicyDocument;
  /** Whether API Gateway will let the current request (`methodArn`) through. */
  readonly allowsMethod: boolean;
  /** Whether `methodArn` is a method of the route table at all (false: a planner/API mismatch). */
  readonly routeKnown: boolean;
  /**
   * True when the document is right for every method of the API, so caching it per token is safe.
   * False when the route table cannot be expressed for this token (see `policyCacheSafe`): the
   * document then covers `methodArn` alone, and a cached copy refuses (never allows) other methods.
   */
  readonly coversAllRoutes: boolean;
}

/** A `RouteGrant.method` taken apart: `ANY/api/orders/*` is verb ANY, path `api/orders/`, greedy. */
interface MethodPattern {
  readonly method: string;
  readonly verb: string;
  /** The path after the verb, without the greedy `*`. */
  readonly path: string;
  readonly greedy: boolean;
}

/** Throws TypeError for a method that is not `VERB/path` with at most a trailing `*`. */
export function parseMethod(method: string): MethodPattern {
  const match = METHOD.exec(method);
  if (!match) throw new TypeError(`route method ${JSON.stringify(method)} is not VERB/path with an optional trailing *`);
  return { method, verb: match[1]!, path: match[2]!, greedy: match[3] === '*' };
}

/**
 * The methods a token of issuer `iss` with these scopes and roles may call: a method that accepts the
 * issuer, all of its scopes, and one of its roles if it names any. The scopes and roles are the ones
 * the issuer may grant (see readIdentity), so both restrictions hold in the cached policy.
 */
export function grantedMethods(
  routes: readonly RouteGrant[],
  scopes: readonly string[],
  roles: readonly string[],
  iss?: string,
): string[] {
  const heldScopes = new Set(scopes);
  const heldRoles = new Set(roles);
  const granted = routes.filter(
    (route) =>
      (route.issuers === undefined || (iss !== undefined && route.issuers.includes(iss))) &&
      route.scopes.every((scope) => heldScopes.has(scope)) &&
      (route.roles.length === 0 || route.roles.some((role) => heldRoles.has(role))),
  );
  return [...new Set(granted.map((route) => route.method))];
}

/**
 * The policy for a token granted `granted` among the API's `methods`, on the API and stage of
 * `methodArn`. Allows every granted method (`ANY` → each verb of ANY_VERBS, greedy `/*` kept).
 * Because a granted greedy method such as `GET/api/*` also matches the paths of a more specific
 * route the token may NOT call (API Gateway sends `/api/admin/x` to `/api/admin`, not `/api`),
 * each such route gets an explicit Deny. Nothing granted: an explicit Deny of `methodArn`.
 */
export function buildPolicy(methodArn: string, granted: readonly string[], methods: readonly string[]): Policy {
  const arn = METHOD_ARN.exec(methodArn);
  if (!arn) return onlyThisMethod(methodArn, { allowsMethod: false, routeKnown: false, coversAllRoutes: false });
  const [, prefix, verb, path] = arn as unknown as [string, string, string, string];
  const patterns = uniquePatterns(methods);
  const grantedSet = new Set(granted);
  const servedBy = responsibleFor(patterns, verb, path);
  const decision = { allowsMethod: servedBy !== undefined && grantedSet.has(servedBy.method), routeKnown: servedBy !== undefined };

  const allowed = patterns.filter((pattern) => grantedSet.has(pattern.method));
  // Refusing everything is right for every route, so this one may be cached too.
  if (allowed.length === 0) return onlyThisMethod(methodArn, { ...decision, coversAllRoutes: true });
  const denied = patterns.filter(
    (pattern) => !grantedSet.has(pattern.method) && allowed.some((grant) => shadows(pattern, grant)),
  );
  // A granted method nested inside a denied one would be refused by the Deny (Deny always wins).
  if (denied.some((deny) => allowed.some((grant) => shadows(grant, deny)))) {
    return onlyThisMethod(methodArn, { ...decision, coversAllRoutes: false });
  }
  const toArns = (pattern: MethodPattern) =>
    (pattern.verb === 'ANY' ? ANY_VERBS : [pattern.verb]).map(
      (anyVerb) => `${prefix}${anyVerb}/${pattern.path}${pattern.greedy ? '*' : ''}`,
    );
  const statements: PolicyStatement[] = [statement('Allow', allowed.flatMap(toArns))];
  if (denied.length > 0) statements.push(statement('Deny', denied.flatMap(toArns)));
  return { policyDocument: document(statements), ...decision, coversAllRoutes: true };
}

/**
 * Whether `buildPolicy` covers every route for every possible token of this route table. False
 * when three methods nest (A ⊃ B ⊃ C by path and verb) and a token can hold A and C but not B:
 * A's Allow needs a Deny of B, which would also refuse C. The planner should set the authorizer's
 * result cache TTL to 0 for such a table (or reject it); otherwise a cached policy refuses calls the
 * token may make.
 */
export function policyCacheSafe(routes: readonly RouteGrant[]): boolean {
  const entries = routes.map((route) => ({ route, pattern: parseMethod(route.method) }));
  for (const b of entries) {
    const outer = entries.some((a) => shadows(b.pattern, a.pattern) && !implies(a.route, b.route));
    const inner = entries.some((c) => shadows(c.pattern, b.pattern) && !implies(c.route, b.route));
    if (outer && inner) return false;
  }
  return true;
}

/**
 * Whether `inner` decides requests that `outer` also matches: they overlap by path and verb, and
 * API Gateway routes the overlap to `inner` (the more specific resource; on the same resource, a
 * named verb over ANY).
 */
function shadows(inner: MethodPattern, outer: MethodPattern): boolean {
  if (inner.method === outer.method || !verbsOverlap(inner, outer) || !pathsOverlap(inner, outer)) return false;
  const byPath = pathRank(inner) - pathRank(outer);
  return byPath > 0 || (byPath === 0 && inner.verb !== 'ANY' && outer.verb === 'ANY');
}

/** The method API Gateway routes `VERB path` to: the most specific resource, then its verb or ANY. */
function responsibleFor(patterns: readonly MethodPattern[], verb: string, path: string): MethodPattern | undefined {
  let best: MethodPattern[] = [];
  let bestRank = -1;
  for (const pattern of patterns) {
    if (!matchesPath(pattern, path)) continue;
    const rank = pathRank(pattern);
    if (rank > bestRank) [best, bestRank] = [[pattern], rank];
    else if (rank === bestRank) best.push(pattern);
  }
  return best.find((pattern) => pattern.verb === verb) ?? best.find((pattern) => pattern.verb === 'ANY');
}

/** Longer literal paths are more specific; an exact path beats a greedy one with the same literal. */
function pathRank(pattern: MethodPattern): number {
  return pattern.path.length * 2 + (pattern.greedy ? 0 : 1);
}

function matchesPath(pattern: MethodPattern, path: string): boolean {
  return pattern.greedy ? path.startsWith(pattern.path) : path === pattern.path;
}

function pathsOverlap(a: MethodPattern, b: MethodPattern): boolean {
  if (!a.greedy && !b.greedy) return a.path === b.path;
  if (!a.greedy) return a.path.startsWith(b.path);
  if (!b.greedy) return b.path.startsWith(a.path);
  return a.path.startsWith(b.path) || b.path.startsWith(a.path);
}

function verbsOverlap(a: MethodPattern, b: MethodPattern): boolean {
  return a.verb === 'ANY' || b.verb === 'ANY' || a.verb === b.verb;
}

/** Every token that satisfies `a` satisfies `b`. */
function implies(a: RouteGrant, b: RouteGrant): boolean {
  const issuers = b.issuers === undefined || (a.issuers !== undefined && a.issuers.every((iss) => b.issuers!.includes(iss)));
  if (!issuers) return false;
  const scopes = b.scopes.every((scope) => a.scopes.includes(scope));
  const roles = b.roles.length === 0 || (a.roles.length > 0 && a.roles.every((role) => b.roles.includes(role)));
  return scopes && roles;
}

/** Parsed once per route table: the handler passes the same array on every call. */
const parsedTables = new WeakMap<readonly string[], MethodPattern[]>();

function uniquePatterns(methods: readonly string[]): MethodPattern[] {
  let patterns = parsedTables.get(methods);
  if (!patterns) {
    patterns = [...new Set(methods)].map(parseMethod);
    parsedTables.set(methods, patterns);
  }
  return patterns;
}

/** A document about `methodArn` alone: Allow when the decision allows it, Deny otherwise. */
function onlyThisMethod(methodArn: string, decision: Omit<Policy, 'policyDocument'>): Policy {
  return {
    policyDocument: document([statement(decision.allowsMethod ? 'Allow' : 'Deny', [methodArn])]),
    ...decision,
  };
}

function statement(effect: 'Allow' | 'Deny', resources: readonly string[]): PolicyStatement {
  return { Action: INVOKE_ACTION, Effect: effect, Resource: resources };
}

function document(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}
