// Test support: runs the gatehouse CLI in-process (lib/cli/main.ts) with captured output, as the bin script would.
import { runCli } from '../../../lib/cli/main';
import type { CliIo } from '../../../lib/cli/io';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function cli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; isTTY?: boolean } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    isTTY: options.isTTY ?? false,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** A line of a Node stack trace. */
export const STACK_TRACE = /^\s+at .+\(?.+:\d+:\d+\)?$/m;
