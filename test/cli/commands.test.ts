// The CLI's conventions, run in-process: version, per-command help, --json, -q, -v, usage errors, exit codes, colours, init, keys' region.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/load';
import { sdkConfigurationProblem } from '../../lib/cli/keys';
import { cli, STACK_TRACE } from './support/run-cli';
import { scaled } from '../support/time-factor';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-commands-'));
const lines = (...ls: string[]): string => `${ls.join('\n')}\n`;
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string };

const withWarning = write(
  'warn.yaml',
  lines(
    'services:',
    '  users: { url: "https://u.example.com" }',
    'gateways:',
    '  public:',
    '    cors: { origins: ["https://app.example.com"] }',
    '    routes:',
    '      - { service: users, paths: [/a] }',
  ),
);
const invalid = write(
  'bad.yaml',
  lines(
    'services:',
    '  users: { url: "https://u.example.com", timout: 5 }',
    'gateways:',
    '  public:',
    '    routes: [{ service: users, paths: [/a] }]',
  ),
);

describe('gatehouse --version and --help', () => {
  it('prints the package version and exits 0', async () => {
    for (const flag of ['--version', '-V']) expect(await cli([flag])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it("prints each command's own help with its options and exit codes", async () => {
    for (const [command, option] of [
      ['validate', '--json'],
      ['explain', '--verbose'],
      ['init', '--flavor'],
    ] as const) {
      const r = await cli([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: gatehouse ${command} [options] [file]`);
      expect(r.stdout).toContain(option);
      expect(r.stdout).toMatch(/Exit codes: 0 .*, 1 .*, 2 usage error/);
    }
    expect((await cli(['help', 'explain'])).stdout).toContain('Usage: gatehouse explain');
  });
});

describe("usage errors exit 2 with the command's usage and no trace", () => {
  it.each([
    [['validate', '--bogus'], /gatehouse: validate: Unknown option '--bogus'\n\nUsage: gatehouse validate/],
    [['explain', '-x'], /gatehouse: explain: Unknown option '-x'\n\nUsage: gatehouse explain/],
    [['--bogus'], /unknown option "--bogus"/],
    [['deploy'], /unknown command "deploy"/],
    [[], /no command given/],
    [['validate', 'a.yaml', 'b.yaml'], /unexpected argument "b.yaml"/],
    [['validate', '--json', '-q'], /--json and --quiet do not go together/],
    [['init', '--flavor', 'grpc'], /--flavor is rest or http, not "grpc"/],
    [['init', '--issuer', 'login.example.com'], /--issuer is the issuer URL/],
  ])('%j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });
});

describe('gatehouse validate', () => {
  it('--json prints valid, warnings with positions, and counts', async () => {
    const r = await cli(['validate', '--json', withWarning]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ file: withWarning, valid: true, problems: [], gateways: 1, routes: 1 });
    expect(out.warnings).toContainEqual(
      expect.objectContaining({
        code: 'CORS_RESPONSE_HEADERS_FROM_UPSTREAM',
        file: withWarning,
        line: 5,
        column: 5,
        where: 'gateways.public.cors',
      }),
    );
  });

  it('--json on an invalid config prints the problems with positions and exits 1', async () => {
    const r = await cli(['validate', '--json', invalid]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      valid: false,
      problems: [{ file: invalid, line: 2, column: 42, where: 'services.users.timout', path: ['services', 'users', 'timout'] }],
    });
    expect(r.stderr).toBe('');
  });

  it('-q prints nothing for a valid config and the problems for an invalid one', async () => {
    expect(await cli(['validate', '-q', withWarning])).toEqual({ code: 0, stdout: '', stderr: '' });
    const r = await cli(['validate', '--quiet', invalid]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${invalid}:2:42 services.users.timout: unknown field "timout"`);
  });

  it('prints warnings with file:line:col', async () => {
    const r = await cli(['validate', withWarning]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`warning CORS_RESPONSE_HEADERS_FROM_UPSTREAM ${withWarning}:5:5 gateways.public.cors: `);
  });

  it('colours only on a terminal, and never with NO_COLOR', async () => {
    expect((await cli(['validate', invalid], { isTTY: false })).stderr).not.toContain('\u001b[');
    expect((await cli(['validate', invalid], { isTTY: true })).stderr).toContain('\u001b[31mInvalid Gatehouse config');
    expect((await cli(['validate', invalid], { isTTY: true, env: { NO_COLOR: '1' } })).stderr).not.toContain('\u001b[');
  });

  it("fails CloudFront without account.region, as the shipped stack's synth would", async () => {
    const file = write(
      'cf.yaml',
      lines(
        'services:',
        '  users: { url: "https://u.example.com" }',
        'gateways:',
        '  public:',
        '    edge:',
        '      cloudfront: {}',
        '    routes: [{ service: users, paths: [/a] }]',
      ),
    );
    const r = await cli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:6:7 gateways.public.edge.cloudfront: CloudFront needs the stack's region at synth`);
    expect(
      (
        await cli(
          ['validate', '-q', file.replace('cf.yaml', 'cf-region.yaml')]
            .slice(0, 2)
            .concat(write('cf-region.yaml', `account: { region: eu-west-1 }\n${readFileSync(file, 'utf8')}`)),
        )
      ).code,
    ).toBe(0);
  });
});

describe('gatehouse explain', () => {
  const acked = write(
    'acked.yaml',
    lines(
      'x-notes: reviewed in GH-17',
      'services:',
      '  users: { url: "https://u.example.com" }',
      'gateways:',
      '  public:',
      '    cors: { origins: ["https://app.example.com"] }',
      '    routes:',
      '      - { service: users, paths: [/a] }',
      'acknowledge:',
      '  - { code: CORS_RESPONSE_HEADERS_FROM_UPSTREAM, where: gateways.public, reason: the upstream adds CORS headers }',
    ),
  );

  it("lists acknowledged warnings with their reason, and keeps them out of validate's warnings", async () => {
    const r = await cli(['explain', acked]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Acknowledged warnings \(acknowledge: in the config\):\n {2}CORS_RESPONSE_HEADERS_FROM_UPSTREAM {2}.*acked\.yaml:6:5 gateways\.public\.cors: .*\n {4}acknowledged: the upstream adds CORS headers/,
    );
    const v = await cli(['validate', acked]);
    expect(v.stdout).not.toContain('warning CORS_RESPONSE_HEADERS_FROM_UPSTREAM');
    expect(v.stdout).toContain('1 acknowledged warning(s) not shown');
  });

  it('-v lists the x- keys the loader ignored; -q leaves out warnings', async () => {
    expect((await cli(['explain', '-v', acked])).stdout).toMatch(/Ignored extension keys \(x-\):\n {2}\["x-notes"\]/);
    const quiet = await cli(['explain', '-q', withWarning]);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain('Warnings:');
    expect((await cli(['explain', withWarning])).stdout).toContain('Warnings:');
  });

  it('--json prints the plan, or the problems of an invalid config with exit 1', async () => {
    const r = await cli(['explain', '--json', acked]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.plan.gateways[0].name).toBe('public');
    expect(out.plan.acknowledged[0]).toMatchObject({
      code: 'CORS_RESPONSE_HEADERS_FROM_UPSTREAM',
      reason: 'the upstream adds CORS headers',
    });
    expect(out.extensions).toEqual(['["x-notes"]']);
    const bad = await cli(['explain', '--json', invalid]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).problems[0].where).toBe('services.users.timout');
  });
});

describe('gatehouse init', () => {
  it.each([
    [['--flavor', 'rest'], 'rest', false],
    [['--flavor', 'http'], 'http', false],
    [['--issuer', 'https://login.example.com/', '--audience', 'orders'], 'rest', true],
    [['--flavor', 'http', '--issuer', 'https://login.example.com/'], 'http', true],
  ] as const)('%j writes a commented starter that validates', async (flags, flavor, jwt) => {
    const cwd = mkdtempSync(join(dir, 'init-'));
    const r = await cli(['init', ...flags], { cwd });
    expect(r.code).toBe(0);
    const text = readFileSync(join(cwd, 'gatehouse.yaml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\S+gatehouse\.schema\.json\n/);
    expect(text).toContain('# A path is a prefix');
    const spec = parseConfig(text);
    expect(spec.gateways.api!.flavor).toBe(flavor);
    expect(spec.gateways.api!.routes[0]!.auth !== undefined).toBe(jwt);
    expect((await cli(['validate', '-q', join(cwd, 'gatehouse.yaml')])).code).toBe(0);
  });

  it('refuses to overwrite without --force', async () => {
    const cwd = mkdtempSync(join(dir, 'init-'));
    writeFileSync(join(cwd, 'mine.yaml'), 'keep me');
    const r = await cli(['init', 'mine.yaml'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('mine.yaml already exists; pass --force to overwrite it');
    expect(readFileSync(join(cwd, 'mine.yaml'), 'utf8')).toBe('keep me');
    expect((await cli(['init', '--force', 'mine.yaml'], { cwd })).code).toBe(0);
    expect(readFileSync(join(cwd, 'mine.yaml'), 'utf8')).toContain('services:');
  });
});

describe('gatehouse keys and the AWS configuration', () => {
  it("maps the SDK's configuration errors to sentences", () => {
    expect(sdkConfigurationProblem(new Error('Region is missing'))).toMatch(
      /^no AWS region: pass --region .*AWS_REGION or AWS_DEFAULT_REGION/,
    );
    expect(
      sdkConfigurationProblem(
        Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      ),
    ).toMatch(/^no AWS credentials/);
    expect(sdkConfigurationProblem(new Error('something else'))).toBeUndefined();
  });

  it('with no region anywhere, keys list says how to set one (no trace)', async () => {
    const none = { AWS_CONFIG_FILE: join(dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials') };
    const saved = { ...process.env };
    for (const k of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[k];
    Object.assign(process.env, none);
    try {
      const r = await cli(['keys', 'list'], { env: none });
      expect(r.stderr).toMatch(/^gatehouse keys: no AWS region: pass --region/);
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(STACK_TRACE);
    } finally {
      process.env = saved;
    }
  });

  it(
    'with only AWS_DEFAULT_REGION, keys list uses it (and reaches the endpoint)',
    async () => {
      const saved = { ...process.env };
      for (const k of ['AWS_REGION', 'AWS_PROFILE']) delete process.env[k];
      Object.assign(process.env, {
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_CONFIG_FILE: join(dir, 'no-config'),
      });
      try {
        // Port 9 (discard) on loopback refuses the connection: the request got past region and credentials.
        const r = await cli(['keys', 'list', '--endpoint-url', 'http://127.0.0.1:9'], { env: { AWS_DEFAULT_REGION: 'eu-west-1' } });
        expect(r.stderr).toMatch(/cannot reach API Gateway at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/);
        expect(r.code).toBe(1);
      } finally {
        process.env = saved;
      }
    },
    scaled(60_000),
  );
});
