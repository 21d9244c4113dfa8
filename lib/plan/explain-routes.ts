// The route table `explain` prints per gateway: every method on every resource, in the order API Gateway matches them.
import { endsGreedy } from '../config/path-template';
import { compareMatchOrder } from './path-template';
import type { GatewayPlan, PlanMethod, RoutePlan } from './types';

interface RouteTableRow {
  readonly path: string;
  readonly method: PlanMethod;
  readonly cells: string[];
}

/**
 * One row per method and resource, most specific first (a literal segment before a `{param}`, before the path's end,
 * before a greedy `{name+}`; on one resource, named verbs before ANY), so a reader sees which route answers a request.
 */
export function explainRouteTable(g: GatewayPlan): string[] {
  const rows: RouteTableRow[] = g.routes.flatMap((route) =>
    route.resourcePaths.flatMap((path) =>
      route.apiMethods.map((method) => ({ path, method, cells: [method, path, matchOf(route, path), backendOf(route), authOf(route)] })),
    ),
  );
  rows.sort(
    (a, b) =>
      compareMatchOrder(a.path, b.path) ||
      Number(a.method === 'ANY') - Number(b.method === 'ANY') ||
      (a.method < b.method ? -1 : a.method > b.method ? 1 : 0),
  );
  const header = ['METHOD', 'PATH', 'MATCH', 'BACKEND', 'AUTH'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    '  Match order (most specific first: literal, then {param}, then greedy):',
    ...[header, ...rows.map((r) => r.cells)].map((cells) => `    ${fmt(cells)}`),
  ];
}

function matchOf(route: RoutePlan, path: string): string {
  if (path !== route.path) return `below ${route.path}`;
  if (endsGreedy(path)) return 'greedy';
  return route.greedyChild ? 'prefix' : 'exact';
}

function backendOf(route: RoutePlan): string {
  const i = route.integration;
  if (i.kind === 'http-proxy') return `${route.service} (direct${i.vpcLink ? `, VPC link ${i.vpcLink.link}` : ''})`;
  if (i.kind === 'lambda-function') return `${i.service} (Lambda ${i.function})`;
  if (i.kind === 'lambda-proxy') return `${i.service} (proxy Lambda)`;
  return `aggregate ${i.aggregate}`;
}

function authOf(route: RoutePlan): string {
  const f = route.features;
  const jwt =
    f.auth === 'jwt'
      ? `jwt${f.scopes.length || f.roles.length ? `(${[...f.scopes, ...f.roles.map((r) => `role:${r}`)].join(',')})` : ''}`
      : '';
  return [jwt, f.apiKey ? 'api key' : ''].filter(Boolean).join(' + ') || 'none';
}
