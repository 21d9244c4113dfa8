// `gatehouse export …`: the OpenAPI documents of a config's gateways; config problems print like validate's.
import { ConfigError } from '../config/errors';
import { runExportCommand } from '../openapi/export';
import { EXIT_FAILED, type CliIo } from './io';
import { paintFor } from './colour';
import { formatProblems } from './problems';

export function runExport(args: readonly string[], io: CliIo): number {
  try {
    return runExportCommand([...args], io);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(formatProblems(err, paintFor(io)));
    return EXIT_FAILED;
  }
}
