// Every alarm on a Gatehouse metric watches something a handler really emits: each alarm of a full-featured plan is matched to a
// scenario that drives the real handler, built from the plan's own baked config, and its EMF output must carry the metric with exactly
// the dimensions (names and values) the alarm filters on. An alarm on a metric nobody emits fails here.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHandler as createAggregatorHandler } from '../../lambdas/aggregator/handler';
import { createHandler as createAuthorizerHandler } from '../../lambdas/authorizer/handler';
import type { ProxyConfig } from '../../lambdas/contract/proxy-config';
import { createProxy } from '../../lambdas/proxy/proxy';
import { breakerObservability } from '../../lambdas/shared/breaker/observability';
import { METRICS_NAMESPACE } from '../../lambdas/contract/metric-names';
import type { AlarmPlan } from '../../lib/plan/observability';
import { planSpec } from '../../lib/plan/plan';
import { validateConfig } from '../../lib/config/load';
import { observedSpec } from '../support/observed-spec';
import { proxyEvent } from './aggregator/support/fixtures';
import { captureOutput, requestEvent, type CapturedOutput } from './authorizer/support/fixtures';
import { signingKey, signToken } from './authorizer/support/keys';
import { restEvent } from './proxy/support/events';
import { MemoryCounterStore } from './shared/rate-limit/support/memory-counter-store';
import { freePort, startUpstream, type UpstreamServer } from './shared/support/upstream-server';

type GatehouseAlarm = AlarmPlan & { readonly metric: Extract<AlarmPlan['metric'], { kind: 'gatehouse' }> };
type Records = Record<string, unknown>[];

const gateway = planSpec(validateConfig(observedSpec('rest')), { stackName: 'Shop' }).gateways[0]!;
const proxyPlan = gateway.proxies[0]!;
const aggregatorPlan = gateway.aggregators[0]!;
const alarms = gateway.observability.alarmPlans.filter((a): a is GatehouseAlarm => a.metric.kind === 'gatehouse');

let upstream: UpstreamServer;
let closed: string;
let output: CapturedOutput | undefined;

beforeAll(async () => {
  upstream = await startUpstream();
  closed = `http://127.0.0.1:${await freePort()}`;
});
afterAll(async () => upstream.close());
afterEach(() => {
  output?.restore();
  output = undefined;
});

/**
 * The handler's logger and metrics under the service name the construct gives its function (tested in the construct tests).
 * In a function the breaker hooks share the module's metrics; here they are handed the same instance. Rate-limit counters
 * are kept in memory instead of the DynamoDB table.
 */
const observed = (service: string) => {
  const logger = new Logger({ serviceName: service, logLevel: 'CRITICAL' });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
  return { logger, metrics, breakerHooks: breakerObservability({ logger, metrics }), rateLimitStore: new MemoryCounterStore() };
};

/** The plan's own proxy config, its targets moved to a loopback origin. */
const proxyConfigAt = (origin: string, overrides: Partial<ProxyConfig> = {}): ProxyConfig => ({
  ...proxyPlan.config,
  targets: proxyPlan.config.targets.map((t) => ({ ...t, url: `${origin}/${t.name}` })),
  ...overrides,
});

const ordersEvent = (requestId?: string) =>
  restEvent({
    resource: '/api/orders',
    pathParameters: null,
    method: 'GET',
    authorizer: { sub: 'buyer-1', roles: 'buyer', scopes: '', clientId: '' },
    requestId,
  });

const noSleep = async () => undefined;
/** Picks the first target, or the last: weighted selection is driven by this draw. */
const pick = (breaker: string | undefined) => () => (breaker?.endsWith('#v2') ? 0.99 : 0);

/** Sends requests one after another until `done` says the output holds what is sought; bounded in count. */
async function until(send: () => Promise<unknown>, done: () => boolean, max = 60): Promise<void> {
  for (let i = 0; i < max && !done(); i += 1) await send();
}

