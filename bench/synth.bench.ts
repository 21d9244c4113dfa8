// Synth benchmark: Gatehouse vs the plain aws-cdk-lib code a user would write for the same prefix routes.
// Run with `npm run bench:synth`. Results and their reading live in BENCHMARKS.md.
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GatehouseStack } from '../lib/stack';
import type { GatehouseSpecInput } from '../lib/spec/schema';
import { CFN_RESOURCES_PER_STACK, CFN_TEMPLATE_BYTES } from '../lib/spec/limits';

const SIZES = [10, 100, 300] as const;
/** Runs per (implementation, size); the first also warms up, the median of all three is reported. */
const RUNS = 3;
const METHODS = ['GET', 'POST', 'PUT'] as const;
const ORIGIN = 'https://app.example.com';
const SERVICES = {
  'svc-a': 'https://svc-a.internal.example.com:8080',
  'svc-b': 'https://svc-b.internal.example.com:8080',
} as const;
const SERVICE_NAMES = Object.keys(SERVICES) as (keyof typeof SERVICES)[];
/** Raised "Resources per API" quota: 300 routes need 2 × 300 + 2 API Gateway resources, over AWS's default 300. */
const RESOURCES_PER_API = 1000;
/** CDK's own synth-time check on resources per stack; 0 turns it off (used only to measure what would not deploy). */
const STACK_RESOURCE_LIMIT_CONTEXT = '@aws-cdk/core:stackResourceLimit';

type Impl = 'gatehouse' | 'plain-cdk';

interface TemplateStats {
  readonly name: string;
  readonly resources: number;
  readonly bytes: number;
}

interface Result {
  readonly impl: Impl;
  readonly routes: number;
  /** Synth with CDK's defaults, which include its built-in CloudFormation template validation. */
  readonly runsMs: number[];
  readonly medianMs: number;
  /** The same with that validation off (CDK_VALIDATION=false). */
  readonly runsNoValidationMs: number[];
  readonly medianNoValidationMs: number;
  readonly templates: TemplateStats[];
  readonly totalResources: number;
  readonly largestStack: number;
  readonly totalBytes: number;
  readonly largestBytes: number;
  /** CDK's error when synth with default settings refused the app (plain CDK over 500 resources in its stack). */
  readonly defaultSynthError?: string;
}

/** The repo's cdk.json context (feature flags), so both apps synthesize as `cdk synth` would here. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

function serviceFor(i: number): keyof typeof SERVICES {
  return SERVICE_NAMES[i % SERVICE_NAMES.length] ?? 'svc-a';
}

/** n prefix routes /svc/r<i>, GET/POST/PUT, CORS with one origin, alternating between two services. */
function gatehouseSpec(n: number): GatehouseSpecInput {
  return {
    account: { quotas: { resourcesPerApi: RESOURCES_PER_API } },
    services: Object.fromEntries(Object.entries(SERVICES).map(([name, url]) => [name, { url }])),
    gateways: {
      bench: {
        cors: { origins: [ORIGIN] },
        routes: Array.from({ length: n }, (_, i) => ({
          service: serviceFor(i),
          paths: [`/svc/r${i}`],
          methods: [...METHODS],
        })),
      },
    },
  };
}

function buildGatehouse(app: App, n: number): void {
  // cdk-nag is deliberately not added (no addGatehouseChecks): the benchmark measures synth, not checks.
  new GatehouseStack(app, 'Bench', { spec: gatehouseSpec(n) });
}

