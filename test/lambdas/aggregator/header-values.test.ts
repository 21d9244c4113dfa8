// Client header values outside Latin-1 on an aggregate: not forwarded to the parts (logged by name), never an aggregator_error.
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../lambdas/aggregator/handler';
import type { CapturedOutput } from '../authorizer/support/fixtures';
import type { UpstreamServer } from '../shared/support/upstream-server';
import { aggregatorConfig, invoke, part, useUpstreamAndOutput } from './support/fixtures';

let upstream: UpstreamServer;
let output: CapturedOutput;
useUpstreamAndOutput(
  (u) => (upstream = u),
  (o) => (output = o),
);

describe('GIVEN a part that forwards X-Name and the correlation header', () => {
  it('WHEN X-Name is 日本 and the correlation id is not Latin-1 THEN the part is called without them and the aggregate answers 200', async () => {
    const handler = createHandler(
      aggregatorConfig({ echo: part(upstream.origin, '/echo-names', { forwardHeaders: ['X-Name', 'X-Other'] }) }),
    );
    const { result, body } = await invoke(handler, { headers: { 'x-name': '日本', 'x-other': 'kept', 'x-correlation-id': '相関' } });
    expect(result.statusCode).toBe(200);
    const echoed = (body.echo as { headers: Record<string, string[]> }).headers;
    expect(echoed['x-name']).toBeUndefined();
    expect(echoed['x-other']).toEqual(['kept']);
    expect(echoed['x-correlation-id']).not.toEqual(['相関']);
    expect(output.records().filter((r) => r.level === 'ERROR')).toEqual([]);
    expect(output.records().find((r) => r.level === 'WARN' && /not forwarded/.test(String(r.message)))).toMatchObject({
      headers: ['x-name'],
    });
  });
});
