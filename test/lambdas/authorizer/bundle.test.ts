// The Lambda asset: bundled with the config baked in, small, and working alone in a fresh Node process with no network.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleAuthorizer, type AuthorizerBundle } from '../../../lib/constructs/bundling/authorizer-bundle';
import type { AuthorizerConfig } from '../../../lambdas/contract/authorizer-config';
import { CONFIG_GLOBAL } from '../../../lambdas/contract/authorizer-define';
import { buildPolicy, INVOKE_ACTION, type PolicyDocument } from '../../../lambdas/contract/route-grants';
import { arnOf, authorizerConfig, requestEvent } from './support/fixtures';
import { policyAllows } from './support/iam';
import { jwksOf, signingKey, signToken } from './support/keys';
import { scaled } from '../../support/time-factor';

/**
 * Regression budget for the minified bundle of a config with literal paths only (this one, and the bench's): issue 20's
 * 60 KB. Measured 58.3 KB for this config (58.7 KB for the bench's) once the key sets and claim checks stopped coming
 * from jose (key-set.ts, claims-check.ts: jose was ~15 kB of WebCrypto key import, errors and claim code; its
 * replacement ~3.7 kB). Powertools Logger + Metrics are ~34 kB of it (`npm run bench:authorizer` lists what each
 * package adds). The path automata and the pair index for large templated tables stay out of such a bundle
 * (__GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__ is false), and the policy size guard ships in both.
 */
const BUNDLE_BUDGET_BYTES = 60 * 1024;

/**
 * The budget when a route has a path parameter (`{id}`): ~3.4 kB more for the determinized path automata and the
 * per-table prefix index, which take the first policy on a 200-grant tenant table from ~90 ms to a few ms
 * (bench:authorizer-policy).
 */
const TEMPLATED_BUNDLE_BUDGET_BYTES = 64 * 1024;

/** A table only the path automata get right: `GET/api/orders/{id}`'s glob `api/orders/*` also matches `/api/orders/7/audit`. */
const TEMPLATED_ROUTES = [
  { method: 'GET/api/orders', scopes: ['orders:read'], roles: [] },
  { method: 'GET/api/orders/{id}', scopes: ['orders:read'], roles: [] },
  { method: 'GET/api/orders/{id}/audit', scopes: ['orders:audit'], roles: [] },
  { method: 'ANY/admin/*', scopes: [], roles: ['admin'] },
];

const ISSUER = 'https://idp.example/tenant';
let outdir: string;
let config: AuthorizerConfig;
let bundle: AuthorizerBundle;
let templated: AuthorizerBundle;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'gatehouse-authorizer-'));
  const key = await signingKey('baked-1');
  config = authorizerConfig([{ issuer: ISSUER, audiences: ['orders-api'], jwks: jwksOf(key), jwksUri: 'https://keys.invalid/jwks' }]);
  bundle = bundleAuthorizer(config, outdir);
  templated = bundleAuthorizer({ ...config, routes: TEMPLATED_ROUTES }, join(outdir, 'templated'));
  // Signed in the parent; the child only verifies.
  process.env.GATEHOUSE_TEST_TOKEN = await signToken(key, { iss: ISSUER, aud: 'orders-api', scope: 'orders:read', client_id: 'cli' });
});

afterAll(() => {
  delete process.env.GATEHOUSE_TEST_TOKEN;
  rmSync(outdir, { recursive: true, force: true });
});

