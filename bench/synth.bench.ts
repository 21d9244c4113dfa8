// Synth benchmark: Gatehouse vs the plain aws-cdk-lib code a user would write for the same prefix routes, REST and HTTP.
// Run with `npm run bench:synth` (`-- --write` also regenerates the synth section of BENCHMARKS.md).
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CFN_RESOURCES_PER_STACK, CFN_TEMPLATE_BYTES } from '../lib/config/limits';
import { provenance, writeSection } from './support/benchmarks-section';
import {
  buildGatehouse,
  cdkJsonContext,
  METHODS,
  ORIGIN,
  QUOTAS,
  SERVICE_NAMES,
  SERVICES,
  serviceFor,
  templatesIn,
  type Flavor,
  type TemplateStats,
} from './support/synth-apps';

const SIZES = [10, 100, 300, 1000] as const;
/** Timed runs per cell (median reported): fewer at 1,000 routes, where plain CDK alone takes tens of seconds a synth. */
const runsFor = (n: number): number => (n >= 1000 ? 1 : 3);
const FLAVORS = ['rest', 'http'] as const;
const IMPLS = ['gatehouse', 'plain-cdk'] as const;
/** CDK's own synth-time check on resources per stack; 0 turns it off (used only to measure what would not deploy). */
const STACK_RESOURCE_LIMIT_CONTEXT = '@aws-cdk/core:stackResourceLimit';
const WRITE = process.argv.includes('--write');

type Impl = (typeof IMPLS)[number];

interface Result {
  readonly impl: Impl;
  readonly flavor: Flavor;
  readonly routes: number;
  readonly runsMs: number[];
  readonly medianMs: number;
  readonly templates: TemplateStats[];
  readonly totalResources: number;
  readonly largestStack: number;
  readonly largestBytes: number;
  /** Bytes of the OpenAPI/Swagger definition when it went to S3 as an asset instead of inline. */
  readonly definitionAssetBytes?: number;
  readonly controlPlaneCalls: number;
  /** CDK's error when synth with default settings refused the app (plain CDK over 500 resources in its stack). */
  readonly defaultSynthError?: string;
}