/** For each metric an alarm watches, the real code path that emits it. */
const SCENARIOS: Record<string, (alarm: GatehouseAlarm) => Promise<void>> = {
  ProxyInternalError: async (alarm) => {
    const proxy = createProxy(proxyConfigAt(upstream.origin), observed(alarm.metric.dimensions.service!));
    // A resource the planner gave the proxy no route for: a planner mistake, answered proxy-side as route_not_configured.
    await proxy(restEvent({ resource: '/not/planned', pathParameters: null }));
  },
  CircuitBreakerOpened: async (alarm) => {
    if (alarm.metric.emittedBy === 'aggregator') return aggregatorPartFailing(alarm);
    const proxy = createProxy(proxyConfigAt(closed, { retry: undefined, fallback: undefined, lastGood: undefined }), {
      ...observed(alarm.metric.dimensions.service!),
      random: pick(alarm.metric.dimensions.breaker),
      sleep: noSleep,
    });
    await until(
      () => proxy(ordersEvent()),
      () => seen(alarm),
    );
  },
  ProxyCircuitOpenRejected: async (alarm) => {
    // Requests alternate between the targets until both circuits are open and the proxy refuses.
    let draw = 0;
    const random = () => (draw++ % 2 === 0 ? 0 : 0.99);
    const proxy = createProxy(proxyConfigAt(closed, { retry: undefined, fallback: undefined, lastGood: undefined }), {
      ...observed(alarm.metric.dimensions.service!),
      random,
      sleep: noSleep,
    });
    await until(
      () => proxy(ordersEvent()),
      () => seen(alarm),
      120,
    );
  },
  ProxyDegraded: async (alarm) => {
    const reason = alarm.metric.dimensions.reason;
    const path = `/v1/api/orders`;
    const proxy = createProxy(proxyConfigAt(upstream.origin, { retry: undefined, circuitBreaker: undefined }), {
      ...observed(alarm.metric.dimensions.service!),
      random: pick(undefined),
    });
    // A kept copy first for last-good; without one the fallback answers.
    upstream.script(path, ...(reason === 'last-good' ? [{ kind: 'respond' as const, status: 200, body: '{"ok":true}' }] : []), {
      kind: 'respond',
      status: 503,
    });
    if (reason === 'last-good') await proxy(ordersEvent());
    await proxy(ordersEvent());
  },
  ProxyRetries: async (alarm) => {
    upstream.script('/v1/api/orders', { kind: 'respond', status: 503 }, { kind: 'respond', status: 200 });
    const proxy = createProxy(proxyConfigAt(upstream.origin, { circuitBreaker: undefined }), {
      ...observed(alarm.metric.dimensions.service!),
      random: pick(undefined),
      sleep: noSleep,
    });
    await proxy(ordersEvent());
  },
  ProxyRetryBudgetExhausted: async (alarm) => {
    upstream.script('/v1/api/orders', { kind: 'respond', status: 503 });
    const proxy = createProxy(proxyConfigAt(upstream.origin, { circuitBreaker: undefined, fallback: undefined, lastGood: undefined }), {
      ...observed(alarm.metric.dimensions.service!),
      random: pick(undefined),
      sleep: noSleep,
    });
    await until(
      () => proxy(ordersEvent()),
      () => seen(alarm),
    );
  },
  RateLimitDenied: async (alarm) => {
    const proxy = createProxy(proxyConfigAt(upstream.origin, { circuitBreaker: undefined, retry: undefined }), {
      ...observed(alarm.metric.dimensions.service!),
      rateLimitStore: new MemoryCounterStore(),
      random: pick(undefined),
    });
    // The route's limit is 100 a minute: the 101st request is refused.
    await until(
      () => proxy(ordersEvent()),
      () => seen(alarm),
      120,
    );
  },
  RateLimitStoreUnavailable: async (alarm) => {
    const store = new MemoryCounterStore();
    store.failWith = new Error('the counter table cannot be reached');
    const proxy = createProxy(proxyConfigAt(upstream.origin, { circuitBreaker: undefined, retry: undefined }), {
      ...observed(alarm.metric.dimensions.service!),
      rateLimitStore: store,
      random: pick(undefined),
    });
    await proxy(ordersEvent());
  },
  AggregatorErrors: async (alarm) => {
    const handler = createAggregatorHandler(aggregatorConfigAt(upstream.origin), {
      ...observed(alarm.metric.dimensions.service!),
      call: async () => {
        throw new RangeError('a bug below the handler');
      },
    });
    await handler(proxyEvent());
  },
  AggregateDegraded: (alarm) => aggregatorPartFailing(alarm),
  AggregatePartRetries: async (alarm) => {
    // The part's first attempt gets a 503, its one retry a JSON answer.
    const path = partPath(alarm);
    upstream.script(
      path,
      { kind: 'respond', status: 503 },
      { kind: 'respond', status: 200, headers: { 'content-type': 'application/json' }, body: '["r1"]' },
    );
    const before = upstream.hits(path);
    try {
      const handler = createAggregatorHandler(aggregatorConfigAt(upstream.origin), observed(alarm.metric.dimensions.service!));
      const answer = await handler(proxyEvent());
      // Answered by the retry, not degraded to the fallback.
      expect(answer.statusCode).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ profile: expect.anything(), recs: ['r1'] });
      expect(upstream.hits(path) - before).toBe(2);
    } finally {
      upstream.script(path);
    }
  },
  AggregatePartRetryBudgetExhausted: async (alarm) => {
    // Every attempt gets a 503: the new budget pays for one retry, the next request's retry is refused.
    const path = partPath(alarm);
    upstream.script(path, { kind: 'respond', status: 503 });
    try {
      const handler = createAggregatorHandler(aggregatorConfigAt(upstream.origin), observed(alarm.metric.dimensions.service!));
      await until(
        () => handler(proxyEvent()),
        () => seen(alarm),
        30,
      );
    } finally {
      upstream.script(path);
    }
  },
  AuthorizerDenied: async (alarm) => {
    const config = gateway.authorizer!.config;
    const issuer = config.issuers[0]!;
    const key = await signingKey('k1');
    const token = await signToken(key, { iss: issuer.issuer, aud: issuer.audiences[0] });
    const handler = createAuthorizerHandler(config, {
      ...observed(alarm.metric.dimensions.service!),
      // The issuer's discovery and keys cannot be fetched: the network is down.
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as typeof fetch,
    });
    await Promise.resolve(handler(requestEvent(`Bearer ${token}`) as never)).catch(() => undefined);
  },
};

