// What each byte of the proxy and aggregator bundles is (esbuild metafile: bytes in the output per package and per
// Gatehouse directory), for BENCHMARKS.md's bundle section; deterministic, so test/benchmarks.test.ts checks it.
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import { proxyLeftOut } from '../../lib/constructs/bundling/proxy-bundle';
import { PROXY_CONFIG_GLOBAL, type ProxyConfig } from '../../lambdas/contract/proxy-config';
import { AGGREGATOR_CONFIG_GLOBAL, type AggregatorConfig, type PartConfig } from '../../lambdas/contract/aggregator-config';
import { LAMBDA_BUILD_OPTIONS } from '../../lib/constructs/bundling/bundle-handler';
import { proxyConfig } from '../../test/lambdas/proxy/support/events';

/** Why each package is in a bundle; a package without a reason here fails the analysis, so a new one gets justified. */
const WHY: Readonly<Record<string, string>> = {
  '@aws-lambda-powertools/logger': 'structured JSON logs, one line per request (DESIGN: one logger)',
  '@aws-lambda-powertools/metrics': 'EMF metrics (requests, upstream latency, breaker and retry counts)',
  '@aws-lambda-powertools/commons': "Powertools' shared base (env, serialization) the two above need",
  '@aws/lambda-invoke-store': "Powertools' per-invocation context store",
  ajv: 'JSON Schema validation of request bodies (only with a body schema)',
  'ajv-draft-04': 'draft-04 dialect for ajv, as API Gateway models use (only with a body schema)',
  'fast-uri': "ajv's URI handling for `$ref` and `format: uri` (only with a body schema)",
  'fast-deep-equal': "ajv's `const`/`enum` checks (only with a body schema)",
  'json-schema-traverse': "ajv's schema walker (only with a body schema)",
  'is-unsafe': "ajv's guard against prototype-polluting keys (only with a body schema)",
  'require-from-string': "ajv's loader for compiled code (only with a body schema)",
  'fast-xml-parser': 'XML to JSON for `xmlToJson` (only with xmlToJson)',
  'path-expression-matcher': "fast-xml-parser's path matching (only with xmlToJson)",
  '@nodable/entities': "fast-xml-parser's entity table (only with xmlToJson)",
  strnum: "fast-xml-parser's number detection (only with xmlToJson)",
  'lambdas/proxy': 'the proxy: routing, targets, degradation, errors',
  'lambdas/proxy/transform': 'Kong-style request/response transformer',
  'lambdas/shared': 'HTTP client, retries and budget, the state-table client loader, observability',
  'lambdas/shared/breaker': 'circuit breaker: core, rolling window, shared breaker, createBreakers, transition logs and metrics',
  'lambdas/shared/breaker/persistence': "the breakers' store: BasePersistenceLayer and the DynamoDB layer (the SDK itself stays external)",
  'lambdas/contract':
    'the config contract the planner writes: the init-time checks of the baked config (the transform check and its grammar too), retry and breaker settings, env and metric names',
  'lambdas/shared/rate-limit': 'rate limiter and its DynamoDB counter store',
  'lambdas/shared/api-keys': 'API-key helpers',
  'lambdas/shared/apigw':
    "API Gateway's side of the handler: event headers, payload 2.0 ⇄ 1.0, CORS, the proxy result and Lambda's 6 MB limit, a Lambda target's event",
  'lambdas/aggregator': 'the aggregator: fan-out, templates, merge, projection',
  '(baked config)': "the route's config, baked in at synth (this bench's small example config)",
  '(esbuild)': "esbuild's module wrappers (the rest of the output)",
};

interface Variant {
  readonly name: string;
  readonly handler: string;
  readonly define: Record<string, string>;
  readonly leaveOut: readonly string[];
}

function proxyVariant(name: string, config: ProxyConfig): Variant {
  return { name, handler: 'proxy/handler', define: { [PROXY_CONFIG_GLOBAL]: JSON.stringify(config) }, leaveOut: proxyLeftOut(config) };
}

