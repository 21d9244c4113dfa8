// The route-grant language both sides must agree on: the IAM policy a token gets (every method it may call, so API Gateway's
// cached copy stays right), and whether a route table can be cached safely at all (the planner asks before it turns caching on).
import type { RouteGrant } from './authorizer-config';
import { globTokens, PathAutomaton, someString, templateTokens, tokensMeet, type Token } from './path-automata';

/** The action API Gateway evaluates an authorizer's policy for. */
export const INVOKE_ACTION = 'execute-api:Invoke';

/**
 * What `ANY` stands for in a policy. Written out rather than as a `*` verb: in an ARN pattern a `*`
 * before the path may match across `/` (IAM's rule), so `*\/api/orders` would also allow
 * `GET/v1/api/orders`, a path API Gateway sends to another route.
 */
export const ANY_VERBS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;

/**
 * The most a policy document may take, in bytes of its JSON. API Gateway documents the size of a Lambda authorizer's result
 * for WebSocket APIs only: 8 KB, not adjustable ("AWS Lambda authorizer result size",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html);
 * the REST API quotas (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html)
 * name none. Building on the documented figure rather than on what REST happens to accept, the whole result stays within
 * 8 KB, of which 2 KB is left for principalId, context and usageIdentifierKey. A larger document is not returned: the
 * policy then covers the call alone (see buildPolicy), and the planner turns the result cache off for such a table.
 */
export const MAX_POLICY_DOCUMENT_BYTES = 6 * 1024;

/**
 * Defined by authorizer-bundle.ts: false when no route of the baked config has a path parameter (`{id}`), so esbuild
 * leaves out the path automata. Without parameters a pattern is a literal path or a literal prefix with a greedy tail,
 * and its IAM glob matches exactly its own requests; read from the source (tests, the planner) it is undefined: full code.
 */
declare const __GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__: boolean | undefined;

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

/**
 * A `RouteGrant.method` taken apart: `ANY/api/orders/*` is verb ANY, segments api and orders, greedy;
 * `GET/users/{id}/keys` is verb GET, segments users, a parameter and keys; `GET/files/{rest+}` is greedy below files.
 */
interface MethodPattern {
  readonly method: string;
  readonly verb: string;
  /** Specificity per segment (a literal 4, a parameter 3), then 1 for a greedy tail or 2 for the path's end. */
  readonly ranks: readonly number[];
  /** The path as an IAM resource pattern: a parameter is `*`, the greedy tail `*` (IAM's `*` also spans `/`). */
  readonly glob: string;
  /** The glob before its first `*`: every path of the pattern starts with it. */
  readonly prefix: string;
  /** The glob after its last `*`: every path of the pattern ends with it. */
  readonly suffix: string;
  /** The path's segments, `null` for a parameter, and whether a greedy tail follows them. */
  readonly segments: readonly (string | null)[];
  readonly greedy: boolean;
}

/** Throws TypeError for a method that is not `VERB/path` with at most a trailing `*` or `{name+}`. */
export function parseMethod(method: string): MethodPattern {
  const match = METHOD.exec(method);
  if (!match) throw new TypeError(`route method ${JSON.stringify(method)} is not VERB/path with an optional trailing *`);
  const named = /(^|\/)\{\w+\+\}$/.exec(match[2]!);
  const greedy = match[3] === '*' || named !== null;
  const path = named ? match[2]!.slice(0, named.index) : match[2]!.replace(/\/$/, '');
  const segments = path ? path.split('/').map((part) => (/^\{\w+\}$/.test(part) ? null : part)) : [];
  if (
    !(typeof __GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__ === 'undefined' || __GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__) &&
    segments.includes(null)
  ) {
    throw new TypeError(`route method ${JSON.stringify(method)} has a path parameter: this bundle has literal paths only`);
  }
  const glob = segments.map((segment) => segment ?? '*').join('/') + (greedy ? (segments.length ? '/*' : '*') : '');
  return {
    method,
    verb: match[1]!,
    ranks: [...segments.map((segment) => (segment === null ? 3 : 4)), greedy ? 1 : 2],
    glob,
    prefix: glob.split('*')[0]!,
    suffix: glob.slice(glob.lastIndexOf('*') + 1),
    segments,
    greedy,
  };
}

