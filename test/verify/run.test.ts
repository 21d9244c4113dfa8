// runVerify's bounds: only the URLs given are called, a hung gateway costs one deadline, misuse is a VerifyUsageError.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConfig } from '../../lib/cli/check-config';
import { runVerify, VerifyUsageError, type TransportRequest } from '../../lib/verify';

const CONFIG = join(__dirname, 'support', 'configs', 'rest.yaml');
let hung: Server;
let hungUrl: string;

beforeAll(async () => {
  // Reads requests and never answers.
  hung = createServer(() => undefined);
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  hungUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
});
afterAll(async () => {
  hung.closeAllConnections();
  await new Promise<void>((resolve) => hung.close(() => resolve()));
});

describe('runVerify', () => {
  it('GIVEN skip prefixes THEN those checks are reported as skipped with the reason and send nothing; the others run', async () => {
    const seen: TransportRequest[] = [];
    const transport = async (req: TransportRequest) => {
      seen.push(req);
      return { status: 404, headers: {}, body: '{"message":"Not Found"}' };
    };
    const url = 'https://abc.execute-api.eu-west-1.amazonaws.com/prod';
    const all = await runVerify({ file: CONFIG, url, transport });
    const dots = all.checks.filter((c) => c.id.startsWith('paths.dot-segments'));
    expect(dots.length).toBeGreaterThan(0);
    seen.length = 0;
    const report = await runVerify({
      file: CONFIG,
      url,
      transport,
      skip: ['paths.dot-segments'],
      skipReason: 'local does not decide this',
    });
    for (const check of report.checks.filter((c) => c.id.startsWith('paths.dot-segments'))) {
      expect(check).toMatchObject({ status: 'skip', reason: 'local does not decide this', evidence: [] });
    }
    expect(report.checks.map((c) => c.id)).toEqual(all.checks.map((c) => c.id));
    expect(seen.some((r) => r.url.includes('%2e%2e'))).toBe(false);
    expect(report.summary.pass + report.summary.fail).toBeGreaterThan(0);
  });

  it('calls only the URL and the execute-api URL it is given, paths appended as written', async () => {
    const seen: TransportRequest[] = [];
    const report = await runVerify({
      file: CONFIG,
      url: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/',
      executeApiUrl: 'https://xyz.execute-api.eu-west-1.amazonaws.com/prod',
      token: 'not-a-real-token',
      apiKey: 'k',
      transport: async (req) => {
        seen.push(req);
        return { status: 404, headers: {}, body: '{"message":"Not Found"}' };
      },
    });
    expect(seen.length).toBe(report.summary.requests);
    expect(seen.length).toBeGreaterThan(20);
    for (const req of seen) expect(req.url).toMatch(/^https:\/\/(abc|xyz)\.execute-api\.eu-west-1\.amazonaws\.com\/prod\/[^/]/);
    expect(seen.some((r) => r.url.includes('/%2e%2e/%2e%2e/'))).toBe(true);
    // Tokens go in Authorization only; the report never carries them.
    expect(JSON.stringify(report)).not.toContain('not-a-real-token');
  });

  it('gives up on a gateway that never answers after one deadline, not one per check', async () => {
    const report = await runVerify({ file: CONFIG, url: hungUrl, timeoutMs: 200 });
    expect(report.summary).toMatchObject({ fail: 1, pass: 0, requests: 1 });
    expect(report.checks[0]!.reason).toBe('no answer: no answer within 200 ms');
    expect(report.ok).toBe(false);
  });

  it.each([
    [{ url: 'https://x.example' }, /needs a plan or a config file/],
    [{ file: join(__dirname, '..', '..', 'examples', 'multi-gateway.yaml'), url: 'https://x.example' }, /--gateway/],
    [{ file: CONFIG, url: 'https://x.example', maxRequests: 0 }, /maxRequests is a whole number above 0/],
    [{ file: CONFIG, url: 'https://x.example', executeApiUrl: 'x.example' }, /executeApiUrl is an http\(s\) URL/],
  ])('refuses %j with a VerifyUsageError', async (options, message) => {
    await expect(runVerify(options)).rejects.toThrow(VerifyUsageError);
    await expect(runVerify(options)).rejects.toThrow(message);
  });

  it('takes a plan instead of a file', async () => {
    const { plan } = checkConfig(CONFIG);
    const report = await runVerify({ plan, url: hungUrl, timeoutMs: 100, maxRequests: 1 });
    expect(report.gateway).toBe('public');
  });
});
