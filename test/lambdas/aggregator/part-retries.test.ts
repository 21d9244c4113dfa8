// A part's retries and its retry budget's refusals are counted per part, against a real upstream on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../lambdas/aggregator/handler';
import type { RetryPolicy } from '../../../lambdas/shared/retry-policy';
import type { UpstreamServer } from '../shared/support/upstream-server';
import { metricCount, type CapturedOutput } from '../authorizer/support/fixtures';
import { aggregatorConfig, invoke, jsonReply, part, useUpstreamAndOutput } from './support/fixtures';

let upstream: UpstreamServer;
let output: CapturedOutput;

useUpstreamAndOutput(
  (u) => (upstream = u),
  (o) => (output = o),
);

// Short backoff: the tests are about counting, not waiting.
const retry = (retries: number): RetryPolicy => ({ retries, baseDelayMs: 1, maxDelayMs: 2, retryOnStatuses: [503] });

describe('GIVEN a GET part with retries', () => {
  it('WHEN it answers 503 twice and then 200 THEN the answer is whole and AggregatePartRetries counts 2 for that part only', async () => {
    upstream.script('/r/recs', { kind: 'respond', status: 503 }, { kind: 'respond', status: 503 }, jsonReply(['r1']));
    upstream.script('/r/profile', jsonReply({ name: 'Ada' }));
    // The most generous budget (a token a request, one to start) pays for both retries.
    const handler = createHandler(
      aggregatorConfig(
        { profile: part(upstream.origin, '/r/profile', { retry: retry(2) }), recs: part(upstream.origin, '/r/recs', { retry: retry(2) }) },
        { retryBudgetRatio: 1 },
      ),
    );
    const { result, body } = await invoke(handler);
    expect(result.statusCode).toBe(200);
    expect(body).toEqual({ profile: { name: 'Ada' }, recs: ['r1'] });
    expect(upstream.hits('/r/recs')).toBe(3);
    expect(metricCount(output, 'AggregatePartRetries', { part: 'recs' })).toBe(2);
    expect(metricCount(output, 'AggregatePartRetries', { part: 'profile' })).toBe(0);
    expect(metricCount(output, 'AggregatePartRetryBudgetExhausted')).toBe(0);
  });

  it('WHEN it fails after its retries THEN the retries are counted with the failure', async () => {
    upstream.script('/f/recs', { kind: 'respond', status: 503 });
    const handler = createHandler(
      aggregatorConfig({ recs: part(upstream.origin, '/f/recs', { retry: retry(1), optional: true, fallback: [] }) }),
    );
    const { body } = await invoke(handler);
    expect(body.partial).toEqual(['recs']);
    expect(metricCount(output, 'AggregatePartFailed', { part: 'recs' })).toBe(1);
    expect(metricCount(output, 'AggregatePartRetries', { part: 'recs' })).toBe(1);
  });

  it('WHEN every attempt fails THEN the budget pays for the first retry and AggregatePartRetryBudgetExhausted counts the refused one', async () => {
    upstream.script('/b/recs', { kind: 'respond', status: 503 });
    // A new budget holds one token; a request deposits a tenth of one: the second request's retry is refused.
    // The clock stands still so the budget's per-second refill cannot pay for it on a slow machine.
    const handler = createHandler(
      aggregatorConfig(
        { recs: part(upstream.origin, '/b/recs', { retry: retry(1), optional: true, fallback: [] }) },
        { retryBudgetRatio: 0.1 },
      ),
      {
        now: () => 1_000_000,
      },
    );
    await invoke(handler);
    expect(metricCount(output, 'AggregatePartRetryBudgetExhausted')).toBe(0);
    await invoke(handler);
    expect(upstream.hits('/b/recs')).toBe(3);
    expect(metricCount(output, 'AggregatePartRetries', { part: 'recs' })).toBe(1);
    expect(metricCount(output, 'AggregatePartRetryBudgetExhausted', { part: 'recs' })).toBe(1);
  });

  it('WHEN the part has no retry policy and fails THEN nothing is retried and neither retry metric is published', async () => {
    upstream.script('/n/recs', { kind: 'respond', status: 503 });
    const handler = createHandler(aggregatorConfig({ recs: part(upstream.origin, '/n/recs', { optional: true, fallback: [] }) }));
    await invoke(handler);
    expect(upstream.hits('/n/recs')).toBe(1);
    expect(metricCount(output, 'AggregatePartRetries')).toBe(0);
    expect(metricCount(output, 'AggregatePartRetryBudgetExhausted')).toBe(0);
  });
});