/**
 * The methods a token of issuer `iss` with these scopes and roles may call: a method that accepts the
 * issuer, all of its scopes, and one of its roles if it names any. The scopes and roles are the ones
 * the issuer may grant (see readIdentity), so both restrictions hold in the cached policy.
 */
export function grantedMethods(routes: readonly RouteGrant[], scopes: readonly string[], roles: readonly string[], iss?: string): string[] {
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
  const { patterns, split } = routeTable(methods);
  const grantedSet = new Set(granted);
  const servedBy = responsibleFor(patterns, verb, path);
  const decision = { allowsMethod: servedBy !== undefined && grantedSet.has(servedBy.method), routeKnown: servedBy !== undefined };
  const { allowed, denied, expressible } = split(granted);
  // Refusing everything is right for every route, so this one may be cached too.
  if (allowed.length === 0) return onlyThisMethod(methodArn, { ...decision, coversAllRoutes: true });
  if (!expressible) return onlyThisMethod(methodArn, { ...decision, coversAllRoutes: false });
  const toArns = (pattern: MethodPattern) =>
    (pattern.verb === 'ANY' ? ANY_VERBS : [pattern.verb]).map((anyVerb) => `${prefix}${anyVerb}/${pattern.glob}`);
  const statements: PolicyStatement[] = [statement('Allow', allowed.flatMap(toArns))];
  if (denied.length > 0) statements.push(statement('Deny', denied.flatMap(toArns)));
  const policyDocument = document(statements);
  if (documentBytes(policyDocument) > MAX_POLICY_DOCUMENT_BYTES) return onlyThisMethod(methodArn, { ...decision, coversAllRoutes: false });
  return { policyDocument, ...decision, coversAllRoutes: true };
}

/**
 * The most bytes a whole-API policy of this table can take for any token, with method ARNs that start with `arnPrefix`
 * (or a string as long): each method is allowed, denied or neither, so no document is larger than one listing them all.
 */
export function largestPolicyDocumentBytes(methods: readonly string[], arnPrefix: string): number {
  const arns = [...new Set(methods)]
    .map(parseMethod)
    .flatMap((pattern) => (pattern.verb === 'ANY' ? ANY_VERBS : [pattern.verb]).map((verb) => `${arnPrefix}${verb}/${pattern.glob}`));
  return documentBytes(document([statement('Allow', arns), statement('Deny', [])]));
}

const utf8 = new TextEncoder();

function documentBytes(policyDocument: PolicyDocument): number {
  return utf8.encode(JSON.stringify(policyDocument)).length;
}

/** Whether some route has a path parameter, which only the path automata handle (see __GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__). */
export function hasTemplatedPaths(routes: readonly RouteGrant[]): boolean {
  return routes.some((route) => parseMethod(route.method).segments.includes(null));
}

/**
 * Whether `buildPolicy` covers every route for every possible token of this route table. False
 * when three methods nest (A ⊃ B ⊃ C by path and verb) and a token can hold A and C but not B:
 * A's Allow needs a Deny of B, which would also refuse C. The planner should set the authorizer's
 * result cache TTL to 0 for such a table (or reject it); otherwise a cached policy refuses calls the
 * token may make.
 */
export function policyCacheSafe(routes: readonly RouteGrant[]): boolean {
  const patterns = routes.map((route) => parseMethod(route.method));
  // shadow[i][j]: route i decides requests route j's pattern also matches.
  const shadow = patterns.map((inner) => patterns.map((outer) => shadows(inner, outer)));
  return routes.every((b, i) => {
    const outer = routes.some((a, j) => shadow[i]![j] && !implies(a, b));
    const inner = routes.some((c, k) => shadow[k]![i] && !implies(c, b));
    return !(outer && inner);
  });
}

