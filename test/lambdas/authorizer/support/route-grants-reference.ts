// The route-grant policy builder as it was before issue 20 made it fast (main@626a67a), kept verbatim as the reference the
// optimized lambdas/contract/route-grants.ts must agree with on random tables (route-grants-equivalence.test.ts). Not shipped.
// The route-grant language both sides must agree on: the IAM policy a token gets (every method it may call, so API Gateway's
// cached copy stays right), and whether a route table can be cached safely at all (the planner asks before it turns caching on).
import type { RouteGrant } from '../../../../lambdas/contract/authorizer-config';

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
  /** The request paths API Gateway sends to this resource. */
  readonly template: readonly Token[];
}

/** Throws TypeError for a method that is not `VERB/path` with at most a trailing `*` or `{name+}`. */
export function parseMethod(method: string): MethodPattern {
  const match = METHOD.exec(method);
  if (!match) throw new TypeError(`route method ${JSON.stringify(method)} is not VERB/path with an optional trailing *`);
  const named = /(^|\/)\{\w+\+\}$/.exec(match[2]!);
  const greedy = match[3] === '*' || named !== null;
  const path = named ? match[2]!.slice(0, named.index) : match[2]!.replace(/\/$/, '');
  const segments = path ? path.split('/').map((part) => (/^\{\w+\}$/.test(part) ? null : part)) : [];
  const template = templateTokens(segments, greedy);
  const glob = template.map((t) => (t === Run.SegmentChars ? '' : typeof t === 'string' ? t : '*')).join('');
  return {
    method,
    verb: match[1]!,
    ranks: [...segments.map((segment) => (segment === null ? 3 : 4)), greedy ? 1 : 2],
    glob,
    prefix: glob.split('*')[0]!,
    template,
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
  // Paths that part before their first wildcard never meet: most pairs end here, before any automaton runs.
  const [a, b] = [inner.prefix, outer.prefix];
  if (inner.method === outer.method || !verbsOverlap || !(a.startsWith(b) || b.startsWith(a))) return false;
  const glob = globTokens(outer.glob);
  if (someString([glob, inner.template, outer.template], [true, true, false])) return true;
  if (!someString([inner.template, outer.template], [true, true])) return false;
  const order = compareSpecificity(inner, outer);
  return order > 0 || (order === 0 && inner.verb !== 'ANY' && outer.verb === 'ANY');
}

/** The method API Gateway routes `VERB path` to: the most specific resource, then its verb or ANY. */
function responsibleFor(patterns: readonly MethodPattern[], verb: string, path: string): MethodPattern | undefined {
  let best: MethodPattern[] = [];
  for (const pattern of patterns) {
    if (!path.startsWith(pattern.prefix) || !accepts(pattern.template, path)) continue;
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

/** Every token that satisfies `a` satisfies `b`. */
function implies(a: RouteGrant, b: RouteGrant): boolean {
  const issuers = b.issuers === undefined || (a.issuers !== undefined && a.issuers.every((iss) => b.issuers!.includes(iss)));
  if (!issuers) return false;
  const scopes = b.scopes.every((scope) => a.scopes.includes(scope));
  const roles = b.roles.length === 0 || (a.roles.length > 0 && a.roles.every((role) => b.roles.includes(role)));
  return scopes && roles;
}

// ---- path languages: IAM patterns and API Gateway resources as small automata over the path's characters ----

/** What a pattern step other than one character matches (numbers, so a path character is never mistaken for one). */
const enum Run {
  /** One character but `/`. */
  OneSegmentChar = 1,
  /** A run without `/`. */
  SegmentChars,
  /** Any run. */
  AnyChars,
}
/** One step of a pattern: a character or a run. */
type Token = string | Run;

function templateTokens(segments: readonly (string | null)[], greedy: boolean): Token[] {
  const tokens: Token[] = [];
  segments.forEach((segment, i) => {
    if (i > 0) tokens.push('/');
    if (segment === null) tokens.push(Run.OneSegmentChar, Run.SegmentChars);
    else tokens.push(...segment);
  });
  if (greedy) tokens.push(...(segments.length ? ['/'] : []), Run.AnyChars);
  return tokens;
}

function globTokens(glob: string): Token[] {
  return [...glob].map((char) => (char === '*' ? Run.AnyChars : char));
}

/** The states reachable from `states` without reading a character (a run may be empty). */
function closure(tokens: readonly Token[], states: readonly number[]): number[] {
  const out = new Set(states);
  for (const state of out) if (tokens[state] === Run.SegmentChars || tokens[state] === Run.AnyChars) out.add(state + 1);
  return [...out].sort(); // one order per set, so equal sets give equal keys
}

function step(tokens: readonly Token[], states: readonly number[], char: string): number[] {
  const next: number[] = [];
  for (const state of states) {
    const token = tokens[state];
    if (token === Run.AnyChars || (token === Run.SegmentChars && char !== '/')) next.push(state);
    else if (token === char || (token === Run.OneSegmentChar && char !== '/')) next.push(state + 1);
  }
  return closure(tokens, next);
}

function accepts(tokens: readonly Token[], path: string): boolean {
  let states = closure(tokens, [0]);
  for (const char of path) states = step(tokens, states, char);
  return states.includes(tokens.length);
}

/**
 * Whether some path is accepted by each automaton whose `accept` is true and refused by each whose `accept` is false
 * (breadth first over the sets of states, on the characters the patterns name plus one they do not).
 */
function someString(automata: readonly (readonly Token[])[], accept: readonly boolean[]): boolean {
  const alphabet = new Set(['/', '\u0001']);
  for (const tokens of automata) for (const t of tokens) if (typeof t === 'string') alphabet.add(t);
  const start = automata.map((tokens) => closure(tokens, [0]));
  const seen = new Set<string>([JSON.stringify(start)]);
  const queue = [start];
  while (queue.length) {
    const states = queue.shift()!;
    if (states.every((s, i) => s.includes(automata[i]!.length) === accept[i])) return true;
    for (const char of alphabet) {
      const next = states.map((s, i) => step(automata[i]!, s, char));
      if (next.some((s, i) => accept[i] && !s.length)) continue; // a required language can no longer accept
      const key = JSON.stringify(next);
      if (!seen.has(key)) {
        seen.add(key);
        queue.push(next);
      }
    }
  }
  return false;
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
    const splits = new Map<string, Split>();
    const split = (granted: readonly string[]): Split => {
      const key = granted.join('\n');
      let known = splits.get(key);
      if (!known) {
        const grantedSet = new Set(granted);
        const allowed = patterns.filter((pattern) => grantedSet.has(pattern.method));
        const denied = patterns.filter((pattern) => !grantedSet.has(pattern.method) && allowed.some((grant) => shadows(pattern, grant)));
        // A granted method nested inside a denied one would be refused by the Deny (Deny always wins).
        known = { allowed, denied, expressible: !denied.some((deny) => allowed.some((grant) => shadows(grant, deny))) };
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
