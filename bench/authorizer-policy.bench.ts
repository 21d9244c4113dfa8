// Authorizer policy building on large templated REST route tables: grantedMethods + buildPolicy for a scope set the container
// has not seen yet, next to the simplest policy builder, at 10 / 50 / 200 / 500 route grants.
//
//   npm run bench:authorizer-policy [-- --runs N] [-- --write]
//
// Tables come from the planner (planSpec on a generated config, as the authorizer bundle is baked), so their methods have the
// planner's shape. Two cases per size, each a median over up to `--runs` timed calls (at most RUN_BUDGET_MS per cell):
// - cold: the first policy of a container, i.e. a route table the module has never seen (a fresh array each run) and a new
//   scope set; it includes whatever per-table work the policy builder does once;
// - warm table: the table already seen, a scope set not seen before (a new granted set each run).
// Baseline: one Allow statement of every granted method's ARN, no Deny analysis; the floor of writing a policy at all. It
// is exact only on tables where no templated method's `*` reaches another route (not these), which is why Gatehouse does more.
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import type { RouteGrant } from '../lambdas/contract/authorizer-config';
import {
  ANY_VERBS,
  buildPolicy,
  grantedMethods,
  largestPolicyDocumentBytes,
  MAX_POLICY_DOCUMENT_BYTES,
  type PolicyDocument,
} from '../lambdas/contract/route-grants';
import { validateConfig } from '../lib/config/load';
import { planSpec } from '../lib/plan/plan';
import { provenance, writeSection } from './support/benchmarks-section';

const API_PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/';
const SIZES = [10, 50, 200, 500] as const;
/** `flat`: every family below `/v1`; `tenant`: half of them below `/v1/orgs/{org}` (see familyRoutes). */
const SHAPES = ['flat', 'tenant'] as const;
type Shape = (typeof SHAPES)[number];
/** Timed calls per cell at most, and the wall time a cell may take (whichever comes first; at least MIN_RUNS). */
const DEFAULT_RUNS = 25;
const MIN_RUNS = 3;
const RUN_BUDGET_MS = 6000;
const RESOURCES = ['users', 'orders', 'products', 'invoices', 'accounts', 'carts', 'shipments', 'payments', 'reviews', 'coupons'];

/**
 * One route family of a REST API, every path exact (a REST API allows one variable child per resource): collection, item,
 * nested items, a greedy `{item+}` below them on even families, and on odd families an admin-only `keys` below the item: the
 * Deny exception (`GET/v1/users/*` also matches `/v1/users/7/keys`). In a `tenant` table, half the families sit below
 * `/v1/orgs/{org}/<name>` instead of `/v1/<name>`: the tenant's `*` spans `/`, so those families' patterns overlap each
 * other and no single cached policy expresses the table (the planner turns the cache off). 8 grants a family.
 */
function familyRoutes(index: number, shape: Shape): object[] {
  const name = `${RESOURCES[index % RESOURCES.length]}${index >= RESOURCES.length ? Math.floor(index / RESOURCES.length) : ''}`;
  const base = shape === 'tenant' && index % 4 >= 2 ? `/v1/orgs/{org}/${name}` : `/v1/${name}`;
  const read = [`${name}:read`];
  const write = [`${name}:write`];
  const route = (method: string, path: string, scopes: string[]) => ({
    service: 'backend',
    paths: [path],
    methods: [method],
    match: 'exact',
    auth: { jwt: { scopes } },
  });
  return [
    route('GET', base, read),
    route('POST', base, write),
    route('GET', `${base}/{id}`, read),
    route('PUT', `${base}/{id}`, write),
    route('DELETE', `${base}/{id}`, write),
    route('GET', `${base}/{id}/items`, read),
    index % 2 === 0 ? route('GET', `${base}/{id}/items/{item+}`, read) : route('GET', `${base}/{id}/keys`, ['admin']),
    route('POST', `${base}/{id}/items`, write),
  ];
}

