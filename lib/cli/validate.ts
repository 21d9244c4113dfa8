// `gatehouse validate`: every problem of a config at once, or "valid" with the planner's warnings.
import { ConfigError } from '../config/errors';
import { checkConfig } from './check-config';
import { paintFor } from './colour';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './io';
import { formatProblems, formatWarning, problemJson, warningJson } from './problems';

export interface ValidateOptions {
  readonly json: boolean;
  readonly quiet: boolean;
}

export function runValidate(file: string, options: ValidateOptions, io: CliIo): number {
  const paint = paintFor(io);
  try {
    const { plan } = checkConfig(file);
    const routes = plan.gateways.reduce((n, g) => n + g.routes.length, 0);
    if (options.json) {
      io.stdout(
        `${JSON.stringify({ file, valid: true, problems: [], warnings: plan.warnings.map(warningJson), acknowledged: plan.acknowledged.map(warningJson), gateways: plan.gateways.length, routes }, null, 2)}\n`,
      );
      return EXIT_OK;
    }
    if (options.quiet) return EXIT_OK;
    io.stdout(`${file}: valid (${plan.gateways.length} gateway(s), ${routes} route path(s))\n`);
    for (const w of plan.warnings) io.stdout(formatWarning(w, paint));
    if (plan.acknowledged.length)
      io.stdout(`  ${plan.acknowledged.length} acknowledged warning(s) not shown (gatehouse explain lists them)\n`);
    return EXIT_OK;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    if (options.json)
      io.stdout(
        `${JSON.stringify({ file, valid: false, problems: err.issues.map(problemJson), warnings: [], acknowledged: [] }, null, 2)}\n`,
      );
    else io.stderr(formatProblems(err, paint));
    return EXIT_FAILED;
  }
}
