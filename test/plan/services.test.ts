// Stage 1 of the planner: each service resolved once into the ServicePlan every later stage reads.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../lib/config/load';
import { SHARED_STATE_BUDGET_MS } from '../../lib/plan/proxy-timing';
import { planServices } from '../../lib/plan/services';

const FN = 'arn:aws:lambda:eu-west-1:123456789012:function:get-users';

/** A config whose one gateway routes to every service given, so each is valid. */
function servicesOf(services: Record<string, Record<string, unknown>>) {
  const spec = validateConfig({
    services,
    gateways: { public: { flavor: 'http', routes: Object.keys(services).map((name) => ({ service: name, paths: [`/${name}`] })) } },
  });
  return planServices(spec);
}

describe('planServices', () => {
  it('GIVEN a service with only a url WHEN resolved THEN it is one direct target on both flavors, with no reason for the proxy', () => {
    const users = servicesOf({ users: { url: 'https://users.internal' } }).get('users')!;
    expect(users.backend).toBe('url');
    expect(users.targets.rest).toEqual([{ name: 'default', url: 'https://users.internal', weight: 1 }]);
    expect(users.targets.http).toEqual(users.targets.rest);
    expect(users.proxyReasons).toEqual([]);
    expect(users.versionRules).toEqual([]);
    expect(users.retry).toBeUndefined();
    expect(users.partIgnores).toEqual([]);
    expect(users.clientCertificate).toBe(false);
    expect(users.private).toBeUndefined();
  });

  it('GIVEN a Lambda service WHEN resolved THEN a REST gateway invokes it with payload 1.0 and an HTTP gateway with 2.0', () => {
    const fn = servicesOf({ fn: { lambda: FN } }).get('fn')!;
    expect(fn.backend).toBe('lambda');
    expect(fn.targets.rest[0]!.lambda).toEqual({ functionName: FN, payload: '1.0' });
    expect(fn.targets.http[0]!.lambda).toEqual({ functionName: FN, payload: '2.0' });
  });

  it("GIVEN weighted, version-pinned targets WHEN resolved THEN the reasons, the unnamed targets' names and the query-then-header rules are decided here", () => {
    const orders = servicesOf({
      orders: {
        targets: [
          { url: 'https://v1.internal', weight: 90 },
          { url: 'https://v2.internal', weight: 10, match: { 'X-Api-Version': '2', query: { v: '2' } } },
        ],
      },
    }).get('orders')!;
    expect(orders.targets.http.map((t) => t.name)).toEqual(['t0', 't1']);
    expect(orders.proxyReasons).toEqual(['2 weighted targets', 'header-based version routing', 'query-based version routing']);
    expect(orders.versionRules).toEqual([
      { query: 'v', value: '2', target: 't1' },
      { header: 'x-api-version', value: '2', target: 't1' },
    ]);
    expect(orders.partIgnores).toEqual(['targets (it calls the first, https://v1.internal)']);
  });

  it('GIVEN a transform that only sets constant request headers WHEN resolved THEN the service stays direct with those headers as static mappings', () => {
    const users = servicesOf({
      users: { url: 'https://users.internal', transform: { request: { set: { headers: { 'X-Source': 'gatehouse' } } } } },
    }).get('users')!;
    expect(users.staticRequestHeaders).toEqual({ 'X-Source': 'gatehouse' });
    expect(users.proxyReasons).toEqual([]);
    expect(users.partIgnores).toEqual(['transform']);
  });

  it('GIVEN a shared breaker and retries WHEN resolved THEN the timing with the rate-limit table waits no longer, and the reasons name both', () => {
    const orders = servicesOf({
      orders: { url: 'https://orders.internal', timeoutMs: 2000, retries: { attempts: 1 }, circuitBreaker: {} },
    }).get('orders')!;
    expect(orders.proxyReasons).toEqual(['circuit breaker (shared state)', 'retries (1)']);
    expect(orders.retry).toMatchObject({ retries: 1 });
    expect(orders.circuitBreaker?.store).toBe('dynamodb');
    // A shared breaker already waits on the table before and after the upstream; the rate limit adds no wait of its own.
    expect(orders.proxyTiming.unlimited.stateWaitMs).toBe(2 * SHARED_STATE_BUDGET_MS);
    expect(orders.proxyTiming.rateLimited).toEqual({ ...orders.proxyTiming.unlimited, stateUses: { breaker: true, rateLimit: true } });
  });

  it('GIVEN a plain service WHEN its routes are rate-limited THEN its proxy waits one shared-state budget more', () => {
    const users = servicesOf({ users: { url: 'https://users.internal', timeoutMs: 2000 } }).get('users')!;
    expect(users.proxyTiming.unlimited).toMatchObject({ stateWaitMs: 0, deadlineMs: 2000 });
    expect(users.proxyTiming.rateLimited.stateWaitMs).toBe(SHARED_STATE_BUDGET_MS);
    expect(users.proxyTiming.rateLimited.integrationTimeoutMs - users.proxyTiming.unlimited.integrationTimeoutMs).toBe(
      SHARED_STATE_BUDGET_MS,
    );
  });
});