/** The authorizer's route table for a generated REST gateway of `size` grants . */
function plannedTable(size: number, shape: Shape): { routes: RouteGrant[]; cacheTtlSeconds: number } {
  const routes = Array.from({ length: Math.ceil(size / 8) }, (_, i) => familyRoutes(i, shape)).flat();
  const plan = planSpec(
    validateConfig({
      services: { backend: { url: 'https://backend.internal' } },
      gateways: { api: { auth: { jwt: { issuers: [{ issuer: 'https://login.example.com/', audience: ['api'] }] } }, routes } },
    }),
  );
  const authorizer = plan.gateways[0]!.authorizer!;
  if (authorizer.config.routes.length < size) throw new Error(`planned ${authorizer.config.routes.length} grants, wanted ${size}`);
  return { routes: authorizer.config.routes.slice(0, size), cacheTtlSeconds: authorizer.cacheTtlSeconds };
}

/** Deterministic scope sets: a seeded generator, so every run of the bench draws the same sequence. */
function scopeSets(routes: readonly RouteGrant[], seed: number): () => string[] {
  const scopes = [...new Set(routes.flatMap((r) => r.scopes))].sort();
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
  return () => scopes.filter((scope) => (scope === 'admin' ? random() < 0.1 : random() < 0.5));
}

/** The simplest policy a user would write: the granted methods' ARNs in one Allow, `{param}` and greedy tails as `*`. */
function baselinePolicy(routes: readonly RouteGrant[], scopes: readonly string[], methodArn: string): PolicyDocument {
  const prefix = methodArn.slice(0, methodArn.indexOf('/', methodArn.indexOf('/') + 1) + 1);
  const held = new Set(scopes);
  const resources: string[] = [];
  for (const route of routes) {
    if (!route.scopes.every((s) => held.has(s))) continue;
    const slash = route.method.indexOf('/');
    const verb = route.method.slice(0, slash);
    const path = route.method.slice(slash + 1).replace(/\{[^/]+\}/g, '*');
    for (const v of verb === 'ANY' ? ANY_VERBS : [verb]) resources.push(`${prefix}${v}/${path}`);
  }
  if (resources.length === 0)
    return { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [methodArn] }] };
  return { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resources }] };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Cell {
  readonly gatehouseMs: number;
  readonly baselineMs: number;
  readonly runs: number;
}

/**
 * Times `gatehouse` and `baseline` interleaved, one call each per run, on a new scope set per run (a set whose granted
 * methods were already timed is skipped, so the warm case never hits a remembered split).
 */
function timeCell(
  routes: readonly RouteGrant[],
  maxRuns: number,
  seed: number,
  gatehouse: (scopes: string[], methodArn: string) => unknown,
  baseline: (scopes: string[], methodArn: string) => unknown,
): Cell {
  const nextScopes = scopeSets(routes, seed);
  const seen = new Set<string>();
  const methodArn = `${API_PREFIX}GET/v1/users/7`;
  const gatehouseTimes: number[] = [];
  const baselineTimes: number[] = [];
  const started = performance.now();
  for (let attempt = 0; attempt < maxRuns * 20 && gatehouseTimes.length < maxRuns; attempt++) {
    if (gatehouseTimes.length >= MIN_RUNS && performance.now() - started > RUN_BUDGET_MS) break;
    const scopes = nextScopes();
    const key = grantedMethods(routes, scopes, []).join('\n');
    if (seen.has(key)) continue;
    seen.add(key);
    let t = performance.now();
    gatehouse(scopes, methodArn);
    gatehouseTimes.push(performance.now() - t);
    t = performance.now();
    baseline(scopes, methodArn);
    baselineTimes.push(performance.now() - t);
  }
  return { gatehouseMs: median(gatehouseTimes), baselineMs: median(baselineTimes), runs: gatehouseTimes.length };
}

interface Row {
  readonly shape: Shape;
  readonly size: number;
  readonly cacheTtlSeconds: number;
  readonly cold: Cell;
  readonly warm: Cell;
  readonly allowArns: number;
  readonly denyArns: number;
  readonly documentBytes: number;
  /** The most any token's whole-API document could take (over MAX_POLICY_DOCUMENT_BYTES: call-only policies, cache off). */
  readonly largestBytes: number;
}

