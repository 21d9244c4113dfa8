#!/usr/bin/env node
// The gatehouse CLI: `validate` and `explain` a config offline; `keys` manages consumers' API keys in AWS.
import { parseArgs } from 'node:util';
import { loadSpec } from '../lib/spec/load';
import { planSpec } from '../lib/plan/plan';
import { explainPlan } from '../lib/plan/explain';
import { runOrExplain } from '../lib/cli/report';
import { runKeysCommand } from '../lib/keys/cli';
import { runExportCommand } from '../lib/openapi/export';

const USAGE = `Usage: gatehouse <command> [file]

Commands:
  validate [file]   check a config and print every problem at once (exit 1 if any)
  explain [file]    print the plan: one row per route with its integration, features and why,
                    and the stack's resources against CloudFormation's limits
  keys <command>    create, list, rotate and revoke consumers' API keys (gatehouse keys --help)
  export openapi [file] [--gateway NAME] [--aws-extensions]
                    print each gateway's OpenAPI document (gatehouse export --help)

file defaults to ./gatehouse.yaml`;

if (process.argv[2] === 'keys') runKeys();
else if (process.argv[2] === 'export') runOrExplain(runExport);
else runOrExplain(runOffline);

/** `export openapi …` has its own flags (--gateway, --aws-extensions). */
function runExport(): void {
  const io = { stdout: (text: string) => process.stdout.write(text), stderr: (text: string) => process.stderr.write(text) };
  process.exitCode = runExportCommand(process.argv.slice(3), io);
}

/** `keys …` needs AWS (credentials, network) and is async, unlike the offline commands. */
function runKeys(): void {
  const io = { stdout: (text: string) => process.stdout.write(text), stderr: (text: string) => process.stderr.write(text), env: process.env };
  void runKeysCommand(process.argv.slice(3), io).then((code) => {
    process.exitCode = code;
  });
}

function runOffline(): void {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  const [command, file = 'gatehouse.yaml', ...extra] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  if (extra.length) {
    process.stderr.write(`gatehouse: unexpected argument "${extra[0]}"\n\n${USAGE}\n`);
    process.exit(2);
  }
  switch (command) {
    case 'validate': {
      const spec = loadSpec(file);
      const plan = planSpec(spec);
      const routes = plan.gateways.reduce((n, g) => n + g.routes.length, 0);
      process.stdout.write(`${file}: valid (${plan.gateways.length} gateway(s), ${routes} route path(s))\n`);
      for (const w of plan.warnings) process.stdout.write(`  warning ${w.code} ${w.where}: ${w.message}\n`);
      return;
    }
    case 'explain':
      process.stdout.write(`${explainPlan(planSpec(loadSpec(file)))}\n`);
      return;
    default:
      process.stderr.write(`gatehouse: unknown command "${command}"\n\n${USAGE}\n`);
      process.exit(2);
  }
}