/**
 * Whether `inner` decides requests that `outer`'s IAM pattern also matches, so a token allowed `outer` but not `inner`
 * needs a Deny of `inner`. Two ways: the IAM pattern reaches past `outer`'s own requests (a parameter's `*` also spans
 * `/`: `GET/users/*` matches `GET/users/7/keys`, which API Gateway sends to `/users/{id}/keys`), or both match a
 * request and API Gateway prefers `inner` (a literal over a parameter over a greedy tail; on one resource, a named
 * verb over ANY).
 */
function shadows(inner: MethodPattern, outer: MethodPattern): boolean {
  const verbsOverlap = inner.verb === outer.verb || inner.verb === 'ANY' || outer.verb === 'ANY';
  if (inner.method === outer.method || !verbsOverlap || !pathsMayMeet(inner, outer)) return false;
  // The second way first, as it is read off the segments; when the resources share no request, the first way needs no
  // "refused by outer's resource" automaton (no request of inner's is one of outer's).
  // Without path parameters (a literal table), both automaton checks are false: a glob then matches exactly its own
  // pattern's requests, so it reaches no request outside them, and resourcesMeet is exact for literal segments.
  // The flag is written out at each use: esbuild folds it there, not through a local constant.
  if (!resourcesMeet(inner, outer)) {
    return (
      (typeof __GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__ === 'undefined' || __GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__) &&
      tokensMeet(automataOf(outer).globTokens, automataOf(inner).templateTokens)
    );
  }
  const order = compareSpecificity(inner, outer);
  if (order > 0 || (order === 0 && inner.verb !== 'ANY' && outer.verb === 'ANY')) return true;
  return (
    (typeof __GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__ === 'undefined' || __GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__) &&
    someString([automataOf(outer).glob, automataOf(inner).template, automataOf(outer).template], [true, true, false])
  );
}

/**
 * Whether some request path is one of `a`'s and one of `b`'s, segment by segment: a literal meets an equal literal or a
 * parameter (which is one non-empty segment), a greedy tail (`/` and anything) meets whatever follows; without one, the
 * segment counts must be equal. The root's greedy tail (no `/` before it) meets every path, and a root without one is
 * the empty path alone.
 */
function resourcesMeet(a: MethodPattern, b: MethodPattern): boolean {
  if ((a.greedy && a.segments.length === 0) || (b.greedy && b.segments.length === 0)) return true;
  for (let i = 0; i < a.segments.length && i < b.segments.length; i++) {
    const [x, y] = [a.segments[i], b.segments[i]];
    if (x !== null && y !== null ? x !== y : x === '' || y === '') return false;
  }
  if (a.greedy && b.greedy) return true;
  if (a.greedy) return b.segments.length > a.segments.length;
  if (b.greedy) return a.segments.length > b.segments.length;
  return a.segments.length === b.segments.length;
}

/**
 * False when no path is both one of `a`'s requests and matched by `b`'s IAM pattern (or the reverse), read off the text
 * before the first and after the last wildcard: paths that part there never meet. Both ways of `shadows` need such a
 * path, so most pairs end here, before any automaton runs.
 */
function pathsMayMeet(a: MethodPattern, b: MethodPattern): boolean {
  return (a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix)) && (a.suffix.endsWith(b.suffix) || b.suffix.endsWith(a.suffix));
}

/** The method API Gateway routes `VERB path` to: the most specific resource, then its verb or ANY. */
function responsibleFor(patterns: readonly MethodPattern[], verb: string, path: string): MethodPattern | undefined {
  let best: MethodPattern[] = [];
  for (const pattern of patterns) {
    // A literal pattern's requests are its glob: the prefix (already matched) followed by anything when greedy, else the path itself.
    const matches =
      typeof __GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__ === 'undefined' || __GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__
        ? automataOf(pattern).template.matches(path)
        : pattern.greedy || path === pattern.glob;
    if (!path.startsWith(pattern.prefix) || !matches) continue;
    const order = best.length ? compareSpecificity(pattern, best[0]!) : 1;
    if (order > 0) best = [pattern];
    else if (order === 0) best.push(pattern);
  }
  return best.find((pattern) => pattern.verb === verb) ?? best.find((pattern) => pattern.verb === 'ANY');
}

