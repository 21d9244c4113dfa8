// Which operation of a definition a request reaches, chosen as each API Gateway flavor chooses it.
import type { JsonObject } from './definition';

export interface MatchedOperation {
  /** The definition's path (REST resource path or HTTP route path), e.g. `/api/users/{proxy+}`. */
  readonly resourcePath: string;
  /** The operation's key in the definition: `get`, `post`, ..., `x-amazon-apigateway-any-method`. */
  readonly operationKey: string;
  readonly operation: JsonObject;
  readonly pathParameters: Readonly<Record<string, string>>;
  /** HTTP API route key (`GET /api/users`, `ANY /x/{proxy+}`, `$default`). */
  readonly routeKey: string;
}

export const ANY_METHOD = 'x-amazon-apigateway-any-method';
const OPERATION_KEYS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', ANY_METHOD]);

type Paths = Record<string, JsonObject>;

/**
 * REST: the resource is chosen by path alone, segment by segment, a literal before `{param}` before
 * `{proxy+}`; then the method on that resource (its own, else ANY). No match at either step is the
 * 403 "Missing Authentication Token" REST APIs answer. Doc: "Set up a proxy integration with a proxy resource"
 * (API Gateway developer guide) on how a greedy `{proxy+}` resource yields to more specific ones.
 */
export function matchRestOperation(paths: Paths, method: string, path: string): MatchedOperation | undefined {
  const segments = splitPath(path);
  const ranked = Object.keys(paths)
    .map((resourcePath) => ({ resourcePath, params: matchTemplate(resourcePath, segments) }))
    .filter((c): c is { resourcePath: string; params: Record<string, string> } => c.params !== undefined)
    .sort((a, b) => compareSpecificity(a.resourcePath, b.resourcePath));
  const best = ranked[0];
  if (!best) return undefined;
  const ops = paths[best.resourcePath]!;
  const key = ops[method.toLowerCase()] ? method.toLowerCase() : ops[ANY_METHOD] ? ANY_METHOD : undefined;
  if (!key) return undefined;
  return {
    resourcePath: best.resourcePath,
    operationKey: key,
    operation: ops[key],
    pathParameters: best.params,
    routeKey: `${key === ANY_METHOD ? 'ANY' : method} ${best.resourcePath}`,
  };
}

/**
 * HTTP API: among routes whose method (or ANY) and path match, the most specific path wins, and a
 * route with the request's own method beats ANY; nothing matches → the `$default` route, else 404.
 * Doc: "Working with routes for HTTP APIs" (API Gateway developer guide), route evaluation order.
 */
export function matchHttpRoute(paths: Paths, method: string, path: string): MatchedOperation | undefined {
  const segments = splitPath(path);
  const lower = method.toLowerCase();
  const candidates: (MatchedOperation & { exactMethod: boolean })[] = [];
  for (const [resourcePath, ops] of Object.entries(paths)) {
    if (resourcePath === '$default') continue;
    const params = matchTemplate(resourcePath, segments);
    if (!params) continue;
    for (const key of [lower, ANY_METHOD]) {
      if (ops[key])
        candidates.push({
          resourcePath,
          operationKey: key,
          operation: ops[key],
          pathParameters: params,
          routeKey: `${key === ANY_METHOD ? 'ANY' : method} ${resourcePath}`,
          exactMethod: key === lower,
        });
    }
  }
  candidates.sort((a, b) => compareSpecificity(a.resourcePath, b.resourcePath) || Number(b.exactMethod) - Number(a.exactMethod));
  const best = candidates[0];
  if (best) {
    const { exactMethod: _ignored, ...match } = best;
    return match;
  }
  const fallback = paths.$default?.[ANY_METHOD] ?? paths.$default?.[lower];
  return fallback
    ? { resourcePath: '$default', operationKey: ANY_METHOD, operation: fallback, pathParameters: {}, routeKey: '$default' }
    : undefined;
}

/** The operation keys a path item defines (no `parameters`, no other extensions). */
export function operationsOf(pathItem: Record<string, unknown>): string[] {
  return Object.keys(pathItem).filter((k) => OPERATION_KEYS.has(k));
}

export function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/** Path parameters when `template` matches the segments; a greedy `{name+}` takes one segment or more. */
function matchTemplate(template: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = splitPath(template);
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i]!;
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) {
      if (i !== parts.length - 1 || segments.length <= i) return undefined;
      params[greedy[1]!] = segments.slice(i).map(decodeSegment).join('/');
      return params;
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    const param = /^\{(.+)\}$/.exec(part);
    if (param) params[param[1]!] = decodeSegment(segment);
    else if (part !== segment) return undefined;
  }
  return parts.length === segments.length ? params : undefined;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Negative when `a` is more specific: compared segment by segment, literal < param < greedy; a longer literal prefix first. */
function compareSpecificity(a: string, b: string): number {
  const rank = (part: string | undefined) => (part === undefined ? 3 : /^\{.+\+\}$/.test(part) ? 2 : /^\{.+\}$/.test(part) ? 1 : 0);
  const pa = splitPath(a);
  const pb = splitPath(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const diff = rank(pa[i]) - rank(pb[i]);
    if (diff !== 0 && pa[i] !== undefined && pb[i] !== undefined) return diff;
    if (diff !== 0) return pa[i] === undefined ? 1 : -1;
  }
  return 0;
}
