// The proxy's per-route rate limits: checked before any upstream call; a refusal is a 429 (or a 503 when the counters cannot be reached and failOpen is off).
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { RateLimitConfig } from '../contract/rate-limit-config';
import type { CounterStore } from '../shared/rate-limit/counter-store';
import { rateLimitHeaders, tooManyRequestsBody } from '../shared/rate-limit/headers';
import { rateLimitObservability } from '../shared/rate-limit/observability';
import { createRateLimiter, type RateLimiter, type RateLimitHooks } from '../shared/rate-limit/rate-limiter';
import { preloadStateTables } from '../shared/state-table';
import type { ProxyConfig, ProxyRoute } from '../contract/proxy-config';
import type { HeaderMap, ProxyResponseMessage } from './transform';

export interface RouteRateLimitDeps {
  /** @default a DynamoDB counter store on the table named by env GATEHOUSE_RATE_LIMIT_TABLE */
  readonly store?: CounterStore;
  /** @default `rateLimitObservability()` on `logger` and `metrics` */
  readonly hooks?: RateLimitHooks;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  readonly now?: () => number;
  /** The longest a check waits on the counter table. @default SHARED_STATE_BUDGET_MS */
  readonly budgetMs?: number;
}

export interface RateLimitOutcome {
  /** The answer instead of the upstream's, when the request is refused. */
  readonly refusal?: ProxyResponseMessage;
  /** RateLimit-* headers to add to the upstream's answer (empty when the route hides them). */
  readonly headers: HeaderMap;
}

/** Code of the 503 answered when the counters cannot be reached and the route fails closed. */
export const RATE_LIMIT_UNAVAILABLE_CODE = 'rate_limit_unavailable';

export class RouteRateLimits {
  private readonly configs: ReadonlyMap<string, RateLimitConfig>;
  private limiters: ReadonlyMap<string, RateLimiter> | undefined;

  constructor(
    config: ProxyConfig,
    private readonly deps: RouteRateLimitDeps = {},
  ) {
    // Routes share a limiter when they share a scope (the paths and methods of one spec route).
    this.configs = new Map(Object.values(config.routes).flatMap((r) => (r.rateLimit ? [[r.rateLimit.scope, r.rateLimit] as const] : [])));
    // The AWS SDK loads during Lambda's init phase, not inside the first limited request's budget.
    if (this.enabled && deps.store === undefined) void preloadStateTables();
  }

  get enabled(): boolean {
    return this.configs.size > 0;
  }

  /** Undefined for a route without limits; otherwise counts the request and decides. */
  async check(route: ProxyRoute, event: APIGatewayProxyEvent): Promise<RateLimitOutcome | undefined> {
    if (route.rateLimit === undefined) return undefined;
    const limiter = this.load().get(route.rateLimit.scope);
    if (limiter === undefined) throw new TypeError(`no rate limiter for scope ${route.rateLimit.scope}`);
    const decision = await limiter.check(event);
    const headers = lowerCase(rateLimitHeaders(decision));
    if (decision.allowed) return { headers: route.rateLimit.hideHeaders ? {} : headers };
    if (decision.degraded) {
      return {
        refusal: json(
          503,
          { message: 'rate limits cannot be checked right now; try again shortly', code: RATE_LIMIT_UNAVAILABLE_CODE },
          { 'retry-after': ['1'] },
        ),
        headers: {},
      };
    }
    return { refusal: json(429, tooManyRequestsBody(decision), headers), headers: {} };
  }

  /** Built on the first limited request; the counter table's client (and the AWS SDK) on the first table call. */
  private load(): ReadonlyMap<string, RateLimiter> {
    if (this.limiters === undefined) {
      const hooks = this.deps.hooks ?? rateLimitObservability({ logger: this.deps.logger, metrics: this.deps.metrics, now: this.deps.now });
      const deps = { store: this.deps.store, hooks, now: this.deps.now, budgetMs: this.deps.budgetMs };
      this.limiters = new Map([...this.configs].map(([scope, config]) => [scope, createRateLimiter(config, deps)] as const));
    }
    return this.limiters;
  }
}

function lowerCase(headers: Readonly<Record<string, string>>): HeaderMap {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), [value]]));
}

function json(status: number, body: unknown, headers: HeaderMap): ProxyResponseMessage {
  return { status, headers: { ...headers, 'content-type': ['application/json'] }, body: Buffer.from(JSON.stringify(body)) };
}