describe('GIVEN an authorizer config', () => {
  it(`WHEN it is bundled THEN index.js is written, minified under ${BUNDLE_BUDGET_BYTES / 1024} kB, with the config in place of the global`, () => {
    expect(bundle.file).toBe(join(outdir, 'index.js'));
    expect(bundle.bytes).toBe(statSync(bundle.file).size);
    const source = readFileSync(bundle.file, 'utf8');
    console.info(`authorizer bundle: ${bundle.bytes} bytes minified, ${gzipSync(source).length} bytes gzipped`);
    expect(bundle.bytes).toBeLessThan(BUNDLE_BUDGET_BYTES);
    expect(source).not.toContain(CONFIG_GLOBAL);
    expect(source).toContain(ISSUER);
    expect(source).not.toMatch(/require\("(jose|@aws-lambda-powertools\/[a-z]+)"\)/);
    // No originVerify in this config: the check, and the SDK client it would load, are not in the bundle.
    expect(source).not.toContain('origin-verify secret');
    expect(source).not.toContain('GATEHOUSE_ORIGIN_VERIFY_SECRET_ARN');
    expect(source).not.toContain('@aws-sdk/client-secrets-manager');
  });

  it('WHEN it is bundled twice THEN the bytes are identical, so the asset hash only moves with the config', () => {
    const again = bundleAuthorizer(config, mkdtempSync(join(tmpdir(), 'gatehouse-authorizer-')));
    expect(readFileSync(again.file, 'utf8')).toBe(readFileSync(bundle.file, 'utf8'));
    rmSync(join(again.file, '..'), { recursive: true, force: true });
  });

  it('WHEN the bundle is required in a fresh Node process with the network blocked THEN it verifies a token against the baked keys and allows', () => {
    const { outcome, child } = runFresh(bundle.file, requestEvent(`Bearer ${process.env.GATEHOUSE_TEST_TOKEN}`, arnOf('GET/api/orders')));
    expect(outcome.result.principalId).toBe('user-1');
    expect(outcome.result.context).toMatchObject({ iss: ISSUER, scopes: 'orders:read', clientId: 'cli' });
    expect(policyAllows(outcome.result.policyDocument, arnOf('GET/api/orders'))).toBe(true);
    // The child logged its decision under the service name it was given, and not the token.
    expect(child.stdout).toContain('"service":"orders-authorizer"');
    expect(child.stdout).not.toContain(process.env.GATEHOUSE_TEST_TOKEN!.split('.')[2]!);
  });

  it(`WHEN a config with a path parameter is bundled THEN the path automata ship (under ${TEMPLATED_BUNDLE_BUDGET_BYTES / 1024} kB) and its policy is the source's, Deny of the nested route included`, () => {
    console.info(`authorizer bundle with templated paths: ${templated.bytes} bytes minified`);
    expect(templated.bytes).toBeLessThan(TEMPLATED_BUNDLE_BUDGET_BYTES);
    expect(bundle.bytes).toBeLessThan(templated.bytes - 2048);
    const methodArn = arnOf('GET/api/orders/7');
    const { outcome } = runFresh(templated.file, requestEvent(`Bearer ${process.env.GATEHOUSE_TEST_TOKEN}`, methodArn));
    const methods = TEMPLATED_ROUTES.map((route) => route.method);
    const expected = buildPolicy(methodArn, ['GET/api/orders', 'GET/api/orders/{id}'], methods);
    expect(outcome.result.policyDocument).toEqual(expected.policyDocument);
    expect(outcome.result.policyDocument.Statement).toContainEqual({
      Action: INVOKE_ACTION,
      Effect: 'Deny',
      Resource: [arnOf('GET/api/orders/*/audit')],
    });
    expect(policyAllows(outcome.result.policyDocument, methodArn)).toBe(true);
    expect(policyAllows(outcome.result.policyDocument, arnOf('GET/api/orders/7/audit'))).toBe(false);
  });
});

interface FreshOutcome {
  result: { principalId: string; context: Record<string, string>; policyDocument: Parameters<typeof policyAllows>[0] & PolicyDocument };
  requireMs: number;
  firstCallMs: number;
}

/** Requires `file` in a fresh Node process with the network blocked and calls its handler with `event`. */
function runFresh(file: string, event: unknown): { outcome: FreshOutcome; child: { stdout: string } } {
  const script = `
      const net = require('node:net');
      net.Socket.prototype.connect = function () { throw new Error('network used'); };
      globalThis.fetch = async () => { throw new Error('network used'); };
      const started = process.hrtime.bigint();
      const { handler } = require(${JSON.stringify(file)});
      const loaded = process.hrtime.bigint();
      const event = JSON.parse(process.env.GATEHOUSE_TEST_EVENT);
      handler(event).then(
        (result) => {
          const done = process.hrtime.bigint();
          console.log('RESULT ' + JSON.stringify({ result, requireMs: Number(loaded - started) / 1e6, firstCallMs: Number(done - loaded) / 1e6 }));
        },
        (error) => console.log('RESULT ' + JSON.stringify({ error: String(error) })),
      );`;
  const started = Date.now();
  const child = spawnSync(process.execPath, ['-e', script], {
    cwd: outdir, // nothing to resolve from: the bundle must be self-contained
    encoding: 'utf8',
    timeout: scaled(20_000),
    env: { PATH: process.env.PATH, GATEHOUSE_TEST_EVENT: JSON.stringify(event), POWERTOOLS_SERVICE_NAME: 'orders-authorizer' },
  });
  const wallMs = Date.now() - started;
  expect(child.status, child.stderr).toBe(0);
  const line = child.stdout.split('\n').find((text) => text.startsWith('RESULT '));
  expect(line, child.stdout).toBeDefined();
  const outcome = JSON.parse(line!.slice('RESULT '.length)) as FreshOutcome;
  console.info(
    `fresh process: require ${outcome.requireMs.toFixed(1)} ms, first call ${outcome.firstCallMs.toFixed(1)} ms, process ${wallMs} ms`,
  );
  return { outcome, child };
}
