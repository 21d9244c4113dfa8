// `gatehouse verify` on the command line: table and JSON, exit codes 0/1/2, the request cap, an unreachable URL.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConfig } from '../../lib/cli/check-config';
import { cli } from '../cli/support/run-cli';
import { startFakeGateway, type Fault, type FakeGateway } from './support/fake-gateway';
import { API_KEY, AUDIENCE, ISSUER, startTestIssuer, type TestIssuer } from './support/tokens';

const CONFIG = join(__dirname, 'support', 'configs', 'rest.yaml');
const REPO = join(__dirname, '..', '..');
let issuer: TestIssuer;
let good: FakeGateway;
let broken: FakeGateway;

async function fake(faults: Fault[]): Promise<FakeGateway> {
  const gateway = checkConfig(CONFIG).plan.gateways[0]!;
  return startFakeGateway({ gateway, jwksUri: issuer.jwks.jwksUri, issuer: ISSUER, audience: AUDIENCE, apiKey: API_KEY, faults });
}

beforeAll(async () => {
  issuer = await startTestIssuer();
  good = await fake([]);
  broken = await fake(['preflight-requires-auth']);
});
afterAll(async () => {
  await good?.close();
  await broken?.close();
  await issuer?.jwks.close();
});

const credentials = () => ['--token', issuer.token, '--api-key', API_KEY];

describe('gatehouse verify', () => {
  it('prints a table and exits 0 when no check fails', async () => {
    const run = await cli(['verify', CONFIG, '--url', good.url, ...credentials()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Verifying gateway public \(rest\) at http:\/\/127\.0\.0\.1:\d+/);
    expect(run.stdout).toMatch(/^PASS\s+cors\.preflight@0-api-users\s+allowed origin, method and headers$/m);
    expect(run.stdout).toMatch(/^SKIP\s+edge\.execute-api-refused\s+give the API's own URL with --execute-api-url/m);
    expect(run.stdout).toMatch(/\d+ passed, 0 failed, \d+ skipped; \d+ request\(s\) sent\n$/);
  });

  it('exits 1 on a failed check and prints what it saw', async () => {
    const run = await cli(['verify', CONFIG, '--url', broken.url, ...credentials()]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL\s+cors\.preflight@0-api-users\s+preflight answered 401, expected 200 or 204$/m);
    expect(run.stdout).toMatch(/OPTIONS \/api\/users → 401/);
  });

  it('prints only the failures with -q', async () => {
    const run = await cli(['verify', CONFIG, '--url', broken.url, '-q', ...credentials()]);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/^PASS/m);
    expect(run.stdout.match(/^FAIL/gm)).toHaveLength(2);
    expect((await cli(['verify', CONFIG, '--url', good.url, '-q', ...credentials()])).stdout).toBe('');
  });

  it('prints one JSON report with --json: every check with id, status, reason and evidence', async () => {
    const run = await cli(['verify', CONFIG, '--url', broken.url, '--json', ...credentials()]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ file: CONFIG, gateway: 'public', flavor: 'rest', url: broken.url, ok: false });
    expect(report.summary.fail).toBe(2);
    const preflight = report.checks.find((c: { id: string }) => c.id === 'cors.preflight@0-api-users');
    expect(preflight).toMatchObject({ family: 'cors', status: 'fail', evidence: [{ request: 'OPTIONS /api/users', status: 401 }] });
    for (const check of report.checks)
      expect(Object.keys(check).sort()).toEqual(['description', 'evidence', 'family', 'id', 'reason', 'status']);
  });

  it('stops at --max-requests and reports the rest as skipped', async () => {
    const run = await cli(['verify', CONFIG, '--url', good.url, '--json', '--max-requests', '3', ...credentials()]);
    const report = JSON.parse(run.stdout);
    expect(run.code).toBe(0);
    expect(report.summary.requests).toBe(3);
    expect(report.checks.filter((c: { status: string }) => c.status === 'pass')).toHaveLength(3);
    const capped = report.checks.filter((c: { reason: string }) => /cap of 3 requests is reached \(--max-requests\)/.test(c.reason));
    expect(capped.length).toBeGreaterThan(10);
    expect(capped.every((c: { status: string }) => c.status === 'skip')).toBe(true);
  });

  it('fails once, and skips the rest, when the URL does not answer', async () => {
    const closed = await fake([]);
    const url = closed.url;
    await closed.close();
    const run = await cli(['verify', CONFIG, '--url', url, '--json']);
    const report = JSON.parse(run.stdout);
    expect(run.code).toBe(1);
    expect(report.summary).toMatchObject({ fail: 1, requests: 1 });
    expect(report.checks[1].reason).toMatch(/did not answer the first request/);
  });

  it.each([
    [['verify', CONFIG], /--url is required/],
    [['verify', CONFIG, '--url', 'ftp://example.com'], /url is an http\(s\) URL/],
    [['verify', CONFIG, '--url', 'not a url'], /url is an http\(s\) URL/],
    [['verify', CONFIG, '--url', 'https://x.example/prod?stage=1'], /without a query/],
    [['verify', CONFIG, '--url', 'https://x.example', '--max-requests', '0'], /--max-requests is a whole number above 0/],
    [['verify', CONFIG, '--url', 'https://x.example', '--timeout-ms', 'soon'], /--timeout-ms is a whole number above 0/],
    [['verify', CONFIG, '--url', 'https://x.example', '--json', '-q'], /--json and --quiet do not go together/],
    [['verify', CONFIG, '--url', 'https://x.example', '--gateway', 'nope'], /no gateway "nope" in the config \(it has public\)/],
    [['verify', join(REPO, 'examples', 'multi-gateway.yaml'), '--url', 'https://x.example'], /say which one the URL serves with --gateway/],
    [['verify', CONFIG, 'extra.yaml', '--url', 'https://x.example'], /unexpected argument "extra.yaml"/],
    [['verify', '--url', 'https://x.example', '--bogus'], /Unknown option '--bogus'/],
  ])('exits 2 with the usage on %j', async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/Usage: gatehouse verify --url URL/);
    expect(run.stdout).toBe('');
  });

  it('exits 1 with the problems at file:line on an invalid config, sending nothing', async () => {
    const before = good.requests;
    const run = await cli(['verify', join(REPO, 'test', 'fixtures', 'broken-configs', 'bad-indentation.yaml'), '--url', good.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Invalid Gatehouse config/);
    expect(good.requests).toBe(before);
  });

  it('has help, and is listed in gatehouse --help', async () => {
    expect((await cli(['verify', '--help'])).stdout).toMatch(/^Usage: gatehouse verify --url URL/);
    expect((await cli(['help', 'verify'])).stdout).toMatch(/^Usage: gatehouse verify --url URL/);
    expect((await cli(['--help'])).stdout).toMatch(/verify --url URL \[file\]/);
  });
});
