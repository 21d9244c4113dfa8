// Two proxy instances share one target's breaker through DynamoDB served by moto_server, reached through the real AWS SDK.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxy } from '../../../lambdas/proxy/proxy';
import { DynamoDBPersistenceLayer } from '../../../lambdas/shared/breaker/persistence/dynamodb-persistence-layer';
import {
  createBreakerTable,
  findMotoServer,
  instanceClient,
  MOTO_MISSING,
  startMotoServer,
  type MotoServer,
} from '../shared/breaker/support/breaker-moto-server';
import { startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { jsonOf, manualClock, proxyConfig, quietDeps, restEvent, TEST_BREAKER } from './support/events';

const motoServer = findMotoServer();
if (motoServer === undefined && !process.env.CI) console.warn(`SKIPPED proxy shared-breaker tests: ${MOTO_MISSING}`);

describe.skipIf(motoServer === undefined && !process.env.CI)('GIVEN two proxy instances sharing breakers in DynamoDB (moto_server)', () => {
  let moto: MotoServer;
  let upstream: UpstreamServer;
  let tableName: string;
  const clients: DynamoDBClient[] = [];

  beforeAll(async () => {
    if (motoServer === undefined) throw new Error(MOTO_MISSING);
    [moto, upstream] = await Promise.all([startMotoServer(motoServer), startUpstream()]);
    const admin = instanceClient(moto.endpoint);
    clients.push(admin);
    tableName = await createBreakerTable(admin);
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await Promise.all([moto?.stop(), upstream?.close()]);
  });

  /** One simulated Lambda instance: its own SDK client, store, breakers and cache, on a shared clock. */
  function instance(clock: { now: () => number }) {
    const client = instanceClient(moto.endpoint);
    clients.push(client);
    const config = proxyConfig(upstream.origin, { circuitBreaker: { ...TEST_BREAKER, openSeconds: 30, store: 'dynamodb' } });
    // moto is slow on a loaded machine: a generous shared-state budget, so the test is about sharing, not timing.
    return createProxy(config, {
      ...quietDeps(),
      now: clock.now,
      breakerStore: new DynamoDBPersistenceLayer({ tableName, client }),
      stateBudgetMs: 20_000,
    });
  }

  it('WHEN instance A opens the circuit THEN instance B refuses too, without any upstream hit, warm or cold', async () => {
    const clock = manualClock();
    const get = () => restEvent({ pathParameters: { proxy: 'shared' } });
    const warmB = instance(clock);
    expect((await warmB(get())).statusCode).toBe(200);

    upstream.script('/shared', { kind: 'respond', status: 503 });
    const a = instance(clock);
    for (let i = 0; i < TEST_BREAKER.minimumRequests; i += 1) await a(get());
    expect(jsonOf(await a(get())).code).toBe('circuit_open');
    const hitsWhenOpened = upstream.hits('/shared');

    // A cold instance reads the shared state at init: its very first request is refused.
    const coldC = instance(clock);
    const cold = await coldC(get());
    expect(jsonOf(cold).code).toBe('circuit_open');

    // A warm instance trusts its copy for 1 s, then the request after its background read is refused.
    clock.advance(1500);
    await warmB(get());
    const warm = await warmB(get());
    expect(jsonOf(warm).code).toBe('circuit_open');
    expect(upstream.hits('/shared')).toBeLessThanOrEqual(hitsWhenOpened + 1);
  });
});
