// Every template Gatehouse synthesizes passes AWS's cfn-lint (the shipped config, each example, a 1,000-route gateway), and every REST definition in them is valid Swagger.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config/load';
import { openApiErrors } from './support/openapi';
import { manyRoutes, synthSpec } from './support/synth';
import { scaled } from './support/time-factor';

const root = join(__dirname, '..');
const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const haveCfnLint = cfnLint.status === 0;

if (!haveCfnLint && process.env.CI) {
  throw new Error('cfn-lint is not installed; CI needs it: pip install cfn-lint (or run .ci/run, which installs it)');
}

const configs = [
  'gatehouse.yaml',
  ...readdirSync(join(root, 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `examples/${f}`),
];

describe.skipIf(!haveCfnLint)('cfn-lint (install with: pip install cfn-lint)', () => {
  // One cfn-lint run over every config's templates: its start-up (the rule set) costs more than most templates.
  // cdk-nag runs over the same configs in nag.test.ts; here only the templates matter.
  let lint: LintRun;
  const outdirs = new Map<string, string>();
  beforeAll(() => {
    for (const config of configs) outdirs.set(config, synthSpec(loadConfig(join(root, config)), { nag: false }).outdir);
    lint = runCfnLint([...outdirs.values()]);
  }, scaled(240_000));

  it.each(configs)('finds no errors in the templates of %s', (config) => {
    const outdir = outdirs.get(config)!;
    expect(templatesIn(outdir).length).toBeGreaterThan(0);
    expect(
      lint.errors.filter((line) => line.startsWith(`${outdir}/`)),
      lint.output,
    ).toEqual([]);
  });

  it.each(configs)('writes a valid Swagger 2.0 definition for every REST API of %s', async (config) => {
    const bodies = templatesIn(outdirs.get(config)!).flatMap((file) =>
      Object.values(
        (JSON.parse(readFileSync(file, 'utf8')) as { Resources: Record<string, { Type: string; Properties?: { Body?: object } }> })
          .Resources,
      )
        .filter((r) => r.Type === 'AWS::ApiGateway::RestApi')
        .map((r) => r.Properties?.Body),
    );
    for (const body of bodies) {
      expect(body, 'inline Body').toBeDefined();
      expect(await openApiErrors(body!)).toEqual([]);
    }
  });

  it('exits without an error status for all of them', () => {
    expect(lint.statusOk, lint.output).toBe(true);
  });

  it('finds no errors in a 1,000-route gateway whose definition is an S3 asset', { timeout: scaled(240_000) }, () => {
    const run = runCfnLint([synthSpec(manyRoutes(1000), { nag: false }).outdir]);
    expect(run.errors, run.output).toEqual([]);
    expect(run.statusOk, run.output).toBe(true);
  });

  it('finds no errors in an HTTP gateway of 1,000 routes whose OpenAPI body is an S3 asset', { timeout: scaled(240_000) }, () => {
    const spec = {
      account: { quotas: { routesPerApi: 6000, integrationsPerApi: 2000 } },
      services: { a: { url: 'https://a.internal' } },
      gateways: {
        big: {
          flavor: 'http',
          routes: Array.from({ length: 1000 }, (_, i) => ({ service: 'a', paths: [`/s${i % 4}/r${i}`], methods: ['GET', 'POST', 'PUT'] })),
        },
      },
    };
    const run = runCfnLint([synthSpec(spec, { nag: false }).outdir]);
    expect(run.errors, run.output).toEqual([]);
    expect(run.statusOk, run.output).toBe(true);
  });
});

interface LintRun {
  /** `file:line:col:line:col:E1234:message` lines: errors fail, warnings and informational findings do not. */
  readonly errors: string[];
  /** Exit codes 4 and 8 (warnings, informational) are fine; bit 2 means errors. */
  readonly statusOk: boolean;
  readonly output: string;
}

function templatesIn(outdir: string): string[] {
  return readdirSync(outdir)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => join(outdir, f));
}

function runCfnLint(outdirs: readonly string[]): LintRun {
  const run = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...outdirs.flatMap(templatesIn)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    errors: run.stdout.split('\n').filter((line) => /:E\d{4}:/.test(line)),
    statusOk: run.status === 0 || (run.status !== null && (run.status & 2) === 0),
    output: `cfn-lint exit ${run.status}: ${run.stdout}${run.stderr}`,
  };
}
