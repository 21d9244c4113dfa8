// runVerify: the suite generated from the plan, run in order against one URL, bounded in requests and time.
import { checkConfig } from '../cli/check-config';
import type { GatewayPlan, Plan } from '../plan/types';
import { RequestBudgetExhausted, VerifyClient } from './client';
import type { CheckContext } from './context';
import { generateChecks } from './generate';
import { httpTransport, splitUrl } from './http-transport';
import {
  DEFAULT_MAX_RATE_LIMIT_REQUESTS,
  DEFAULT_MAX_REQUESTS,
  DEFAULT_TIMEOUT_MS,
  type CheckResult,
  type VerifyOptions,
  type VerifyReport,
} from './types';

/** Misuse of runVerify (no plan, unknown gateway, bad URL): the CLI prints it as a usage error. */
export class VerifyUsageError extends Error {
  readonly code = 'verify_usage';
}

export async function runVerify(options: VerifyOptions): Promise<VerifyReport> {
  const gateway = gatewayOf(planOf(options), options.gateway);
  const url = checkedUrl(options.url, 'url');
  const executeApiUrl = options.executeApiUrl === undefined ? undefined : checkedUrl(options.executeApiUrl, 'executeApiUrl');
  const maxRequests = positive(options.maxRequests ?? DEFAULT_MAX_REQUESTS, 'maxRequests');
  const ctx: CheckContext = {
    gateway,
    credentials: {
      token: options.token,
      apiKey: options.apiKey,
      tokenWithoutScope: options.tokenWithoutScope,
      expiredToken: options.expiredToken,
    },
    executeApiUrl,
    includeRateLimits: options.includeRateLimits ?? false,
    maxRateLimitRequests: positive(options.maxRateLimitRequests ?? DEFAULT_MAX_RATE_LIMIT_REQUESTS, 'maxRateLimitRequests'),
    noRoute: {},
  };
  const client = new VerifyClient({
    url,
    ...(executeApiUrl ? { executeApiUrl } : {}),
    transport: options.transport ?? httpTransport,
    timeoutMs: positive(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs'),
    maxRequests,
  });

  const results: CheckResult[] = [];
  let unreachable: string | undefined;
  const skipped = (id: string) => (options.skip ?? []).some((prefix) => id === prefix || id.startsWith(prefix));
  for (const check of generateChecks(ctx)) {
    const about = { id: check.id, family: check.family, description: check.description };
    if (skipped(check.id)) {
      results.push({ ...about, status: 'skip', reason: options.skipReason ?? 'skipped on request (--skip)', evidence: [] });
      continue;
    }
    if (check.skip !== undefined || unreachable) {
      results.push({ ...about, status: 'skip', reason: check.skip ?? unreachable!, evidence: [] });
      continue;
    }
    try {
      const outcome = await check.run(client);
      results.push({ ...about, ...outcome });
      // A URL that does not answer its first request fails once, not once per check.
      if (client.sent === 1 && outcome.evidence[0]?.error)
        unreachable = `not run: ${url} did not answer the first request (${outcome.evidence[0].error})`;
    } catch (err) {
      if (!(err instanceof RequestBudgetExhausted)) throw err;
      results.push({ ...about, status: 'skip', reason: err.message, evidence: [] });
    }
  }
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  const summary = { pass: count('pass'), fail: count('fail'), skip: count('skip'), requests: client.sent };
  return { gateway: gateway.name, flavor: gateway.flavor, url, checks: results, summary, ok: summary.fail === 0 };
}

function planOf(options: VerifyOptions): Plan {
  if (options.plan) return options.plan;
  if (options.file) return checkConfig(options.file).plan;
  throw new VerifyUsageError('runVerify needs a plan or a config file');
}

function gatewayOf(plan: Plan, name: string | undefined): GatewayPlan {
  const names = plan.gateways.map((g) => g.name);
  if (name === undefined) {
    if (plan.gateways.length === 1) return plan.gateways[0]!;
    throw new VerifyUsageError(
      `the config has ${names.length} gateways (${names.join(', ')}): say which one the URL serves with --gateway`,
    );
  }
  const found = plan.gateways.find((g) => g.name === name);
  if (!found) throw new VerifyUsageError(`no gateway "${name}" in the config (it has ${names.join(', ')})`);
  return found;
}

function checkedUrl(url: string, field: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
    splitUrl(url);
  } catch {
    throw new VerifyUsageError(`${field} is an http(s) URL such as https://abc123.execute-api.eu-west-1.amazonaws.com/prod, not "${url}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new VerifyUsageError(`${field} is an http(s) URL, not "${url}"`);
  if (parsed.search || parsed.hash) throw new VerifyUsageError(`${field} is the stage's base URL, without a query or fragment: "${url}"`);
  return url.replace(/\/+$/, '');
}

function positive(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) throw new VerifyUsageError(`${field} is a whole number above 0, not ${value}`);
  return value;
}
