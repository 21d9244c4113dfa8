// State the handlers keep in AWS (DynamoDB tables, Secrets Manager secrets): moto_server on loopback when installed, else off.
import type { JsonObject } from './definition';
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { LOCAL_REGION } from './cfn';

export interface LocalState {
  /** What the banner says about state. */
  readonly description: string;
  /** Variables every function gets: region, dummy credentials, and the endpoint of every AWS SDK client. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * A port nothing listens on: with state off, the handlers' SDK calls are refused on loopback at once
 * (they answer as they do when DynamoDB is down), and nothing ever leaves the machine.
 */
const REFUSED_ENDPOINT = 'http://127.0.0.1:9';

const BASE_ENV = {
  AWS_REGION: LOCAL_REGION,
  AWS_DEFAULT_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_SESSION_TOKEN: 'local',
};

export function findOnPath(executable: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, executable), constants.X_OK);
      return join(dir, executable);
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function startLocalState(
  tables: ReadonlyMap<string, JsonObject>,
  secrets: ReadonlyMap<string, JsonObject>,
  mode: 'auto' | 'off',
): Promise<LocalState> {
  const off = (why: string): LocalState => ({
    description: why,
    env: { ...BASE_ENV, AWS_ENDPOINT_URL: REFUSED_ENDPOINT },
    close: () => Promise.resolve(),
  });
  if (!tables.size && !secrets.size) return off('none needed (no DynamoDB table or secret in the stack)');
  const what = [...tables.keys(), ...secrets.keys()].join(', ');
  if (mode === 'off') return off(`OFF (--no-state): handlers find ${what} unreachable, as when DynamoDB is down`);
  const moto = findOnPath('moto_server');
  if (!moto)
    return off(
      `OFF: moto_server is not installed (pip install "moto[server]"), so handlers find ${what} unreachable, as when DynamoDB is down`,
    );
  const port = await freePort();
  const child = spawn(moto, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.resume();
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForAnswer(child, endpoint);
    await createResources(endpoint, tables, secrets);
  } catch (err) {
    await stop(child);
    return off(`OFF: moto_server did not start (${(err as Error).message})`);
  }
  return {
    description: `moto_server on ${endpoint} (DynamoDB ${[...tables.keys()].join(', ') || '-'}; Secrets Manager ${[...secrets.keys()].join(', ') || '-'})`,
    env: { ...BASE_ENV, AWS_ENDPOINT_URL: endpoint },
    close: () => stop(child),
  };
}

async function createResources(
  endpoint: string,
  tables: ReadonlyMap<string, JsonObject>,
  secrets: ReadonlyMap<string, JsonObject>,
): Promise<void> {
  const client = { endpoint, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  if (tables.size) {
    const { DynamoDBClient, CreateTableCommand, UpdateTimeToLiveCommand } = await import('@aws-sdk/client-dynamodb');
    const ddb = new DynamoDBClient(client);
    for (const [name, p] of tables) {
      await ddb.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: p.AttributeDefinitions,
          KeySchema: p.KeySchema,
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: p.GlobalSecondaryIndexes,
        }),
      );
      if (p.TimeToLiveSpecification?.Enabled)
        await ddb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: p.TimeToLiveSpecification }));
    }
    ddb.destroy();
  }
  if (secrets.size) {
    const { SecretsManagerClient, CreateSecretCommand } = await import('@aws-sdk/client-secrets-manager');
    const { randomBytes } = await import('node:crypto');
    const sm = new SecretsManagerClient(client);
    for (const [name, p] of secrets) {
      const generated = p.GenerateSecretString as { SecretStringTemplate?: string; GenerateStringKey?: string } | undefined;
      const value = randomBytes(24).toString('base64url');
      const secretString =
        typeof p.SecretString === 'string'
          ? p.SecretString
          : generated?.SecretStringTemplate && generated.GenerateStringKey
            ? JSON.stringify({ ...JSON.parse(generated.SecretStringTemplate), [generated.GenerateStringKey]: value })
            : value;
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: secretString }));
    }
    sm.destroy();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** moto imports Flask and every backend: a few seconds on a loaded machine; bounded at 30 s. */
async function waitForAnswer(child: ChildProcess, endpoint: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    try {
      await (await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(1000) })).arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('no answer within 30 s');
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
