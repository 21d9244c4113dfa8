// The gatehouse CLI and the CDK app as a user runs them: real processes, exit codes, no stack traces for config errors.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scaled } from '../support/time-factor';

const root = join(__dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(tsx, [join(root, script), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: scaled(120_000),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
const badConfig = join(dir, 'bad.yaml');
writeFileSync(
  badConfig,
  [
    'services:',
    '  users:',
    '    url: https://u',
    '    timout: 5',
    'gateways:',
    '  public:',
    '    routes:',
    '      - service: userz',
    '        paths: [/a]',
    '',
  ].join('\n'),
);
const noStackTrace = /^\s+at /m;

describe('gatehouse validate', () => {
  it('accepts the shipped config and says how much it holds', () => {
    const r = run('bin/gatehouse.ts', ['validate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/gatehouse\.yaml: valid \(1 gateway\(s\), 2 route path\(s\)\)/);
  });

  it('prints every problem with file:line:col and exits 1 without a stack trace', () => {
    const r = run('bin/gatehouse.ts', ['validate', badConfig]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${badConfig}:4:5 services.users.timout: unknown field "timout" (did you mean "timeoutMs"?)`);
    expect(r.stderr).not.toMatch(noStackTrace);
  });

  it('reports cross-field problems at their line', () => {
    const good = join(dir, 'ref.yaml');
    writeFileSync(
      good,
      [
        'services:',
        '  users: { url: https://u }',
        'gateways:',
        '  public:',
        '    routes:',
        '      - service: userz',
        '        paths: [/a]',
        '',
      ].join('\n'),
    );
    const r = run('bin/gatehouse.ts', ['validate', good]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${good}:6:9 gateways.public.routes[0].service: no service named "userz" under services (did you mean "users"?)`,
    );
  });

  it('says a missing file is missing', () => {
    const r = run('bin/gatehouse.ts', ['validate', join(dir, 'nope.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.yaml .*cannot read the config: file not found/);
  });
});

describe('gatehouse explain', () => {
  it('prints a row per route with integration, features and why, and the resource budget', () => {
    const r = run('bin/gatehouse.ts', ['explain', 'examples/multi-gateway.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Gateway "partner": REST API, REGIONAL endpoint/);
    expect(r.stdout).toMatch(
      /\/v1\/orders\/\*\s+GET,POST\s+orders\s+http-proxy → https:\/\/orders\.internal\.example\.com\/v1\/orders\s+auth:none key:yes plan:bronze\+gold/,
    );
    expect(r.stdout).toMatch(/Why:/);
    expect(r.stdout).toMatch(/Stack: \d+ of 500 CloudFormation resources/);
    expect(r.stdout).toMatch(/CORS_RESPONSE_HEADERS_FROM_UPSTREAM/);
    // Named as `cdk synth` of the shipped app names them, with its default stack name.
    expect(r.stdout).toMatch(/API name Gatehouse-partner; dashboard gatehouse-Gatehouse-partner-/);
    expect(r.stdout).toMatch(/alarm Gatehouse-partner-5xx-rate: more than 1 % of requests answered 5xx/);
  });
});

describe('gatehouse usage', () => {
  it('prints usage and exits 2 without a command or with an unknown one', () => {
    expect(run('bin/gatehouse.ts', []).code).toBe(2);
    const r = run('bin/gatehouse.ts', ['deploy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "deploy"[\s\S]*Usage: gatehouse/);
  });

  it('prints usage and exits 0 with --help', () => {
    const r = run('bin/gatehouse.ts', ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/validate \[file\][\s\S]*explain \[file\]/);
  });
});

describe('the CDK app (what `cdk synth` runs)', () => {
  it('exits non-zero with the config problems and no stack trace for a bad config', () => {
    const r = run('bin/app.ts', [], { GATEHOUSE_CONFIG: badConfig, CDK_OUTDIR: join(dir, 'out-bad') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Invalid Gatehouse config \(2 problems\)/);
    expect(r.stderr).not.toMatch(noStackTrace);
  });

  it("synthesizes the shipped config and prints the summary with measured resources per stack, equal to explain's count", () => {
    // The CDK CLI turns version reporting on (one CDKMetadata resource), as `npx cdk synth` would.
    const r = run('bin/app.ts', [], {
      CDK_OUTDIR: join(dir, 'out-good'),
      CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:version-reporting': true }),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Gatehouse: 1 gateway\(s\), 2 route path\(s\)/);
    const [, measured, estimated] =
      /stack Gatehouse: (\d+)\/500 resources \(gatehouse explain estimated (\d+)\), [\d.]+ kB/.exec(r.stderr) ?? [];
    expect(measured).toBeDefined();
    expect(measured).toBe(estimated);
    const explained = run('bin/gatehouse.ts', ['explain']);
    expect(explained.stdout).toContain(`Stack: ${measured} of 500 CloudFormation resources`);
    expect(explained.stdout).toMatch(new RegExp(`Resources: \\d+ of the stack's ${measured} CloudFormation resources are this gateway's`));
  });

  it('reports an undefined alias as a config error, not a ReferenceError trace', () => {
    const r = run('bin/app.ts', [], {
      GATEHOUSE_CONFIG: join(root, 'test/fixtures/broken-configs/undefined-alias.yaml'),
      CDK_OUTDIR: join(dir, 'out-alias'),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/undefined-alias\.yaml:4:10 \(syntax\): alias \*nowhere names no anchor/);
    expect(r.stderr).not.toMatch(noStackTrace);
  });

  it('fails CloudFront without account.region at its line, as validate does', () => {
    const r = run('bin/app.ts', [], {
      GATEHOUSE_CONFIG: join(root, 'test/fixtures/broken-configs/cloudfront-without-region.yaml'),
      CDK_OUTDIR: join(dir, 'out-cf'),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cloudfront-without-region\.yaml:7:7 gateways\.public\.edge\.cloudfront: CloudFront needs the stack's region/);
  });
});