/** What a user would write by hand with aws-cdk-lib for the same routes. */
function buildPlain(app: App, n: number): void {
  const stack = new Stack(app, 'Bench');
  const api = new apigw.RestApi(stack, 'Api', {
    defaultCorsPreflightOptions: { allowOrigins: [ORIGIN] },
  });
  for (let i = 0; i < n; i++) {
    const base = SERVICES[serviceFor(i)];
    const path = `/svc/r${i}`;
    const resource = api.root.resourceForPath(path);
    // Default options, as asked: HTTP_PROXY with IntegrationHttpMethod GET, so POST and PUT reach the
    // upstream as GET. Fixing that (httpMethod: 'ANY') changes bytes, not resource counts.
    const exact = new apigw.HttpIntegration(`${base}${path}`);
    for (const m of METHODS) resource.addMethod(m, exact);
    // The greedy child makes it a prefix route. Its integration needs the {proxy} mapping to be valid at all.
    const proxy = resource.addProxy({ anyMethod: false });
    const greedy = new apigw.HttpIntegration(`${base}${path}/{proxy}`, {
      options: { requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' } },
    });
    for (const m of METHODS) {
      proxy.addMethod(m, greedy, { requestParameters: { 'method.request.path.proxy': true } });
    }
  }
}

/** Parent template plus every nested stack template (`*.nested.template.json`) in the cloud assembly. */
function templatesIn(outdir: string): TemplateStats[] {
  return readdirSync(outdir)
    .filter((f) => f.endsWith('.template.json'))
    .sort((a, b) => Number(a.endsWith('.nested.template.json')) - Number(b.endsWith('.nested.template.json')) || a.localeCompare(b))
    .map((file) => {
      const template = JSON.parse(readFileSync(join(outdir, file), 'utf8')) as { Resources?: Record<string, unknown> };
      return {
        name: file.replace(/\.template\.json$/, ''),
        resources: Object.keys(template.Resources ?? {}).length,
        bytes: Buffer.byteLength(JSON.stringify(template)),
      };
    });
}

interface Run {
  readonly ms: number;
  readonly templates?: TemplateStats[];
}

/**
 * One fresh App in a fresh temp outdir: construct the stack and synth, timed together.
 * `overLimit` is set only after a default synth of plain CDK failed on CDK's 500-resources-per-stack check:
 * it turns that check off so the stack that would not deploy can still be counted.
 */
function runOnce(impl: Impl, n: number, context: Record<string, unknown>, overLimit: boolean, collect: boolean): Run {
  const outdir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  try {
    const start = performance.now();
    const app = new App({ outdir, context: overLimit ? { ...context, [STACK_RESOURCE_LIMIT_CONTEXT]: 0 } : context });
    if (impl === 'gatehouse') buildGatehouse(app, n);
    else buildPlain(app, n);
    app.synth();
    const ms = performance.now() - start;
    return { ms, templates: collect ? templatesIn(outdir) : undefined };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function measure(impl: Impl, n: number, context: Record<string, unknown>): Result {
  let overLimit = false;
  let defaultSynthError: string | undefined;
  const runsMs: number[] = [];
  let templates: TemplateStats[] | undefined;
  for (let run = 0; run < RUNS; run++) {
    let result: Run;
    try {
      result = runOnce(impl, n, context, overLimit, run === 0);
    } catch (err) {
      const message = oneLine((err as Error).message);
      if (run > 0 || overLimit || impl !== 'plain-cdk' || !/Number of resources in stack/.test(message)) throw err;
      // CDK refuses to synth a stack over 500 resources. Record its message, then measure with the check off
      // so the stack can still be counted. The failed attempt does not count as a run.
      defaultSynthError = message;
      overLimit = true;
      result = runOnce(impl, n, context, overLimit, true);
    }
    runsMs.push(result.ms);
    if (result.templates) templates = result.templates;
  }
  // CDK's built-in CloudFormation template validation runs on every synth unless CDK_VALIDATION=false.
  // It checks top-level stack templates only, not *.nested.template.json, so it costs Gatehouse's split
  // stacks almost nothing; time without it too for a like-for-like comparison.
  const saved = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  const runsNoValidationMs: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) runsNoValidationMs.push(runOnce(impl, n, context, overLimit, false).ms);
  } finally {
    if (saved === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = saved;
  }
  const t = templates ?? [];
  return {
    impl,
    routes: n,
    runsMs,
    medianMs: median(runsMs),
    runsNoValidationMs,
    medianNoValidationMs: median(runsNoValidationMs),
    templates: t,
    totalResources: t.reduce((s, x) => s + x.resources, 0),
    largestStack: Math.max(0, ...t.map((x) => x.resources)),
    totalBytes: t.reduce((s, x) => s + x.bytes, 0),
    largestBytes: Math.max(0, ...t.map((x) => x.bytes)),
    defaultSynthError,
  };
}

/** An error message on one line, without CDK's «ErrorName» tag, cut at 300 characters. */
function oneLine(message: string): string {
  const text = message.replace(/«[^»]*»/g, '').replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

function main(): void {
  const context = cdkJsonContext();
  const cdkVersion = (JSON.parse(readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')) as { version: string }).version;
  console.log(`Synth benchmark: Gatehouse vs plain aws-cdk-lib`);
  console.log(`  node ${process.version}, aws-cdk-lib ${cdkVersion}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'})`);
  console.log(`  routes: /svc/r<i>, methods ${METHODS.join('/')}, prefix (exact + {proxy+}), CORS with origin ${ORIGIN}, ${SERVICE_NAMES.length} services`);
  console.log(`  Gatehouse spec sets account.quotas.resourcesPerApi: ${RESOURCES_PER_API} (300 routes need ${2 * 300 + 2} API Gateway resources incl. root; AWS default quota is 300)`);
  console.log(`  cdk-nag disabled (addGatehouseChecks is not called); cdk.json feature flags applied to both apps`);
  console.log(`  time = new App() + stack construction + app.synth() into a fresh temp outdir;`);
  console.log(`  median of ${RUNS} runs per cell (its first run also warms up), after one untimed warm-up synth of each implementation;`);
  console.log(`  each cell is timed with CDK's defaults, then again with CDK_VALIDATION=false (CDK's built-in template validation off;`);
  console.log(`  it only checks top-level templates, not nested ones, so the second column is the like-for-like comparison)\n`);

  const loadNow = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  const load0 = loadNow();
  const started = performance.now();
  // Module loading and JIT dominate the very first synth of the process (seconds); keep them out of the cells.
  for (const impl of ['gatehouse', 'plain-cdk'] as const) runOnce(impl, SIZES[0], context, false, false);

  const results: Result[] = [];
  for (const n of SIZES) {
    for (const impl of ['gatehouse', 'plain-cdk'] as const) {
      const r = measure(impl, n, context);
      results.push(r);
      console.log(
        `  ${impl.padEnd(9)} ${String(n).padStart(3)} routes: runs ${r.runsMs.map((ms) => ms.toFixed(0)).join(', ')} ms ` +
          `(no validation: ${r.runsNoValidationMs.map((ms) => ms.toFixed(0)).join(', ')} ms); ` +
          `resources per stack ${r.templates.map((t) => t.resources).join(' + ')}${r.defaultSynthError ? '  (default synth FAILED, see below)' : ''}`,
      );
    }
  }
  console.log(`\n  total benchmark time ${((performance.now() - started) / 1000).toFixed(1)} s; load average at start ${load0}, at end ${loadNow()}\n`);

  const rows = results.map((r) => [
    r.impl,
    String(r.routes),
    r.medianMs.toFixed(0),
    r.medianNoValidationMs.toFixed(0),
    String(r.templates.length),
    String(r.totalResources),
    String(r.largestStack),
    (r.totalResources / r.routes).toFixed(2),
    (r.totalBytes / 1000).toFixed(1),
    (r.largestBytes / 1000).toFixed(1),
    r.largestStack <= CFN_RESOURCES_PER_STACK && r.largestBytes <= CFN_TEMPLATE_BYTES ? 'yes' : 'NO',
    r.defaultSynthError ? 'NO (*)' : 'yes',
  ]);
  console.log(
    table(
      [
        'impl',
        'routes',
        'synth ms (median)',
        'synth ms, CDK_VALIDATION=false',
        'stacks',
        'CFN resources (total)',
        'largest stack',
        'resources/route',
        'template kB (total)',
        'largest template kB',
        `every stack ≤ ${CFN_RESOURCES_PER_STACK} res, ≤ ${CFN_TEMPLATE_BYTES / 1e6} MB`,
        'default synth ok',
      ],
      rows,
    ),
  );

  console.log('\nGatehouse / plain CDK:');
  const ratioRows = SIZES.map((n) => {
    const g = results.find((r) => r.impl === 'gatehouse' && r.routes === n);
    const p = results.find((r) => r.impl === 'plain-cdk' && r.routes === n);
    if (!g || !p) return [String(n), '-', '-', '-', '-'];
    return [
      String(n),
      (g.totalResources / g.routes / (p.totalResources / p.routes)).toFixed(2),
      (g.medianMs / p.medianMs).toFixed(2),
      (g.medianNoValidationMs / p.medianNoValidationMs).toFixed(2),
      (g.totalBytes / p.totalBytes).toFixed(2),
    ];
  });
  console.log(
    table(['routes', 'resources/route ratio', 'synth time ratio', 'synth time ratio, CDK_VALIDATION=false', 'template bytes ratio'], ratioRows),
  );

  // Per-route cost without the fixed overhead: the slope between the two largest sizes.
  const [, mid, top] = SIZES;
  console.log(`\nMarginal cost of one more route (slope between ${mid} and ${top} routes):`);
  for (const impl of ['gatehouse', 'plain-cdk'] as const) {
    const a = results.find((r) => r.impl === impl && r.routes === mid);
    const b = results.find((r) => r.impl === impl && r.routes === top);
    if (a && b) {
      console.log(
        `  ${impl.padEnd(9)} ${((b.totalResources - a.totalResources) / (top - mid)).toFixed(2)} resources, ` +
          `${((b.totalBytes - a.totalBytes) / (top - mid) / 1000).toFixed(2)} kB, ${((b.medianMs - a.medianMs) / (top - mid)).toFixed(1)} ms ` +
          `(${((b.medianNoValidationMs - a.medianNoValidationMs) / (top - mid)).toFixed(1)} ms without validation)`,
      );
    }
  }

  for (const r of results.filter((x) => x.defaultSynthError)) {
    console.log(
      `\n(*) ${r.impl} ${r.routes} routes: its one stack holds ${r.largestStack} resources, over CloudFormation's ${CFN_RESOURCES_PER_STACK}` +
        `${r.largestBytes > CFN_TEMPLATE_BYTES ? ` (and its template is ${(r.largestBytes / 1e6).toFixed(2)} MB, over the ${CFN_TEMPLATE_BYTES / 1e6} MB template limit)` : ''}, ` +
        `so it would not deploy, and app.synth() refuses it with default settings:\n    ${r.defaultSynthError}\n` +
        `    (counted and timed with ${STACK_RESOURCE_LIMIT_CONTEXT}=0)`,
    );
  }
  for (const r of results.filter((x) => x.impl === 'gatehouse' && x.templates.length > 1)) {
    console.log(`\nGatehouse ${r.routes} routes, resources per stack: ${r.templates.map((t) => `${t.name} ${t.resources}`).join(', ')}`);
  }
}

main();
