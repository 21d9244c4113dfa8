// `gatehouse verify`: parse its options, run the plan's conformance suite against a URL, print a table or JSON.
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/errors';
import { formatReport } from '../verify/report';
import { runVerify, VerifyUsageError } from '../verify/run';
import { paintFor } from './colour';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliIo } from './io';
import { formatProblems, problemJson } from './problems';
import { VERIFY_USAGE } from './usage';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  url: { type: 'string' },
  gateway: { type: 'string' },
  token: { type: 'string' },
  'token-without-scope': { type: 'string' },
  'expired-token': { type: 'string' },
  'api-key': { type: 'string' },
  'execute-api-url': { type: 'string' },
  'include-rate-limits': { type: 'boolean' },
  skip: { type: 'string', multiple: true },
  'max-requests': { type: 'string' },
  'timeout-ms': { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

export async function runVerifyCommand(args: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    return usageError(io, `verify: ${(err as Error).message.replace(/\. To specify[\s\S]*$/, '')}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${VERIFY_USAGE}\n`);
    return EXIT_OK;
  }
  const [file = 'gatehouse.yaml', ...extra] = positionals;
  if (extra.length) return usageError(io, `verify: unexpected argument "${extra[0]}" (one file at a time)`);
  if (!values.url) return usageError(io, 'verify: --url is required: the stage, domain or distribution URL to check');
  if (values.json && values.quiet) return usageError(io, 'verify: --json and --quiet do not go together');
  const maxRequests = wholeNumber(values['max-requests']);
  const timeoutMs = wholeNumber(values['timeout-ms']);
  if (maxRequests === null) return usageError(io, `verify: --max-requests is a whole number above 0, not "${values['max-requests']}"`);
  if (timeoutMs === null) return usageError(io, `verify: --timeout-ms is a whole number above 0, not "${values['timeout-ms']}"`);

  try {
    const report = await runVerify({
      file,
      url: values.url,
      gateway: values.gateway,
      token: values.token,
      tokenWithoutScope: values['token-without-scope'],
      expiredToken: values['expired-token'],
      apiKey: values['api-key'],
      executeApiUrl: values['execute-api-url'],
      includeRateLimits: values['include-rate-limits'] ?? false,
      ...(values.skip ? { skip: values.skip } : {}),
      ...(maxRequests !== undefined ? { maxRequests } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
    if (values.json) io.stdout(`${JSON.stringify({ file, ...report }, null, 2)}\n`);
    else io.stdout(formatReport(report, paintFor(io), { quiet: values.quiet ?? false }));
    return report.ok ? EXIT_OK : EXIT_FAILED;
  } catch (err) {
    if (err instanceof VerifyUsageError) return usageError(io, `verify: ${err.message}`);
    if (!(err instanceof ConfigError)) throw err;
    if (values.json) io.stdout(`${JSON.stringify({ file, valid: false, problems: err.issues.map(problemJson) }, null, 2)}\n`);
    else io.stderr(formatProblems(err, paintFor(io)));
    return EXIT_FAILED;
  }
}

/** undefined when not given, null when not a whole number above 0. */
function wholeNumber(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  return /^[1-9]\d*$/.test(text) ? Number(text) : null;
}

function usageError(io: CliIo, problem: string): number {
  io.stderr(`gatehouse: ${problem}\n\n${VERIFY_USAGE}\n`);
  return EXIT_USAGE;
}
