// `gatehouse explain`: the plan as text (or JSON), with the extension keys the loader ignored under -v.
import { ConfigError } from '../config/errors';
import { sourceOf } from '../config/source';
import { explainPlan } from '../plan/explain';
import { checkConfig } from './check-config';
import { paintFor } from './colour';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './io';
import { formatProblems, problemJson } from './problems';

export interface ExplainOptions {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
}

export function runExplain(file: string, options: ExplainOptions, io: CliIo): number {
  try {
    const { spec, plan } = checkConfig(file);
    const extensions = sourceOf(spec)?.extensions ?? [];
    if (options.json) {
      io.stdout(`${JSON.stringify({ file, extensions, plan }, null, 2)}\n`);
      return EXIT_OK;
    }
    io.stdout(`${explainPlan(options.quiet ? { ...plan, warnings: [] } : plan)}\n`);
    if (options.verbose) {
      io.stdout(
        extensions.length
          ? `\nIgnored extension keys (x-):\n${extensions.map((e) => `  ${e}`).join('\n')}\n`
          : '\nIgnored extension keys (x-): none\n',
      );
    }
    return EXIT_OK;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    if (options.json) io.stdout(`${JSON.stringify({ file, valid: false, problems: err.issues.map(problemJson) }, null, 2)}\n`);
    else io.stderr(formatProblems(err, paintFor(io)));
    return EXIT_FAILED;
  }
}