/**
 * Positive when `a` is more specific than `b` for a request both match: segment by segment from the left, a literal
 * beats a parameter, a parameter beats the path's end, the end beats a greedy tail (API Gateway's route selection:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html).
 */
function compareSpecificity(a: MethodPattern, b: MethodPattern): number {
  for (let i = 0; i < a.ranks.length || i < b.ranks.length; i++) {
    const difference = (a.ranks[i] ?? 2) - (b.ranks[i] ?? 2);
    if (difference) return difference;
  }
  return 0;
}

/** A pattern's path languages: its requests (the template) and its IAM resource pattern (the glob), each built once, when first asked for. */
class PatternPaths {
  private templateAutomaton?: PathAutomaton;
  private globAutomaton?: PathAutomaton;
  /** The request paths API Gateway sends to this resource. */
  readonly templateTokens: readonly Token[];
  readonly globTokens: readonly Token[];

  constructor(pattern: MethodPattern) {
    this.templateTokens = templateTokens(pattern.segments, pattern.greedy);
    this.globTokens = globTokens(pattern.glob);
  }

  get template(): PathAutomaton {
    return (this.templateAutomaton ??= new PathAutomaton(this.templateTokens));
  }

  get glob(): PathAutomaton {
    return (this.globAutomaton ??= new PathAutomaton(this.globTokens));
  }
}

const paths = new WeakMap<MethodPattern, PatternPaths>();

function automataOf(pattern: MethodPattern): PatternPaths {
  let known = paths.get(pattern);
  if (!known) {
    known = new PatternPaths(pattern);
    paths.set(pattern, known);
  }
  return known;
}

/** Every token that satisfies `a` satisfies `b`. */
function implies(a: RouteGrant, b: RouteGrant): boolean {
  const issuers = b.issuers === undefined || (a.issuers !== undefined && a.issuers.every((iss) => b.issuers!.includes(iss)));
  if (!issuers) return false;
  const scopes = b.scopes.every((scope) => a.scopes.includes(scope));
  const roles = b.roles.length === 0 || (a.roles.length > 0 && a.roles.every((role) => b.roles.includes(role)));
  return scopes && roles;
}

/** What a set of granted methods allows and must deny, and whether one policy can say it (see `buildPolicy`). */
interface Split {
  readonly allowed: readonly MethodPattern[];
  readonly denied: readonly MethodPattern[];
  readonly expressible: boolean;
}

interface RouteTable {
  readonly patterns: readonly MethodPattern[];
  /** The split of one granted set, remembered: it depends on the granted methods only, never on the call. */
  readonly split: (granted: readonly string[]) => Split;
}

/** Granted sets remembered per route table; the oldest goes first. */
const MAX_SPLITS = 256;

/** Parsed once per route table: the handler passes the same array on every call. */
const parsedTables = new WeakMap<readonly string[], RouteTable>();

