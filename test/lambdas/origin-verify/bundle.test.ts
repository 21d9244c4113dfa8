// The origin-verify Lambda asset: small, without jose, and answering real requests in a fresh Node process that reads its secret from moto_server.
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleHandler, type HandlerBundle } from '../../../lib/constructs/bundling/bundle-handler';
import {
  replayInBundle,
  createOriginSecret,
  findMotoServer,
  MOTO_MISSING,
  originSecretValue,
  secretsClient,
  startMotoServer,
  type MotoServer,
} from '../shared/support/secrets-moto';
import { originRequestEvent } from './support/events';
import { scaled } from '../../support/time-factor';

/** Regression budget for the minified bundle: Powertools Logger + Metrics (~34 kB) and the check itself; no jose. */
const BUNDLE_BUDGET_BYTES = 48 * 1024;

/** Where the Lambda runtime's own AWS SDK is found here: the runtime puts its copy on NODE_PATH the same way. */

const motoServer = findMotoServer();

// Without moto_server these tests fail (beforeAll throws, naming the fix) rather than skip.
describe('GIVEN the origin-verify authorizer bundled for Lambda', { timeout: scaled(30_000) }, () => {
  let moto: MotoServer;
  let client: SecretsManagerClient;
  let outdir: string;
  let bundle: HandlerBundle;
  let value: string;
  let secretArn: string;

  beforeAll(async () => {
    if (motoServer === undefined) throw new Error(MOTO_MISSING);
    outdir = mkdtempSync(join(tmpdir(), 'gatehouse-origin-verify-'));
    bundle = bundleHandler('origin-verify/handler', outdir);
    moto = await startMotoServer(motoServer);
    client = secretsClient(moto.endpoint);
    value = originSecretValue();
    secretArn = await createOriginSecret(client, value);
  });

  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  it(`WHEN it is bundled THEN it is under ${BUNDLE_BUDGET_BYTES / 1024} kB, without jose, with Powertools inside and the AWS SDK left to the runtime`, () => {
    const source = readFileSync(bundle.file, 'utf8');
    console.info(`origin-verify bundle: ${bundle.bytes} bytes minified, ${gzipSync(source).length} bytes gzipped`);
    expect(bundle.bytes).toBeLessThan(BUNDLE_BUDGET_BYTES);
    expect(source).not.toContain('jose');
    expect(source).not.toContain('jwtVerify');
    expect(source).toContain('require("@aws-sdk/client-secrets-manager")');
    expect(source).not.toMatch(/require\("@aws-lambda-powertools\/[a-z]+"\)/);
  });

  it('WHEN it runs in a fresh Node process with the secret ARN and the Secrets Manager endpoint in its environment THEN it allows the right header and refuses a wrong or missing one', async () => {
    const wrong = originSecretValue();
    const events = [originRequestEvent({ originVerify: value }), originRequestEvent({ originVerify: wrong }), originRequestEvent()];
    const { answers, stdout } = await replayInBundle(bundle.file, {
      cwd: outdir,
      endpoint: moto.endpoint,
      secretArn,
      serviceName: 'orders-origin-verify',
      events,
    });
    expect(answers).toEqual([{ isAuthorized: true }, { isAuthorized: false }, { isAuthorized: false }]);
    // The refusals were logged and counted under the service name it was given, without the values.
    expect(stdout).toContain('"service":"orders-origin-verify"');
    expect(stdout).toContain('"OriginVerifyRefused"');
    expect(stdout).not.toContain(value);
    expect(stdout).not.toContain(wrong);
  });
});
