// `gatehouse keys …`: parses the subcommand's options, calls the lifecycle, prints the one-time key value to stdout and the rest to stderr.
import { parseArgs } from 'node:util';
import { createKeysClient, type ApiGatewaySender } from '../../lambdas/shared/api-keys/client';
import { createKey } from '../keys/create-key';
import { parseDuration } from '../keys/duration';
import { enforceExpiry } from '../../lambdas/shared/api-keys/enforce-expiry';
import { KeyError, NO_CREDENTIALS_MESSAGE } from '../../lambdas/shared/api-keys/errors';
import type { IssuedKey } from '../keys/issue-key';
import { listKeys, type ListedKey } from '../keys/list-keys';
import { revokeKey } from '../keys/revoke-key';
import { rotateKey } from '../keys/rotate-key';

export const KEYS_USAGE = `Usage: gatehouse keys <command> [options]

Commands:
  create  --gateway g --plan p --consumer c [--expires 90d]
          issue a key on the gateway's usage plan <g>-<p> (one plan per key); its value is printed once, to stdout
  list    [--gateway g] [--consumer c]
          keys with plans, state and deadlines (never values)
  rotate  --gateway g --consumer c [--grace 7d] [--expires 90d]
          issue a new key on the same plans; the old key works until the grace period ends
  revoke  --gateway g (--consumer c | --key-id id)
          delete the consumer's keys (or one key) now
  enforce-expiry [--warning-days 14]
          disable keys past their expiry or grace period (what the scheduled function does)

Options for every command:
  --region r          AWS region (default: AWS_REGION, then AWS_DEFAULT_REGION, then the profile's, as the AWS CLI reads them)
  --endpoint-url url  API Gateway endpoint, e.g. a local moto_server (default: AWS_ENDPOINT_URL)

Durations: a whole number and d, h or m: 90d, 12h, 30m.`;

export interface KeysIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Tests inject a client; the CLI builds one from --region/--endpoint-url. */
  readonly client?: ApiGatewaySender;
}

