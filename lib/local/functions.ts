// Runs the assembly's Node.js Lambda functions in worker threads: one per function, its own environment, a realistic context.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { functionArn } from './cfn';
import type { LocalFunction } from './assembly';
import { FUNCTION_WORKER_SOURCE } from './function-worker';

/** What a function returned, or how it failed (Lambda's error shape). */
export type InvokeOutcome =
  | { readonly ok: true; readonly result: unknown; readonly ms: number }
  | { readonly ok: false; readonly error: { readonly errorType: string; readonly errorMessage: string }; readonly ms: number };

export interface FunctionRunnerOptions {
  /** Gatehouse's package.json: the bundles' external packages (`@aws-sdk/*`) resolve from there. */
  readonly resolveFrom: string;
  /** Variables every function gets on top of its own (AWS endpoint and dummy credentials of the local state). */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** Bundle text rewrites (baked upstream URL → override), applied to a copy of the asset's file. */
  readonly rewrite?: (code: string, fn: LocalFunction) => string;
  /** Where the functions' stdout/stderr (their log lines) go. */
  readonly log: (text: string) => void;
}

/** Why a function cannot run locally, or undefined when it can. */
export function unrunnableReason(fn: LocalFunction): string | undefined {
  if (!fn.runtime.startsWith('nodejs')) return `runtime ${fn.runtime || '(none)'} is not Node.js`;
  if (!fn.codeDir) return 'its code is not an asset of the assembly';
  if (!existsSync(handlerFile(fn))) return `no ${handlerFile(fn)}`;
  return undefined;
}

function handlerFile(fn: LocalFunction): string {
  const module = fn.handler.slice(0, fn.handler.lastIndexOf('.'));
  return (
    ['.js', '.cjs'].map((ext) => join(fn.codeDir ?? '', module + ext)).find((f) => existsSync(f)) ?? join(fn.codeDir ?? '', `${module}.js`)
  );
}

interface Running {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly pending: Map<string, (outcome: { result?: unknown; error?: { errorType: string; errorMessage: string } }) => void>;
}

export class FunctionRunner {
  private readonly running = new Map<string, Running>();
  private readonly scratch = mkdtempSync(join(tmpdir(), 'gatehouse-local-fn-'));

  constructor(private readonly options: FunctionRunnerOptions) {}

  /** Starts the function's worker (its init runs now), so the first request does not pay for it. */
  start(fn: LocalFunction): Promise<void> {
    return this.workerFor(fn).ready;
  }

  async invoke(fn: LocalFunction, event: unknown, timeoutMs = fn.timeoutSeconds * 1000): Promise<InvokeOutcome> {
    const started = Date.now();
    const reason = unrunnableReason(fn);
    if (reason) return { ok: false, error: { errorType: 'LocalUnsupported', errorMessage: `${fn.name}: ${reason}` }, ms: 0 };
    const running = this.workerFor(fn);
    try {
      await running.ready;
    } catch (err) {
      return { ok: false, error: { errorType: 'Runtime.InitError', errorMessage: (err as Error).message }, ms: Date.now() - started };
    }
    const id = randomUUID();
    const context = {
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: functionArn(fn.name),
      memoryLimitInMB: String(fn.memoryMb),
      awsRequestId: id,
      logGroupName: `/aws/lambda/${fn.name}`,
      logStreamName: `local/${fn.logicalId}`,
      timeoutMs: Math.min(timeoutMs, fn.timeoutSeconds * 1000),
    };
    const outcome = await new Promise<{ result?: unknown; error?: { errorType: string; errorMessage: string } }>((resolve) => {
      // Lambda stops a function at its timeout and reports Task timed out; so does this.
      const timer = setTimeout(() => {
        running.pending.delete(id);
        resolve({ error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${fn.timeoutSeconds}.00 seconds` } });
      }, context.timeoutMs);
      running.pending.set(id, (o) => {
        clearTimeout(timer);
        resolve(o);
      });
      running.worker.postMessage({ id, event, context });
    });
    const ms = Date.now() - started;
    return outcome.error ? { ok: false, error: outcome.error, ms } : { ok: true, result: outcome.result, ms };
  }

  async close(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.worker.terminate()));
    this.running.clear();
    rmSync(this.scratch, { recursive: true, force: true });
  }

  private workerFor(fn: LocalFunction): Running {
    const known = this.running.get(fn.name);
    if (known) return known;
    const original = handlerFile(fn);
    const file = this.options.rewrite ? join(this.scratch, `${fn.logicalId}.js`) : original;
    if (this.options.rewrite) writeFileSync(file, this.options.rewrite(readFileSync(original, 'utf8'), fn));
    const env = {
      ...this.options.baseEnv,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      LAMBDA_TASK_ROOT: fn.codeDir ?? '',
      _HANDLER: fn.handler,
      ...fn.environment,
    };
    const worker = new Worker(FUNCTION_WORKER_SOURCE, {
      eval: true,
      env,
      stdout: true,
      stderr: true,
      workerData: { file, resolveFrom: this.options.resolveFrom, exportName: fn.handler.slice(fn.handler.lastIndexOf('.') + 1) },
    });
    worker.stdout.on('data', (chunk: Buffer) => this.options.log(chunk.toString('utf8')));
    worker.stderr.on('data', (chunk: Buffer) => this.options.log(chunk.toString('utf8')));
    worker.unref();
    const pending: Running['pending'] = new Map();
    const ready = new Promise<void>((resolve, reject) => {
      worker.on(
        'message',
        (message: { ready?: boolean; id?: string; result?: unknown; error?: { errorType: string; errorMessage: string } }) => {
          if (message.ready) return resolve();
          const settle = pending.get(message.id ?? '');
          pending.delete(message.id ?? '');
          settle?.(message);
        },
      );
      worker.on('error', (err) => {
        reject(err);
        // A crash fails what was in flight, as a Lambda runtime error would; the next call starts a fresh worker.
        for (const settle of pending.values()) settle({ error: { errorType: 'Runtime.ExitError', errorMessage: err.message } });
        pending.clear();
        this.running.delete(fn.name);
      });
    });
    ready.catch(() => undefined);
    const running = { worker, ready, pending };
    this.running.set(fn.name, running);
    return running;
  }
}