/** The plan's aggregator config with every part at `origin`. */
function aggregatorConfigAt(origin: string) {
  const config = aggregatorPlan.config;
  return { ...config, parts: Object.fromEntries(Object.entries(config.parts).map(([name, part]) => [name, { ...part, url: origin }])) };
}

/** The path the plan's part that an alarm names calls (its template has no placeholders in the observed spec). */
function partPath(alarm: GatehouseAlarm): string {
  return aggregatorPlan.config.parts[alarm.metric.dimensions.part!]!.pathTemplate;
}

/** The optional part's upstream refuses connections: its breaker opens and the answer degrades to its fallback. */
async function aggregatorPartFailing(alarm: GatehouseAlarm): Promise<void> {
  const config = aggregatorConfigAt(upstream.origin);
  const parts = Object.fromEntries(
    Object.entries(config.parts).map(([name, part]) => [name, part.optional ? { ...part, url: closed } : part]),
  );
  const handler = createAggregatorHandler({ ...config, parts }, observed(alarm.metric.dimensions.service!));
  await until(
    () => handler(proxyEvent()),
    () => seen(alarm),
  );
}

/** EMF records of the metric with exactly the alarm's dimension names, and its values. */
function matching(records: Records, alarm: GatehouseAlarm): Records {
  const wanted = Object.keys(alarm.metric.dimensions).sort();
  return records.filter((record) => {
    const directive = (
      record._aws as { CloudWatchMetrics?: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } | undefined
    )?.CloudWatchMetrics?.[0];
    if (!directive || directive.Namespace !== METRICS_NAMESPACE || !directive.Metrics.some((m) => m.Name === alarm.metric.metric))
      return false;
    const sets = directive.Dimensions.map((set) => [...set].sort().join(','));
    return sets.includes(wanted.join(',')) && Object.entries(alarm.metric.dimensions).every(([name, value]) => record[name] === value);
  });
}

const seen = (alarm: GatehouseAlarm): boolean => output !== undefined && matching(output.records(), alarm).length > 0;

describe('every alarm on a Gatehouse metric watches what a handler emits', () => {
  it('covers every kind of Gatehouse metric the plan alarms on with a scenario', () => {
    expect(alarms.length).toBeGreaterThanOrEqual(16);
    expect([...new Set(alarms.map((a) => a.metric.metric))].filter((metric) => !(metric in SCENARIOS))).toEqual([]);
  });

  it.each(alarms.map((a) => [a.name, a] as const))(
    "%s: the emitter publishes the metric in EMF with the alarm's dimensions",
    async (_name, alarm) => {
      output = captureOutput();
      await SCENARIOS[alarm.metric.metric]!(alarm);
      const records = matching(output.records(), alarm);
      output.restore();
      expect(records.length, `${alarm.metric.metric} ${JSON.stringify(alarm.metric.dimensions)}`).toBeGreaterThan(0);
    },
  );
});