const OPTIONS = {
  gateway: { type: 'string' },
  plan: { type: 'string', multiple: true },
  consumer: { type: 'string' },
  expires: { type: 'string' },
  grace: { type: 'string' },
  'key-id': { type: 'string' },
  'warning-days': { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs one `keys` subcommand and returns the exit code: 0 done, 1 failed, 2 bad usage. */
export async function runKeysCommand(argv: readonly string[], io: KeysIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`gatehouse keys: ${(error as Error).message}\n\n${KEYS_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (values.help || !command) {
    (values.help ? io.stdout : io.stderr)(`${KEYS_USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (extra.length) {
    io.stderr(`gatehouse keys: unexpected argument "${extra[0]}"\n\n${KEYS_USAGE}\n`);
    return 2;
  }
  const endpoint = values['endpoint-url'] ?? (io.env.AWS_ENDPOINT_URL || undefined);
  // The SDK reads AWS_REGION and the profile but not AWS_DEFAULT_REGION, which the AWS CLI (and many CI setups) use.
  const region = values.region ?? (io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION || undefined);
  const client = io.client ?? createKeysClient({ region, endpoint });
  try {
    switch (command) {
      case 'create': {
        const expires = values.expires !== undefined ? new Date(Date.now() + parseDuration(values.expires, 'expires')) : undefined;
        const key = await createKey(client, {
          gateway: need(values.gateway, 'gateway'),
          plans: values.plan ?? [],
          consumer: need(values.consumer, 'consumer'),
          expires,
        });
        printIssued(io, key, 'created');
        return 0;
      }
      case 'list':
        io.stdout(`${renderKeyTable(await listKeys(client, { gateway: values.gateway, consumer: values.consumer }))}\n`);
        return 0;
      case 'rotate': {
        const graceMs = parseDuration(values.grace ?? '7d', 'grace');
        const expires = values.expires !== undefined ? new Date(Date.now() + parseDuration(values.expires, 'expires')) : undefined;
        const result = await rotateKey(client, {
          gateway: need(values.gateway, 'gateway'),
          consumer: need(values.consumer, 'consumer'),
          graceMs,
          expires,
        });
        const old = result.replaced.map((k) => `${k.name} (${k.id})`).join(', ') || '-';
        if (result.status === 'in-grace') {
          io.stderr(
            `already rotated: ${result.key.name} (${result.key.id}) replaces ${old} until ${result.disableReplacedAfter.toISOString()}; nothing created. ` +
              `Its value was printed when it was made; to start over, revoke it with --key-id ${result.key.id} and rotate again.\n`,
          );
          return 0;
        }
        printIssued(io, result.key, 'rotated');
        io.stderr(
          `  replaces ${old}: they keep working until ${result.disableReplacedAfter.toISOString()}, then the key-expiry function (or keys enforce-expiry) disables them\n`,
        );
        return 0;
      }
      case 'revoke': {
        const gateway = need(values.gateway, 'gateway');
        if ((values.consumer === undefined) === (values['key-id'] === undefined))
          throw new KeyError('INVALID_ARGUMENT', 'revoke needs exactly one of --consumer or --key-id');
        const revoked =
          values['key-id'] !== undefined
            ? await revokeKey(client, { gateway, keyId: values['key-id'] })
            : await revokeKey(client, { gateway, consumer: values.consumer as string });
        for (const k of revoked) io.stderr(`revoked (deleted) ${k.name} (${k.id})\n`);
        return 0;
      }
      case 'enforce-expiry': {
        const warningDays = values['warning-days'] !== undefined ? Number(values['warning-days']) : undefined;
        if (warningDays !== undefined && !(Number.isInteger(warningDays) && warningDays >= 0))
          throw new KeyError('INVALID_ARGUMENT', `--warning-days must be a whole number of days, got "${values['warning-days']}"`);
        const report = await enforceExpiry(client, { warningDays });
        for (const d of report.disabled) io.stderr(`disabled ${d.key.name} (${d.key.id}): ${d.reason} at ${d.deadline.toISOString()}\n`);
        for (const k of report.expiringSoon) io.stderr(`expiring soon ${k.name} (${k.id}) at ${k.expires?.toISOString()}\n`);
        for (const f of report.failed) io.stderr(`FAILED to disable ${f.key.name} (${f.key.id}): ${f.error}\n`);
        return report.failed.length ? 1 : 0;
      }
      default:
        io.stderr(`gatehouse keys: unknown command "${command}"\n\n${KEYS_USAGE}\n`);
        return 2;
    }
  } catch (error) {
    if (error instanceof KeyError) {
      io.stderr(`gatehouse keys: ${error.message}\n`);
      return error.code === 'INVALID_ARGUMENT' || error.code === 'INVALID_DURATION' ? 2 : 1;
    }
    // The SDK puts $metadata on network failures too, so they are told apart first.
    if (isNetworkError(error)) {
      io.stderr(`gatehouse keys: cannot reach API Gateway${endpoint ? ` at ${endpoint}` : ''} (${error.code}): ${error.message}\n`);
      return 1;
    }
    if (isAwsServiceError(error)) {
      io.stderr(`gatehouse keys: API Gateway refused: ${error.name}: ${error.message}\n`);
      return 1;
    }
    const config = sdkConfigurationProblem(error);
    if (config) {
      io.stderr(`gatehouse keys: ${config}\n`);
      return 1;
    }
    throw error;
  }
}

function need(value: string | undefined, option: string): string {
  if (value === undefined) throw new KeyError('INVALID_ARGUMENT', `--${option} is required`);
  return value;
}

/** The value goes to stdout alone, so `$(gatehouse keys create …)` captures just the secret; the rest to stderr. */
function printIssued(io: KeysIo, key: IssuedKey, what: string): void {
  io.stdout(`${key.value}\n`);
  io.stderr(
    `${what} ${key.name} (${key.id}) on ${key.plans.join(', ')}${key.expires ? `, expires ${key.expires.toISOString()}` : ''}\n` +
      '  the value above is shown this once: hand it to the consumer now\n',
  );
}

export function renderKeyTable(keys: readonly ListedKey[]): string {
  if (keys.length === 0) return 'no keys';
  const rows = [
    ['ID', 'NAME', 'GATEWAY', 'CONSUMER', 'STATE', 'PLANS', 'EXPIRES', 'DISABLE AFTER'],
    ...keys.map((k) => [
      k.id,
      k.name,
      k.gateway ?? '-',
      k.consumer ?? '-',
      k.enabled ? 'enabled' : 'disabled',
      k.plans.join(',') || '-',
      k.expires?.toISOString() ?? '-',
      k.disableAfter?.toISOString() ?? '-',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function isNetworkError(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && /^E[A-Z_]+$/.test(code);
}

/**
 * The SDK's client-configuration failures (no region, no credentials, a bad endpoint) as sentences saying what
 * to set; they are plain Errors without $metadata, told apart by name and message.
 */
export function sdkConfigurationProblem(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (/Region is missing/i.test(error.message)) {
    return 'no AWS region: pass --region (e.g. --region eu-west-1), or set AWS_REGION or AWS_DEFAULT_REGION, or a region in your AWS profile';
  }
  if (/^Invalid region/i.test(error.message) || /region.*not valid/i.test(error.message))
    return `the AWS region is not valid (${error.message}); use a code such as eu-west-1`;
  if (error.name === 'CredentialsProviderError' || /Could not load credentials/i.test(error.message)) return NO_CREDENTIALS_MESSAGE;
  if (error.name === 'TokenProviderError' || /SSO session|token.*expired/i.test(error.message))
    return `the AWS SSO session is missing or expired (${error.message}); run \`aws sso login\``;
  if (error instanceof TypeError && /Invalid URL/i.test(error.message))
    return `--endpoint-url (or AWS_ENDPOINT_URL) is not a URL: ${error.message}`;
  return undefined;
}

function isAwsServiceError(error: unknown): error is Error {
  return error instanceof Error && '$metadata' in error;
}
