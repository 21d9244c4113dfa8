// Route overlap rules: which route owns each method on each API Gateway resource, checked the way API Gateway would refuse them.
import { normalizePath, parsePathTemplate, routeResourcePaths } from '../plan/path-template';
import type { RawIssue } from './errors';
import type { GatewaySpec } from './schema';

const VERBS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

interface Claim {
  readonly index: number;
  readonly path: string;
  readonly resource: string;
}

/**
 * Two routes claiming the same method on the same resource: API Gateway has one method there, so the import would
 * fail or one route would silently lose. Parameter names do not matter (`/users/{id}` and `/users/{uid}` are one
 * resource), `ANY` claims every verb, and one path may be split by method between services (CQRS: GET → reader,
 * POST → writer). A sibling parameter under the same parent must keep one name: a REST API cannot hold
 * `/users/{id}` and `/users/{uid}` side by side (see path-template.ts), and the implicit `{proxy+}` of a prefix route
 * is such a sibling too.
 */
export function checkRouteConflicts(gateway: GatewaySpec, at: readonly (string | number)[]): RawIssue[] {
  const issues: RawIssue[] = [];
  const byMethod = new Map<string, Claim>(); // "GET /users/{}" → first claim
  const paramNames = new Map<string, Claim & { readonly name: string }>(); // "/users/{}" → first name seen there
  const label = (index: number) => `routes[${index}]${gateway.routes[index]?.name ? ` ("${gateway.routes[index]!.name}")` : ''}`;
  gateway.routes.forEach((route, index) => {
    const routeAt = [...at, 'routes', index];
    [...new Set(route.paths)].forEach((path) => {
      const pathAt = [...routeAt, 'paths', route.paths.indexOf(path)];
      const resources = routeResourcePaths(path, route.match);
      if (resources.length > 1 && parsePathTemplate(path).params.includes('proxy')) {
        issues.push({ path: pathAt, message: `${path} uses the parameter name "proxy", which a prefix route's implicit {proxy+} child takes: rename the parameter, or set match: exact` });
        return;
      }
      const reported = new Set<number>();
      for (const resource of resources) {
        const claim = { index, path, resource };
        for (const problem of siblingNameProblems(claim, paramNames, label)) issues.push({ path: pathAt, message: problem });
        for (const method of route.methods) {
          for (const key of conflictKeys(normalizePath(resource), method)) {
            const other = byMethod.get(key);
            if (!other || other.index === index || reported.has(other.index)) continue;
            reported.add(other.index);
            const renamed = other.path !== path && normalizePath(other.path) === normalizePath(path);
            issues.push({
              path: pathAt,
              message:
                `${method} ${path} is already routed by ${label(other.index)} (${key.split(' ')[0]} ${other.resource}` +
                `${other.resource !== other.path ? `, below its prefix ${other.path}` : ''}${renamed ? '; parameter names do not matter, API Gateway sees one resource' : ''})` +
                '; each method of a path belongs to one route: split the methods between the routes (GET to one service, POST to another), or set match: exact on the prefix route',
            });
          }
          const own = `${method} ${normalizePath(resource)}`;
          if (!byMethod.has(own)) byMethod.set(own, claim);
        }
      }
    });
  });
  return dedupe(issues);
}

/** `ANY` conflicts with every verb on the same resource, and every verb with `ANY`. */
function conflictKeys(resource: string, method: string): string[] {
  return method === 'ANY' ? ['ANY', ...VERBS].map((m) => `${m} ${resource}`) : [`${method} ${resource}`, `ANY ${resource}`];
}

/** Each parameter position of `claim.resource` must use the name the first route there used. */
function siblingNameProblems(
  claim: Claim,
  seen: Map<string, Claim & { readonly name: string }>,
  label: (index: number) => string,
): string[] {
  const problems: string[] = [];
  const segments = parsePathTemplate(claim.resource).segments;
  segments.forEach((segment, i) => {
    if (segment.kind === 'literal') return;
    const position = normalizePath(`/${segments.slice(0, i + 1).map((s) => (s.kind === 'literal' ? s.value : s.kind === 'param' ? `{${s.name}}` : `{${s.name}+}`)).join('/')}`);
    const first = seen.get(position);
    if (!first) seen.set(position, { ...claim, name: segment.name });
    else if (first.name !== segment.name && first.index !== claim.index) {
      problems.push(
        `{${segment.name}${segment.kind === 'greedy' ? '+' : ''}} in ${claim.resource} and {${first.name}${segment.kind === 'greedy' ? '+' : ''}} in ${first.resource} (${label(first.index)}) are the same API Gateway resource under two names, which API Gateway refuses: use one name at ${position}` +
          (segment.kind === 'greedy' && (segment.name === 'proxy' || first.name === 'proxy') ? ' (a prefix route owns {proxy+} below its path; set match: exact on it, or name the greedy parameter proxy)' : ''),
      );
    }
  });
  return problems;
}

function dedupe(issues: RawIssue[]): RawIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path.join('.')}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
