// What a CLI command writes to and reads from, so tests run commands in-process with captured output.

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Working directory relative files are read from and written to. */
  readonly cwd: string;
  /** Whether stdout/stderr are terminals: colours only then. */
  readonly isTTY: boolean;
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY && process.stdout.isTTY),
  };
}

/** Exit codes every command keeps: 0 ok, 1 the config is invalid or the command failed, 2 the command line is wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
