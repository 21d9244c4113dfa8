// Every template Gatehouse synthesizes passes AWS's cfn-lint: the shipped config, each example, and a split gateway.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../lib/spec/load';
import { manyRoutes, synthSpec } from './support/synth';

const root = join(__dirname, '..');
const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const haveCfnLint = cfnLint.status === 0;

if (!haveCfnLint && process.env.CI) {
  throw new Error("cfn-lint is not installed; CI needs it: pip install cfn-lint (or run .ci/run, which installs it)");
}

const configs = ['gatehouse.yaml', ...readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => `examples/${f}`)];

describe.skipIf(!haveCfnLint)('cfn-lint (install with: pip install cfn-lint)', () => {
  it.each(configs)('finds no errors in the templates of %s', (config) => {
    expectLintClean(synthSpec(loadSpec(join(root, config))).outdir);
  });

  // cfn-lint over four large templates takes ~15 s on an idle 2-core machine; allow for a busy one.
  it('finds no errors in a gateway split into nested route stacks', { timeout: 240_000 }, () => {
    expectLintClean(synthSpec(manyRoutes(120), { nag: false }).outdir);
  });
});

function expectLintClean(outdir: string): void {
  const templates = readdirSync(outdir).filter((f) => f.endsWith('.template.json')).map((f) => join(outdir, f));
  expect(templates.length).toBeGreaterThan(0);
  // Errors fail; informational and warning-level findings are reported but do not (exit codes 4 and 8).
  const run = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...templates], { encoding: 'utf8' });
  const errors = run.stdout.split('\n').filter((line) => /:E\d{4}:/.test(line));
  expect(errors, run.stdout).toEqual([]);
  expect(run.status === 0 || (run.status! & 2) === 0, `cfn-lint exit ${run.status}: ${run.stdout}${run.stderr}`).toBe(true);
}
