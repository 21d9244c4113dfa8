// Path templates (`/users/{id}/keys`, `/files/{rest+}`): the grammar the config validates and the planner builds on (parsing,
// the problems API Gateway would refuse, the normalized shape two routes collide on, a prefix route's resources). A leaf:
// it lives with the config, the upstream layer, so the config's rules never reach into the planner for it.
//
// API Gateway's rules, as documented:
// - a path variable is a whole segment in braces; a greedy one (`{name+}`) "must be at the end of the resource path"
//   (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html);
// - a REST resource's path part is either literal (letters, digits, `._-`) or a variable in braces; API Gateway's
//   CreateResource refuses a part that mixes the two ("Resource's path part only allow a-zA-Z0-9._- and curly braces at
//   the beginning and the end and an optional plus sign before the closing brace"), and sibling resources cannot be two
//   variables of different names (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html);
// The order API Gateway matches templates in is a planning concern: lib/plan/path-template.ts.

/** The greedy path parameter of a prefix route's catch-all resource. */
export const GREEDY_SEGMENT = '{proxy+}';

/** The catch-all resource below `path`. */
export function greedyPath(path: string): string {
  return path === '/' ? `/${GREEDY_SEGMENT}` : `${path}/${GREEDY_SEGMENT}`;
}

export type PathSegment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

export interface PathTemplate {
  /** The path as written. */
  readonly path: string;
  readonly segments: readonly PathSegment[];
  /** Names of the one-segment and greedy parameters, in order. */
  readonly params: readonly string[];
}

/** A parameter name: what API Gateway maps as `method.request.path.<name>` and the proxy reads as `{path.<name>}`. */
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LITERAL = /^[A-Za-z0-9._~-]+$/;

/** The problems of a path as a template, each a sentence naming the fix; empty when API Gateway would take it. */
export function pathTemplateProblems(path: string): string[] {
  if (!path.startsWith('/')) return ['a path starts with "/" (e.g. /api/users)'];
  if (path === '/') return [];
  if (path.endsWith('/')) return ['drop the trailing "/" (a prefix route already matches everything below it)'];
  const problems: string[] = [];
  const parts = path.slice(1).split('/');
  const seen = new Set<string>();
  parts.forEach((part, index) => {
    if (part === '') {
      problems.push('a path has no empty segments ("//")');
      return;
    }
    const param = /^\{([^{}]*?)(\+?)\}$/.exec(part);
    if (!param) {
      if (part.includes('{') || part.includes('}')) {
        problems.push(
          `segment "${part}" mixes text and a parameter, which API Gateway refuses: a parameter is a whole segment, e.g. /files/{name}`,
        );
      } else if (!LITERAL.test(part)) {
        problems.push(`segment "${part}" may use letters, digits and . _ ~ - only (or be a parameter such as {id})`);
      }
      return;
    }
    const [, name, plus] = param as unknown as [string, string, string];
    if (!PARAM_NAME.test(name)) {
      problems.push(`parameter "{${name}${plus}}" needs a name of letters, digits and "_", starting with a letter or "_" (e.g. {userId})`);
      return;
    }
    if (seen.has(name)) problems.push(`parameter {${name}} appears twice in ${path}; give each its own name`);
    seen.add(name);
    if (plus && index !== parts.length - 1)
      problems.push(`the greedy parameter {${name}+} must be the last segment (API Gateway matches "the rest of the path" with it)`);
  });
  return problems;
}

/** Parses a path that `pathTemplateProblems` accepted. Throws TypeError otherwise (a caller skipped validation). */
export function parsePathTemplate(path: string): PathTemplate {
  const problems = pathTemplateProblems(path);
  if (problems.length) throw new TypeError(`${path}: ${problems.join('; ')}`);
  const segments: PathSegment[] = path === '/' ? [] : path.slice(1).split('/').map(toSegment);
  const params = segments.flatMap((s) => (s.kind === 'literal' ? [] : [s.name]));
  return { path, segments, params };
}

function toSegment(part: string): PathSegment {
  const param = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/.exec(part);
  if (!param) return { kind: 'literal', value: part };
  return param[2] ? { kind: 'greedy', name: param[1]! } : { kind: 'param', name: param[1]! };
}

/** Whether a path has any parameter. */
export function isTemplated(path: string): boolean {
  return path.includes('{');
}

/** Whether the path ends in a greedy parameter (`{rest+}`), so it has nothing below it. */
export function endsGreedy(path: string): boolean {
  return /\{[^{}]+\+\}$/.test(path);
}

/**
 * The path with parameter names erased (`/users/{id}` and `/users/{uid}` are both `/users/{}`, greedy ones `{+}`):
 * API Gateway sees one resource there, so two routes with the same normalized path and method collide.
 */
export function normalizePath(path: string): string {
  return path.replace(/\{[^{}]*?(\+?)\}/g, (_m, plus: string) => (plus ? '{+}' : '{}'));
}

/**
 * The API Gateway resource paths a route path owns: with `match: prefix` the path and its implicit `{proxy+}` child,
 * with `match: exact` (or a path that already ends greedy) the path alone.
 */
export function routeResourcePaths(path: string, match: 'prefix' | 'exact'): string[] {
  const child = routeGreedyChild(path, match);
  return child ? [path, child] : [path];
}

/** The implicit `{proxy+}` child a `match: prefix` route owns below its path; none when it is exact or already ends greedy. */
export function routeGreedyChild(path: string, match: 'prefix' | 'exact'): string | undefined {
  return match === 'exact' || endsGreedy(path) ? undefined : greedyPath(path);
}
