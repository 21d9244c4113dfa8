// Starts AWS's moto_server on a free loopback port for tests that reach AWS APIs through the real SDK; stops it after.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { scaled } from './time-factor';

/** What to print when moto_server is missing, naming the tests that need it. */
export function motoMissing(tests: string): string {
  return `moto_server is not on PATH: install it with pip install "moto[server]" (${tests} need it)`;
}

/** Bounds of the start-up wait: moto imports Flask and all of its backends, about 1.5 s on an idle 2-core machine. */
const START_DEADLINE_MS = scaled(30_000);
const POLL_EVERY_MS = 100;
const START_ATTEMPTS = 3;
const STOP_GRACE_MS = 3000;

export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  /**
   * SIGSTOP: the server keeps accepting connections (the kernel completes the handshakes) but answers
   * nothing — a table that hangs. Always `resume()` in cleanup, or `stop()` waits on a frozen process.
   */
  pause(): void;
  /** SIGCONT after `pause()`; harmless otherwise. */
  resume(): void;
  stop(): Promise<void>;
}

/** The moto_server executable on PATH, or undefined. */
export function findMotoServer(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'moto_server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** A loopback port nothing listens on right now (the OS's choice), for moto or for "DynamoDB is down". */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port assigned');
  return address.port;
}

/** Starts moto_server and resolves once it answers HTTP; retries on another port if the chosen one was taken meanwhile. */
export async function startMotoServer(executable: string): Promise<MotoServer> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt += 1) {
    const port = await freePort();
    const child = spawn(executable, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
    try {
      await waitUntilAnswering(child, port, () => stderr);
      return {
        endpoint: `http://127.0.0.1:${port}`,
        port,
        pause: () => void child.kill('SIGSTOP'),
        resume: () => void child.kill('SIGCONT'),
        stop: async () => {
          child.kill('SIGCONT'); // a stopped process would not act on SIGTERM
          await stopChild(child);
        },
      };
    } catch (error) {
      lastError = error;
      await stopChild(child);
    }
  }
  throw lastError;
}

async function waitUntilAnswering(child: ChildProcess, port: number, stderr: () => string): Promise<void> {
  const deadline = Date.now() + START_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`moto_server exited (${child.exitCode ?? child.signalCode}) before answering on port ${port}:\n${stderr()}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
    }
  }
  throw new Error(`moto_server did not answer on port ${port} within ${START_DEADLINE_MS} ms:\n${stderr()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** Dummy credentials and us-east-1, as moto expects; nothing leaves the machine. */
export const MOTO_REGION = 'us-east-1';
export const MOTO_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
