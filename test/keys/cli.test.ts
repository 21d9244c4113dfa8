// `gatehouse keys …` as a user runs it: a real process against moto_server, the key value on stdout exactly once.
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMotoServer, freePort, startMotoServer, type MotoServer } from '../support/moto-server';
import { deployGateway, MOTO_MISSING, motoKeysClient, storedKeys } from './support/api-gateway-moto';
import { scaled } from '../support/time-factor';

const root = join(__dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const motoServer = findMotoServer();
if (motoServer === undefined && !process.env.CI) console.warn(`SKIPPED gatehouse keys CLI tests: ${MOTO_MISSING}`);

/** The environment without any AWS settings of the machine running the tests. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return {
    ...env,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(root, 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(root, 'no-such-aws-credentials'),
    ...extra,
  };
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(tsx, [join(root, 'bin/gatehouse.ts'), ...args], { cwd: root, env, timeout: scaled(30_000) }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe.skipIf(motoServer === undefined && !process.env.CI)('GIVEN gatehouse keys against a gateway in moto_server', () => {
  let moto: MotoServer;
  let client: APIGatewayClient;
  let withCredentials: NodeJS.ProcessEnv;
  const keys = (...args: string[]) => run(['keys', ...args, '--endpoint-url', moto.endpoint], withCredentials);

  beforeAll(async () => {
    if (motoServer === undefined) throw new Error(MOTO_MISSING);
    moto = await startMotoServer(motoServer);
    client = motoKeysClient(moto.endpoint);
    await deployGateway(client, 'partner', ['standard']);
    withCredentials = cleanEnv({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' });
  });

  afterAll(async () => {
    client?.destroy();
    await moto?.stop();
  });

  it('WHEN a key is created THEN its value is printed once on stdout and nowhere else, and list never shows it', async () => {
    const created = await keys('create', '--gateway', 'partner', '--plan', 'standard', '--consumer', 'acme', '--expires', '90d');
    expect(created.code).toBe(0);
    const value = created.stdout.trim();
    expect(created.stdout).toBe(`${value}\n`);
    const stored = (await storedKeys(client)).find((k) => k.value === value);
    expect(stored?.name).toMatch(/^partner-acme-\d{14}$/);
    expect(created.stderr).toContain(`created ${stored?.name} (${stored?.id}) on partner-standard, expires `);
    expect(created.stderr).not.toContain(value);

    const listed = await keys('list', '--gateway', 'partner');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+NAME\s+GATEWAY\s+CONSUMER\s+STATE\s+PLANS\s+EXPIRES\s+DISABLE AFTER\n/);
    expect(listed.stdout).toMatch(
      new RegExp(`${stored?.id}\\s+${stored?.name}\\s+partner\\s+acme\\s+enabled\\s+partner-standard\\s+\\d{4}-`),
    );
    expect(listed.stdout + listed.stderr).not.toContain(value);
  });

  it('WHEN a key is rotated twice within the grace period THEN only the first run issues (and prints) a new key', async () => {
    const first = await keys('rotate', '--gateway', 'partner', '--consumer', 'acme', '--grace', '7d');
    expect(first.code).toBe(0);
    expect(first.stdout.trim()).toMatch(/^\S{20,}$/);
    expect(first.stderr).toMatch(/rotated partner-acme-\d{14} [\s\S]*\n {2}replaces partner-acme-\d{14} \(\w+\): they keep working until /);

    const second = await keys('rotate', '--gateway', 'partner', '--consumer', 'acme', '--grace', '7d');
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(/already rotated: .*nothing created/);

    const revoked = await keys('revoke', '--gateway', 'partner', '--consumer', 'acme');
    expect(revoked.code).toBe(0);
    expect(revoked.stderr.match(/revoked \(deleted\) partner-acme-/g)).toHaveLength(2);
  });

  it('WHEN the request cannot be served THEN the CLI says why without a stack trace', async () => {
    const noCredentials = cleanEnv({ AWS_REGION: 'us-east-1' });
    const nobodyListening = `http://127.0.0.1:${await freePort()}`;
    const [badDuration, missingPlan, missingConsumer, unauthenticated, unreachable] = await Promise.all([
      keys('create', '--gateway', 'partner', '--plan', 'standard', '--consumer', 'acme', '--expires', '90x'),
      keys('create', '--gateway', 'partner', '--plan', 'gold', '--consumer', 'acme'),
      keys('rotate', '--gateway', 'partner', '--consumer', 'nobody'),
      run(['keys', 'list', '--endpoint-url', moto.endpoint], noCredentials),
      run(['keys', 'list', '--endpoint-url', nobodyListening], withCredentials),
    ]);
    expect(badDuration).toMatchObject({ code: 2, stdout: '' });
    expect(badDuration.stderr).toContain(
      '--expires must be a positive whole number followed by d (days), h (hours) or m (minutes), like 90d, 12h or 30m; got "90x"',
    );
    expect(missingPlan).toMatchObject({ code: 1, stdout: '' });
    expect(missingPlan.stderr).toContain('no usage plan "partner-gold"');
    expect(missingPlan.stderr).toContain('gateway "partner" has: standard');
    expect(missingConsumer.code).toBe(1);
    expect(missingConsumer.stderr).toContain('no API key of consumer "nobody" on gateway "partner"');
    expect(unauthenticated.code).toBe(1);
    expect(unauthenticated.stderr).toContain('gatehouse keys: no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID');
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`gatehouse keys: cannot reach API Gateway at ${nobodyListening} (ECONNREFUSED)`);
    for (const r of [badDuration, missingPlan, missingConsumer, unauthenticated, unreachable]) expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
