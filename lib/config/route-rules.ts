// Route overlap rules: which route owns each method on each API Gateway resource, checked the way API Gateway would refuse them.
import { normalizePath, parsePathTemplate, routeResourcePaths } from './path-template';
import { uniqueIssues, type RawIssue } from './errors';
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
  const paramNames = new Map<string, Claim & { readonly name: string; readonly greedy: boolean }>(); // "/users/{}" → first name seen there
  const label = (index: number) => `routes[${index}]${gateway.routes[index]?.name ? ` ("${gateway.routes[index].name}")` : ''}`;
  gateway.routes.forEach((route, index) => {
    const routeAt = [...at, 'routes', index];
    [...new Set(route.paths)].forEach((path) => {
      const pathAt = [...routeAt, 'paths', route.paths.indexOf(path)];
      const resources = routeResourcePaths(path, route.match);
      if (resources.length > 1 && parsePathTemplate(path).params.includes('proxy')) {
        issues.push({
          path: pathAt,
          message: `${path} uses the parameter name "proxy", which a prefix route's implicit {proxy+} child takes: rename the parameter, or set match: exact`,
        });
        return;
      }
      const reported = new Set<number>();
      for (const resource of resources) {
        const claim = { index, path, resource };
        for (const problem of siblingNameProblems(claim, paramNames, label, gateway.flavor))
          issues.push({ path: pathAt, message: problem });
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
  return uniqueIssues(issues);
}

/** `ANY` conflicts with every verb on the same resource, and every verb with `ANY`. */
function conflictKeys(resource: string, method: string): string[] {
  return method === 'ANY' ? ['ANY', ...VERBS].map((m) => `${m} ${resource}`) : [`${method} ${resource}`, `ANY ${resource}`];
}

/**
 * Each parameter position of `claim.resource` must use the name the first route there used. A REST API also holds
 * one variable child per resource, greedy or not: `/users/{id}` next to a prefix route's `/users/{proxy+}` fails the
 * import ("A sibling ({id}) of this resource already has a variable path part -- only one is allowed", the
 * BadRequestException CreateResource answers); an HTTP API's route keys have no such tree.
 */
function siblingNameProblems(
  claim: Claim,
  seen: Map<string, Claim & { readonly name: string; readonly greedy: boolean }>,
  label: (index: number) => string,
  flavor: 'rest' | 'http',
): string[] {
  const problems: string[] = [];
  const segments = parsePathTemplate(claim.resource).segments;
  const own = parsePathTemplate(claim.path).segments.length;
  segments.forEach((segment, i) => {
    if (segment.kind === 'literal') return;
    const at = i < own ? claim.path : `${claim.resource}, below the prefix ${claim.path}`;
    const greedy = segment.kind === 'greedy';
    const parent = `/${segments
      .slice(0, i)
      .map((s) => (s.kind === 'literal' ? s.value : '{}'))
      .join('/')}`.replace(/^\/$/, '');
    const position = `${normalizePath(parent)}/${flavor === 'rest' ? '{*}' : greedy ? '{+}' : '{}'}`;
    const first = seen.get(position);
    const written = (name: string, plus: boolean) => `{${name}${plus ? '+' : ''}}`;
    if (!first) seen.set(position, { ...claim, name: segment.name, greedy });
    else if (first.index !== claim.index && first.greedy !== greedy) {
      problems.push(
        `${written(segment.name, greedy)} in ${at} and ${written(first.name, first.greedy)} in ${first.resource} (${label(first.index)}${first.resource !== first.path ? `, below its prefix ${first.path}` : ''}) ` +
          `are two variable resources under ${parent || '/'}, which a REST API refuses ("only one is allowed"): set match: exact on the prefix route, or use flavor: http, whose routes can sit side by side`,
      );
    } else if (first.index !== claim.index && first.name !== segment.name) {
      problems.push(
        `${written(segment.name, greedy)} in ${at} and ${written(first.name, greedy)} in ${first.resource} (${label(first.index)}) are the same API Gateway resource under two names, which API Gateway refuses: use one name at ${normalizePath(parent)}/${greedy ? '{+}' : '{}'}` +
          (greedy && (segment.name === 'proxy' || first.name === 'proxy')
            ? ' (a prefix route owns {proxy+} below its path; set match: exact on it, or name the greedy parameter proxy)'
            : ''),
      );
    }
  });
  return problems;
}
