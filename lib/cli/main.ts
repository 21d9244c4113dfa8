// The gatehouse CLI: parses the command line, runs one command, and returns its exit code; no input prints a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { runExplain } from './explain';
import { runInit } from './init';
import { EXIT_FAILED, EXIT_USAGE, type CliIo } from './io';
import { runKeysCommand } from './keys';
import { runExport } from './export';
import { runLocal } from './local';
import { EXPLAIN_USAGE, INIT_USAGE, LOCAL_USAGE, USAGE, VALIDATE_USAGE, VERIFY_USAGE } from './usage';
import { runValidate } from './validate';
import { packageVersion } from './version';

const DEFAULT_FILE = 'gatehouse.yaml';

type Options = NonNullable<ParseArgsConfig['options']>;
const HELP: Options = { help: { type: 'boolean', short: 'h' } };
const COMMANDS: Record<string, { usage: string; options: Options }> = {
  validate: { usage: VALIDATE_USAGE, options: { ...HELP, json: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' } } },
  explain: {
    usage: EXPLAIN_USAGE,
    options: { ...HELP, json: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' }, verbose: { type: 'boolean', short: 'v' } },
  },
  local: {
    usage: LOCAL_USAGE,
    options: {
      ...HELP,
      port: { type: 'string', short: 'p' },
      upstream: { type: 'string', multiple: true },
      echo: { type: 'boolean' },
      'no-state': { type: 'boolean' },
    },
  },
  init: {
    usage: INIT_USAGE,
    options: { ...HELP, flavor: { type: 'string' }, issuer: { type: 'string' }, audience: { type: 'string' }, force: { type: 'boolean' } },
  },
};

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    // Config problems and usage errors are handled by each command; what reaches here is a bug in Gatehouse.
    io.stderr(`gatehouse: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    io.stderr(
      io.env.GATEHOUSE_DEBUG
        ? `${(err as Error)?.stack ?? ''}\n`
        : '  this is a bug in Gatehouse; run with GATEHOUSE_DEBUG=1 for the trace and report it\n',
    );
    return EXIT_FAILED;
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) return usageError(io, 'no command given', USAGE);
  if (first === '--version' || first === '-V') {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const about = rest[0] === 'verify' ? VERIFY_USAGE : COMMANDS[rest[0] ?? '']?.usage;
    io.stdout(`${about ?? USAGE}\n`);
    return 0;
  }
  if (first === 'keys') return runKeysCommand(rest, io);
  if (first === 'export') return runExport(rest, io);
  // Loaded on use: verify pulls in jose and node:https, which no other command needs.
  if (first === 'verify') return (await import('./verify')).runVerifyCommand(rest, io);
  const command = COMMANDS[first];
  if (!command) return usageError(io, first.startsWith('-') ? `unknown option "${first}"` : `unknown command "${first}"`, USAGE);
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
  } catch (err) {
    return usageError(io, `${first}: ${(err as Error).message.replace(/\. To specify[\s\S]*$/, '')}`, command.usage);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (values.help) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  const [file = DEFAULT_FILE, ...extra] = parsed.positionals;
  if (extra.length) return usageError(io, `${first}: unexpected argument "${extra[0]}" (one file at a time)`, command.usage);
  switch (first) {
    case 'validate':
      if (values.json && values.quiet) return usageError(io, 'validate: --json and --quiet do not go together', command.usage);
      return runValidate(file, { json: Boolean(values.json), quiet: Boolean(values.quiet) }, io);
    case 'local':
      return runLocal(
        file,
        {
          port: values.port as string | undefined,
          upstream: values.upstream as string[] | undefined,
          echo: Boolean(values.echo),
          noState: Boolean(values['no-state']),
        },
        io,
      );
    case 'explain':
      return runExplain(file, { json: Boolean(values.json), quiet: Boolean(values.quiet), verbose: Boolean(values.verbose) }, io);
    default: {
      const flavor = values.flavor ?? 'rest';
      if (flavor !== 'rest' && flavor !== 'http')
        return usageError(io, `init: --flavor is rest or http, not "${String(flavor)}"`, command.usage);
      if (values.audience !== undefined && values.issuer === undefined)
        return usageError(io, 'init: --audience goes with --issuer', command.usage);
      if (typeof values.issuer === 'string' && !/^https?:\/\/[^\s/]+/.test(values.issuer)) {
        return usageError(
          io,
          `init: --issuer is the issuer URL exactly as in the tokens' "iss", e.g. https://login.example.com/, not "${values.issuer}"`,
          command.usage,
        );
      }
      return runInit(
        file,
        {
          flavor,
          issuer: values.issuer as string | undefined,
          audience: values.audience as string | undefined,
          force: Boolean(values.force),
        },
        io,
      );
    }
  }
}

function usageError(io: CliIo, problem: string, usage: string): number {
  io.stderr(`gatehouse: ${problem}\n\n${usage}\n`);
  return EXIT_USAGE;
}