/** What a user would write by hand with aws-cdk-lib's RestApi for the same routes. */
function buildPlainRest(app: App, n: number): void {
  const stack = new Stack(app, 'Bench');
  const api = new apigw.RestApi(stack, 'Api', {
    defaultCorsPreflightOptions: { allowOrigins: [ORIGIN] },
  });
  for (let i = 0; i < n; i++) {
    const base = SERVICES[serviceFor(i)];
    const path = `/svc/r${i}`;
    const resource = api.root.resourceForPath(path);
    // Default options, as a user would: HTTP_PROXY with IntegrationHttpMethod GET, so POST and PUT reach the
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

/** What a user would write by hand with aws-cdk-lib's HttpApi (aws-apigatewayv2) for the same routes. */
function buildPlainHttp(app: App, n: number): void {
  const stack = new Stack(app, 'Bench');
  const api = new apigwv2.HttpApi(stack, 'Api', {
    corsPreflight: { allowOrigins: [ORIGIN], allowMethods: METHODS.map((m) => apigwv2.CorsHttpMethod[m]) },
  });
  const methods = METHODS.map((m) => apigwv2.HttpMethod[m]);
  for (let i = 0; i < n; i++) {
    const base = SERVICES[serviceFor(i)];
    const path = `/svc/r${i}`;
    api.addRoutes({ path, methods, integration: new HttpUrlIntegration(`R${i}`, `${base}${path}`) });
    // HTTP APIs substitute a greedy path variable in an HTTP_PROXY integration URI directly.
    api.addRoutes({ path: `${path}/{proxy+}`, methods, integration: new HttpUrlIntegration(`R${i}Proxy`, `${base}${path}/{proxy}`) });
  }
}

interface Run {
  readonly ms: number;
  readonly templates?: TemplateStats[];
  readonly gatehouse?: { controlPlaneCalls: number; definitionAssetBytes?: number };
}

/**
 * One fresh App in a fresh temp outdir: construct the stack and synth, timed together.
 * `overLimit` is set only after a default synth of plain CDK failed on CDK's 500-resources-per-stack check:
 * it turns that check off so the stack that would not deploy can still be counted.
 */
function runOnce(impl: Impl, flavor: Flavor, n: number, context: Record<string, unknown>, overLimit: boolean, collect: boolean): Run {
  const outdir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  try {
    const start = performance.now();
    const app = new App({ outdir, context: overLimit ? { ...context, [STACK_RESOURCE_LIMIT_CONTEXT]: 0 } : context });
    let gatehouse: Run['gatehouse'];
    if (impl === 'gatehouse') gatehouse = buildGatehouse(app, n, flavor);
    else if (flavor === 'rest') buildPlainRest(app, n);
    else buildPlainHttp(app, n);
    app.synth();
    const ms = performance.now() - start;
    return { ms, templates: collect ? templatesIn(outdir) : undefined, gatehouse };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function measure(impl: Impl, flavor: Flavor, n: number, context: Record<string, unknown>): Result {
  let overLimit = false;
  let defaultSynthError: string | undefined;
  const runsMs: number[] = [];
  let first: Run | undefined;
  for (let run = 0; run < runsFor(n); run++) {
    let result: Run;
    try {
      result = runOnce(impl, flavor, n, context, overLimit, run === 0);
    } catch (err) {
      const message = oneLine((err as Error).message);
      if (run > 0 || overLimit || impl !== 'plain-cdk' || !/Number of resources in stack/.test(message)) throw err;
      // CDK refuses to synth a stack over 500 resources. Record its message, then measure with the check off
      // so the stack can still be counted. The failed attempt does not count as a run.
      defaultSynthError = message;
      overLimit = true;
      result = runOnce(impl, flavor, n, context, overLimit, true);
    }
    runsMs.push(result.ms);
    first ??= result;
  }
  const t = first?.templates ?? [];
  return {
    impl,
    flavor,
    routes: n,
    runsMs,
    medianMs: median(runsMs),
    templates: t,
    totalResources: t.reduce((s, x) => s + x.resources, 0),
    largestStack: Math.max(0, ...t.map((x) => x.resources)),
    largestBytes: Math.max(0, ...t.map((x) => x.bytes)),
    definitionAssetBytes: first?.gatehouse?.definitionAssetBytes,
    // Plain CDK: one create call per API Gateway resource in its templates (no reads, no retries: a lower bound).
    controlPlaneCalls: first?.gatehouse?.controlPlaneCalls ?? t.reduce((s, x) => s + x.apiGatewayResources, 0),
    defaultSynthError,
  };
}

/** An error message on one line, without CDK's «ErrorName» tag, cut at 300 characters. */
function oneLine(message: string): string {
  const text = message
    .replace(/«[^»]*»/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

const deploys = (r: Result): boolean => r.largestStack <= CFN_RESOURCES_PER_STACK && r.largestBytes <= CFN_TEMPLATE_BYTES;

function resultsTable(results: readonly Result[]): string {
  const rows = results.map((r) => [
    r.flavor,
    r.impl,
    String(r.routes),
    String(r.totalResources),
    String(r.templates.length),
    (r.largestBytes / 1000).toFixed(1),
    r.definitionAssetBytes === undefined ? '-' : (r.definitionAssetBytes / 1000).toFixed(1),
    String(r.controlPlaneCalls),
    `${r.medianMs.toFixed(0)} (${r.runsMs.length})`,
    deploys(r) ? 'yes' : r.defaultSynthError ? 'NO (*)' : 'NO',
  ]);
  return table(
    [
      'flavor',
      'impl',
      'routes',
      'CFN resources',
      'stacks',
      'largest template kB',
      'definition asset kB (S3)',
      'control-plane calls, first deploy',
      'synth ms, median (runs)',
      `deploys (≤ ${CFN_RESOURCES_PER_STACK} res, ≤ ${CFN_TEMPLATE_BYTES / 1e6} MB per stack)`,
    ],
    rows,
  );
}

function footnotes(results: readonly Result[]): string[] {
  return results
    .filter((r) => !deploys(r))
    .map(
      (r) =>
        `(*) ${r.flavor} ${r.impl} ${r.routes} routes: one stack of ${r.largestStack} resources, over CloudFormation's ${CFN_RESOURCES_PER_STACK}` +
        `${r.largestBytes > CFN_TEMPLATE_BYTES ? `, and a ${(r.largestBytes / 1e6).toFixed(2)} MB template, over the ${CFN_TEMPLATE_BYTES / 1e6} MB limit` : ''}: ` +
        `it would not deploy. ${r.defaultSynthError ? `app.synth() refuses it with default settings ("${r.defaultSynthError.slice(0, 120)}…"); counted and timed with ${STACK_RESOURCE_LIMIT_CONTEXT}=0.` : ''}`,
    );
}

function main(): void {
  const context = cdkJsonContext();
  const cdkVersion = (JSON.parse(readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')) as { version: string }).version;
  console.log(`Synth benchmark: Gatehouse vs plain aws-cdk-lib, REST and HTTP`);
  console.log(`  node ${process.version}, aws-cdk-lib ${cdkVersion}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'})`);
  console.log(
    `  routes: /svc/r<i>, methods ${METHODS.join('/')}, prefix (exact + {proxy+}), CORS with origin ${ORIGIN}, ${SERVICE_NAMES.length} services`,
  );
  console.log(`  Gatehouse account.quotas: ${JSON.stringify(QUOTAS)}; cdk-nag off; cdk.json feature flags applied to every app\n`);

  const load0 = loadavg();
  const started = performance.now();
  // Module loading and JIT dominate the very first synth of the process (seconds); keep them out of the cells.
  for (const flavor of FLAVORS) for (const impl of IMPLS) runOnce(impl, flavor, SIZES[0], context, false, false);

  const results: Result[] = [];
  for (const flavor of FLAVORS) {
    for (const n of SIZES) {
      for (const impl of IMPLS) {
        const r = measure(impl, flavor, n, context);
        results.push(r);
        console.log(
          `  ${flavor} ${impl.padEnd(9)} ${String(n).padStart(4)} routes: runs ${r.runsMs.map((ms) => ms.toFixed(0)).join(', ')} ms; ` +
            `resources ${r.templates.map((t) => t.resources).join(' + ')}${r.defaultSynthError ? '  (default synth FAILED)' : ''}`,
        );
      }
    }
  }
  const totalS = (performance.now() - started) / 1000;
  console.log(`\n  total benchmark time ${totalS.toFixed(1)} s\n`);
  const summary = resultsTable(results);
  const notes = footnotes(results);
  console.log(summary);
  console.log(`\n${notes.join('\n')}`);

  if (WRITE) {
    writeSection(
      'synth',
      [
        provenance(load0),
        `aws-cdk-lib ${cdkVersion}; whole bench ${totalS.toFixed(0)} s.`,
        '',
        summary,
        '',
        ...notes.flatMap((n) => [n, '']),
      ].join('\n'),
    );
    console.log('\nBENCHMARKS.md: synth section rewritten');
  }
}

main();
