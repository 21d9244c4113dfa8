// `gatehouse local`: serve every gateway of a config on 127.0.0.1 from its synthesized assembly until interrupted.
import { isAbsolute, join } from 'node:path';
import { startLocal } from '../local/start';
import { parseUpstreamFlags } from '../local/upstreams';
import { ConfigError } from '../config/errors';
import { paintFor } from './colour';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliIo } from './io';
import { formatProblems } from './problems';
import { LOCAL_USAGE } from './usage';

export interface LocalCliOptions {
  readonly port?: string;
  readonly upstream?: readonly string[];
  readonly echo?: boolean;
  readonly noState?: boolean;
}

/** Serves until `until` settles (default: SIGINT or SIGTERM), then stops everything it started. */
export async function runLocal(
  file: string,
  options: LocalCliOptions,
  io: CliIo,
  until: Promise<unknown> = interrupted(),
): Promise<number> {
  const port = options.port === undefined ? 8080 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr(`gatehouse: local: --port is a port number (0-65535), not "${options.port}"\n\n${LOCAL_USAGE}\n`);
    return EXIT_USAGE;
  }
  let upstreams: Record<string, string>;
  try {
    upstreams = parseUpstreamFlags(options.upstream ?? []);
  } catch (err) {
    io.stderr(`gatehouse: local: ${(err as Error).message}\n\n${LOCAL_USAGE}\n`);
    return EXIT_USAGE;
  }
  let local;
  try {
    local = await startLocal({
      file: isAbsolute(file) ? file : join(io.cwd, file),
      port,
      upstreams,
      echo: Boolean(options.echo),
      state: options.noState ? 'off' : 'auto',
      log: io.stderr,
    });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(formatProblems(err, paintFor(io)));
      return EXIT_FAILED;
    }
    if (
      err instanceof TypeError ||
      (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ||
      (err as NodeJS.ErrnoException).code === 'ENOENT'
    ) {
      io.stderr(`gatehouse: local: ${(err as Error).message}\n`);
      return EXIT_FAILED;
    }
    throw err;
  }
  for (const g of local.gateways) io.stdout(`${g.name} ${g.url}\n`);
  await until;
  await local.close();
  return EXIT_OK;
}

function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
