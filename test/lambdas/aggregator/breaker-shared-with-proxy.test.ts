// An aggregate part and the resilient proxy calling the same upstream target share one breaker through the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../lambdas/aggregator/handler';
import { createProxy } from '../../../lambdas/proxy/proxy';
import { breakerKey } from '../../../lambdas/contract/breaker-key';
import { MemoryBreakerStore } from '../shared/breaker/support/breaker-memory-store';
import { startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { proxyConfig, quietDeps, restEvent } from '../proxy/support/events';
import { aggregatorConfig, invoke, part } from './support/fixtures';

const breaker = {
  failureRate: 50,
  minimumRequests: 2,
  windowSeconds: 10,
  openSeconds: 30,
  halfOpenProbes: 1,
  failureStatuses: [503],
  store: 'dynamodb',
} as const;

describe('GIVEN the proxy and an aggregate part on the same target of service "orders"', () => {
  let upstream: UpstreamServer;
  beforeAll(async () => {
    upstream = await startUpstream();
  });
  afterAll(async () => {
    await upstream.close();
  });

  it('WHEN the proxy opens the circuit THEN the aggregate part is refused without calling the upstream, and its fallback answers', async () => {
    const store = new MemoryBreakerStore();
    upstream.script('/orders', { kind: 'respond', status: 503 });
    const proxy = createProxy(
      proxyConfig(upstream.origin, { circuitBreaker: breaker, routes: { 'ANY /orders': { prefix: '/orders', stripPath: false } } }),
      {
        ...quietDeps(),
        breakerStore: store,
        breakerHooks: {},
      },
    );
    await proxy(restEvent({ resource: '/orders', pathParameters: null }));
    await proxy(restEvent({ resource: '/orders', pathParameters: null }));
    expect(store.items.get(breakerKey('orders', 'default'))?.state).toBe('open');
    const hits = upstream.hits('/orders');

    const aggregate = createHandler(
      aggregatorConfig({
        orders: part(upstream.origin, '/orders', {
          service: 'orders',
          target: 'default',
          circuitBreaker: breaker,
          optional: true,
          fallback: [],
        }),
      }),
      { breakerStore: store, breakerHooks: {} },
    );
    const { body } = await invoke(aggregate);
    expect(body).toMatchObject({ orders: [], partial: ['orders'] });
    expect(upstream.hits('/orders')).toBe(hits);
  });
});
