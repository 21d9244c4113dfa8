// Exact rate limits: past a route's smallest window the proxy answers 429 with Retry-After and RateLimit-* headers.
import type { RateLimitConfig } from '../../../lambdas/contract/rate-limit-config';
import type { RoutePlan } from '../../plan/types';
import { evidenceOf } from '../client';
import type { CheckContext } from '../context';
import { fail, pass } from '../outcome';
import { credentialHeaders, missingCredential, routeRequest, sampleMethod, samplePath } from '../route-requests';
import type { VerifyCheck } from '../types';

/** The rate limit of a route's sample method, from its proxy's baked route table. */
export function rateLimitOf(ctx: CheckContext, route: RoutePlan): RateLimitConfig | undefined {
  if (route.integration.kind !== 'lambda-proxy') return undefined;
  const service = route.integration.service;
  const proxy = ctx.gateway.proxies.find((p) => p.service === service);
  return proxy?.config.routes[`${sampleMethod(route)} ${route.path}`]?.rateLimit ?? proxy?.config.routes[`ANY ${route.path}`]?.rateLimit;
}

/** One check per limit scope: routes sharing a counter would only measure each other. */
export function rateLimitChecks(ctx: CheckContext): VerifyCheck[] {
  const seen = new Set<string>();
  const checks: VerifyCheck[] = [];
  for (const route of ctx.gateway.routes) {
    const limit = rateLimitOf(ctx, route);
    if (!limit || seen.has(limit.scope)) continue;
    seen.add(limit.scope);
    checks.push(rateLimitCheck(ctx, route, limit));
  }
  return checks;
}

function rateLimitCheck(ctx: CheckContext, route: RoutePlan, limit: RateLimitConfig): VerifyCheck {
  const window = [...limit.windows].sort((a, b) => a.limit - b.limit)[0]!;
  const budget = window.limit + 1;
  const on = `${sampleMethod(route)} ${samplePath(route)}`;
  const skipReason = !ctx.includeRateLimits
    ? `off by default (it spends up to ${budget} requests of the caller's quota): give --include-rate-limits`
    : budget > ctx.maxRateLimitRequests
      ? `the limit (${window.limit} per ${window.seconds} s) needs ${budget} requests, above --max-rate-limit-requests ${ctx.maxRateLimitRequests}`
      : missingCredential(ctx.gateway, route, ctx.credentials);
  return {
    id: `rate-limits.429@${route.id}`,
    family: 'rate-limits',
    description: `${on} past ${window.limit} per ${window.seconds} s gets 429 with Retry-After${limit.hideHeaders ? '' : ' and RateLimit-* headers'}`,
    ...(skipReason ? { skip: skipReason } : {}),
    async run(client) {
      const request = routeRequest(samplePath(route), sampleMethod(route), credentialHeaders(ctx.gateway, route, ctx.credentials));
      let last;
      for (let sent = 1; sent <= budget; sent++) {
        const probe = await client.send(request);
        last = probe;
        const res = probe.response;
        if (!res) return fail(`no answer after ${sent - 1} requests: ${probe.error}`, evidenceOf(probe));
        if (res.status !== 429) continue;
        const missing = ['retry-after', ...(limit.hideHeaders ? [] : ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'])].filter(
          (h) => res.headers[h] === undefined,
        );
        return missing.length
          ? fail(`429 after ${sent} requests without ${missing.join(', ')}`, evidenceOf(probe))
          : pass(`429 after ${sent} requests, with the headers`, evidenceOf(probe));
      }
      return fail(
        `no 429 within ${budget} requests (limit ${window.limit} per ${window.seconds} s; a window partly used already only makes it come sooner)`,
        ...(last ? [evidenceOf(last)] : []),
      );
    },
  };
}