function measure(shape: Shape, size: number, maxRuns: number): Row {
  const { routes, cacheTtlSeconds } = plannedTable(size, shape);
  const methods = routes.map((r) => r.method);
  const baseline = (scopes: string[], methodArn: string) => baselinePolicy(routes, scopes, methodArn);
  // Cold: a copy of the table each run, so nothing the module keeps per table is reused.
  const cold = timeCell(
    routes,
    maxRuns,
    1,
    (scopes, methodArn) => buildPolicy(methodArn, grantedMethods(routes, scopes, []), [...methods]),
    baseline,
  );
  // Warm: the one table, parsed by a first call outside the timing.
  buildPolicy(`${API_PREFIX}GET/`, [], methods);
  const warm = timeCell(
    routes,
    maxRuns,
    2,
    (scopes, methodArn) => buildPolicy(methodArn, grantedMethods(routes, scopes, []), methods),
    baseline,
  );
  // The document of a token holding every read scope (no write, no admin): the shape most tokens get.
  const reader = [...new Set(routes.flatMap((r) => r.scopes))].filter((s) => s.endsWith(':read'));
  const document = buildPolicy(`${API_PREFIX}GET/v1/users`, grantedMethods(routes, reader, []), methods).policyDocument;
  const arns = (effect: string) => document.Statement.filter((s) => s.Effect === effect).reduce((n, s) => n + s.Resource.length, 0);
  return {
    shape,
    size,
    cacheTtlSeconds,
    cold,
    warm,
    allowArns: arns('Allow'),
    denyArns: arns('Deny'),
    documentBytes: JSON.stringify(document).length,
    largestBytes: largestPolicyDocumentBytes(methods, API_PREFIX),
  };
}

const ms = (value: number) => (value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(3));
const ratio = (cell: Cell) => (cell.gatehouseMs / cell.baselineMs).toFixed(1);

function markdown(rows: readonly Row[], header: string): string {
  return [
    header,
    '',
    '| table | route grants | cold: gatehouse ms | baseline ms | ratio | warm table: gatehouse ms | baseline ms | ratio | runs (cold / warm) | reader policy: Allow / Deny ARNs, bytes | largest policy, bytes | planner cache TTL |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.shape} | ${r.size} | ${ms(r.cold.gatehouseMs)} | ${ms(r.cold.baselineMs)} | ${ratio(r.cold)}× | ${ms(r.warm.gatehouseMs)} | ${ms(r.warm.baselineMs)} | ${ratio(r.warm)}× | ` +
        `${r.cold.runs} / ${r.warm.runs} | ${r.allowArns} / ${r.denyArns}, ${r.documentBytes} | ${r.largestBytes} | ${r.cacheTtlSeconds} s |`,
    ),
  ].join('\n');
}

function main(): void {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--runs');
  const runs = at >= 0 ? Number(argv[at + 1]) : DEFAULT_RUNS;
  if (!Number.isInteger(runs) || runs < MIN_RUNS) throw new Error(`--runs takes an integer >= ${MIN_RUNS}, got ${argv[at + 1]}`);
  const load = loadavg();
  const rows = SHAPES.flatMap((shape) => SIZES.map((size) => measure(shape, size, runs)));
  const header =
    `${provenance(load)} Median of up to ${runs} calls per cell (at most ${RUN_BUDGET_MS / 1000} s of calls each), a new scope set per call; ` +
    'ratio = gatehouse / baseline (one Allow of the granted ARNs, no Deny analysis). "Reader policy": the document of a token holding every ' +
    `read scope; a whole-API document over ${MAX_POLICY_DOCUMENT_BYTES} bytes is replaced by a call-only one (1 ARN), and a table whose ` +
    '"largest policy" passes that, or that no single policy expresses, is planned with cache TTL 0.';
  const text = markdown(rows, header);
  console.log(text);
  if (argv.includes('--write')) writeSection('authorizer-policy', text);
}

main();