const UPSTREAM = 'https://orders.internal.example.com';

/** A two-part dashboard, as the aggregator tests' fixtures build one (those import vitest, so not from here). */
function dashboardConfig(): AggregatorConfig {
  const part = (name: string): PartConfig => ({
    service: name,
    url: `${UPSTREAM}/${name}`,
    pathTemplate: `/${name}`,
    method: 'GET',
    timeoutMs: 5000,
    optional: false,
    forwardHeaders: [],
  });
  return {
    gateway: 'web',
    route: '/api/dashboard',
    parts: { profile: part('profile'), orders: part('orders') },
    deadlineMs: 10_000,
    correlationHeader: 'X-Correlation-Id',
    gatewayRequestIdHeader: 'X-Gateway-Request-Id',
    compressMinBytes: 1024,
  };
}
const schemaRoute = {
  prefix: '/api/orders',
  stripPath: true,
  validate: { body: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required: ['sku'] }, query: [], headers: [] },
};

/** The bundles analysed: the proxy as most configs build it, with each optional package, and the aggregator. */
export function analysedVariants(): Variant[] {
  return [
    proxyVariant('proxy', proxyConfig(UPSTREAM)),
    proxyVariant('proxy with a body schema (ajv)', proxyConfig(UPSTREAM, { routes: { 'ANY /api/orders': schemaRoute } })),
    proxyVariant('proxy with xmlToJson (fast-xml-parser)', proxyConfig(UPSTREAM, { transform: { response: { xmlToJson: true } } })),
    {
      name: 'aggregator',
      handler: 'aggregator/handler',
      define: { [AGGREGATOR_CONFIG_GLOBAL]: JSON.stringify(dashboardConfig()) },
      leaveOut: [],
    },
  ];
}

/** The group an input belongs to: its package, or its directory under lambdas/. */
function groupOf(input: string): string {
  if (input.startsWith('<define:')) return '(baked config)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (pkg) return pkg[1]!;
  const own = /(lambdas\/.*)\/[^/]+$/.exec(input);
  return own ? own[1]! : input;
}

export interface BundleBreakdown {
  readonly name: string;
  readonly bytes: number;
  readonly groups: { readonly group: string; readonly bytes: number }[];
}

export function analyse(variant: Variant): BundleBreakdown {
  const result = buildSync({
    ...LAMBDA_BUILD_OPTIONS,
    entryPoints: [join(__dirname, '..', '..', 'lambdas', `${variant.handler}.ts`)],
    outfile: 'index.js',
    write: false,
    metafile: true,
    define: variant.define,
    external: [...LAMBDA_BUILD_OPTIONS.external, ...variant.leaveOut],
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  const groups = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
    groups.set(groupOf(input), (groups.get(groupOf(input)) ?? 0) + bytesInOutput);
  const counted = [...groups.values()].reduce((a, b) => a + b, 0);
  groups.set('(esbuild)', output.bytes - counted);
  for (const group of groups.keys())
    if (!WHY[group]) throw new Error(`${variant.name}: ${group} is in the bundle without a reason in bench/support/bundle-analysis.ts`);
  return {
    name: variant.name,
    bytes: output.bytes,
    groups: [...groups].map(([group, bytes]) => ({ group, bytes })).sort((a, b) => b.bytes - a.bytes || a.group.localeCompare(b.group)),
  };
}

/** The section's body: one table per bundle, every group with its bytes, share and reason. */
export function bundleAnalysisMarkdown(): string {
  return analysedVariants()
    .map(analyse)
    .map((b) =>
      [
        `**${b.name}**: ${b.bytes} bytes minified`,
        '',
        '| part | bytes | share | why it is there |',
        '| ---- | ----- | ----- | --------------- |',
        ...b.groups.map((g) => `| ${g.group} | ${g.bytes} | ${((100 * g.bytes) / b.bytes).toFixed(1)} % | ${WHY[g.group]} |`),
      ].join('\n'),
    )
    .join('\n\n');
}
