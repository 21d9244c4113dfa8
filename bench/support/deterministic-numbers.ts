// The numbers in BENCHMARKS.md that only depend on the code (resource counts, bytes), computed the way the benches do,
// so `bench:sizes --write` records them and test/benchmarks.test.ts fails when the recorded ones are stale.
import { App } from 'aws-cdk-lib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleAuthorizer } from '../../lib/constructs/bundling/authorizer-bundle';
import { bundleHandler } from '../../lib/constructs/bundling/bundle-handler';
import { buildGatehouse, cdkJsonContext, templatesIn, type Flavor } from './synth-apps';
import { gatehouseConfig } from './authorizer-config';
import { signingKey } from '../../test/lambdas/authorizer/support/keys';

/** The route counts of the synth benchmark. */
export const SYNTH_SIZES = [10, 100, 300, 1000] as const;
export const SYNTH_FLAVORS: readonly Flavor[] = ['rest', 'http'];

export interface GatehouseSynthCounts {
  readonly flavor: Flavor;
  readonly routes: number;
  readonly resources: number;
  readonly stacks: number;
  readonly largestTemplateBytes: number;
  readonly definitionAssetBytes?: number;
  readonly controlPlaneCalls: number;
}

/** Gatehouse's stack for the synth benchmark's spec, synthesized once without timing (and without CDK's template validation, which changes no output). */
export function gatehouseSynthCounts(flavor: Flavor, routes: number): GatehouseSynthCounts {
  const outdir = mkdtempSync(join(tmpdir(), 'gatehouse-numbers-'));
  try {
    const app = new App({ outdir, context: cdkJsonContext(), builtinCloudFormationValidation: false });
    const { controlPlaneCalls, definitionAssetBytes } = buildGatehouse(app, routes, flavor);
    app.synth();
    const templates = templatesIn(outdir);
    return {
      flavor,
      routes,
      resources: templates.reduce((n, t) => n + t.resources, 0),
      stacks: templates.length,
      largestTemplateBytes: Math.max(...templates.map((t) => t.bytes)),
      definitionAssetBytes,
      controlPlaneCalls,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export interface BundleSize {
  readonly bundle: string;
  readonly bytes: number;
}

/**
 * Each handler bundle as the benches build it: the authorizer with bench:authorizer's 8-route config baked in
 * (a fresh RSA 2048 key each time, whose JWK always has the same length), the others bare.
 */
export async function bundleSizes(): Promise<BundleSize[]> {
  const signing = await signingKey('bench-key-1', 'RS256');
  const outdir = mkdtempSync(join(tmpdir(), 'gatehouse-numbers-bundles-'));
  try {
    const sizes: BundleSize[] = [
      {
        bundle: 'authorizer/handler (bench:authorizer config)',
        bytes: bundleAuthorizer(gatehouseConfig(signing), join(outdir, 'authorizer')).bytes,
      },
    ];
    for (const handler of ['origin-verify/handler', 'key-expiry/handler'])
      sizes.push({ bundle: handler, bytes: bundleHandler(handler, join(outdir, handler.replace('/', '-'))).bytes });
    return sizes;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Every flavor at every size of the synth benchmark. */
export function allSynthCounts(): GatehouseSynthCounts[] {
  return SYNTH_FLAVORS.flatMap((flavor) => SYNTH_SIZES.map((routes) => gatehouseSynthCounts(flavor, routes)));
}

const kb = (bytes: number) => (bytes / 1000).toFixed(1);

/** The `sizes` section's body, without its provenance line: what the check compares. */
export async function deterministicMarkdown(counts: readonly GatehouseSynthCounts[] = allSynthCounts()): Promise<string> {
  const bundles = await bundleSizes();
  return [
    'Gatehouse in the synth benchmark (its spec, cdk.json feature flags; bytes are `JSON.stringify(template)`):',
    '',
    '| flavor | routes | CFN resources | stacks | largest template bytes | definition asset bytes (S3) | control-plane calls, first deploy |',
    '| ------ | ------ | ------------- | ------ | ---------------------- | --------------------------- | --------------------------------- |',
    ...counts.map(
      (c) =>
        `| ${c.flavor} | ${c.routes} | ${c.resources} | ${c.stacks} | ${c.largestTemplateBytes} | ${c.definitionAssetBytes ?? '-'} | ${c.controlPlaneCalls} |`,
    ),
    '',
    'Handler bundles (`bundleHandler`, minified, `@aws-sdk/*` external):',
    '',
    '| bundle | bytes |',
    '| ------ | ----- |',
    ...bundles.map((b) => `| ${b.bundle} | ${b.bytes} |`),
  ].join('\n');
}

/** The synth section's table rows for Gatehouse as `bench:synth` prints them (kB with one decimal), for the check. */
export function synthRowCells(c: GatehouseSynthCounts): string[] {
  return [
    c.flavor,
    'gatehouse',
    String(c.routes),
    String(c.resources),
    String(c.stacks),
    kb(c.largestTemplateBytes),
    c.definitionAssetBytes === undefined ? '-' : kb(c.definitionAssetBytes),
    String(c.controlPlaneCalls),
  ];
}