function routeTable(methods: readonly string[]): RouteTable {
  let table = parsedTables.get(methods);
  if (!table) {
    const patterns = [...new Set(methods)].map(parseMethod);
    const { shadowsAt, overlapping } = shadowIndex(patterns);
    const splits = new Map<string, Split>();
    const split = (granted: readonly string[]): Split => {
      const key = granted.join('\n');
      let known = splits.get(key);
      if (!known) {
        const grantedSet = new Set(granted);
        const isGranted = patterns.map((pattern) => grantedSet.has(pattern.method));
        const allowed = patterns.filter((_, i) => isGranted[i]);
        // Asked from the granted side: only the granted patterns' overlaps are ever listed (the relation is symmetric).
        const isDenied = patterns.map(() => false);
        patterns.forEach((_, g) => {
          if (isGranted[g]) for (const i of overlapping(g)) if (!isGranted[i] && !isDenied[i] && shadowsAt(i, g)) isDenied[i] = true;
        });
        const deniedAt = patterns.flatMap((_, i) => (isDenied[i] ? [i] : []));
        // A granted method nested inside a denied one would be refused by the Deny (Deny always wins).
        const expressible = !deniedAt.some((d) => overlapping(d).some((g) => isGranted[g] && shadowsAt(g, d)));
        known = { allowed, denied: deniedAt.map((i) => patterns[i]!), expressible };
        if (splits.size >= MAX_SPLITS) splits.delete(splits.keys().next().value as string);
        splits.set(key, known);
      }
      return known;
    };
    table = { patterns, split };
    parsedTables.set(methods, table);
  }
  return table;
}

/**
 * `shadows` for the patterns of one route table, by index: a pair is worked out the first time a granted set asks and
 * remembered (it does not depend on the token), and only pairs that may meet are ever asked (`overlapping`, found through
 * the patterns' prefixes rather than by trying all n² pairs; symmetric, so a split lists the granted patterns' alone).
 */
function shadowIndex(patterns: readonly MethodPattern[]): {
  shadowsAt: (inner: number, outer: number) => boolean;
  overlapping: (i: number) => readonly number[];
} {
  const n = patterns.length;
  const known = new Map<number, boolean>();
  const shadowsAt = (inner: number, outer: number): boolean => {
    let result = known.get(inner * n + outer);
    if (result === undefined) {
      result = shadows(patterns[inner]!, patterns[outer]!);
      known.set(inner * n + outer, result);
    }
    return result;
  };
  // The prefix index pays on large templated tables; a bundle for literal paths leaves it out and, once per pattern, asks
  // every other one (a literal pair is a few string comparisons, and the answers are kept like the index's).
  const around =
    typeof __GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__ === 'undefined' || __GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__
      ? prefixIndex(patterns)
      : () => patterns.map((_, j) => j);
  const candidates = new Map<number, number[]>();
  const overlapping = (i: number): readonly number[] => {
    let found = candidates.get(i);
    if (!found) {
      const pattern = patterns[i]!;
      const verbsOverlap = (other: MethodPattern) => other.verb === pattern.verb || other.verb === 'ANY' || pattern.verb === 'ANY';
      found = around(pattern.prefix).filter((j) => j !== i && verbsOverlap(patterns[j]!) && pathsMayMeet(pattern, patterns[j]!));
      candidates.set(i, found);
    }
    return found;
  };
  return { shadowsAt, overlapping };
}

/** The patterns whose prefix starts with `prefix` or is a prefix of it: the only ones whose paths may meet a pattern with this prefix. */
function prefixIndex(patterns: readonly MethodPattern[]): (prefix: string) => number[] {
  const byPrefix = new Map<string, number[]>();
  patterns.forEach((pattern, i) => {
    const group = byPrefix.get(pattern.prefix);
    if (group) group.push(i);
    else byPrefix.set(pattern.prefix, [i]);
  });
  const prefixes = [...byPrefix.keys()].sort();
  return (prefix) => {
    // Prefixes that start with this one are a run of the sorted list; the ones it starts with are its own prefixes.
    const around: number[] = [];
    for (let k = lowerBound(prefixes, prefix); k < prefixes.length && prefixes[k]!.startsWith(prefix); k++)
      around.push(...byPrefix.get(prefixes[k]!)!);
    for (let length = 0; length < prefix.length; length++) around.push(...(byPrefix.get(prefix.slice(0, length)) ?? []));
    return around;
  };
}

function lowerBound(sorted: readonly string[], value: string): number {
  let [low, high] = [0, sorted.length];
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
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
