// `gatehouse verify` against `gatehouse local` on the shipped gatehouse.yaml: the suite generated from the plan passes on what ships.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type RunningLocal } from '../../lib/local/start';
import { runVerify } from '../../lib/verify/run';

describe('verify against local on the shipped gatehouse.yaml', () => {
  let local: RunningLocal;
  beforeAll(async () => {
    // --echo: every service answers with what reached it, which the identity-header checks need.
    local = await startLocal({ file: 'gatehouse.yaml', port: 0, echo: true, state: 'off', log: () => undefined, quietHandlers: true });
  }, 240_000);
  afterAll(async () => local?.close());

  it('GIVEN the local key THEN no check fails', async () => {
    const report = await runVerify({ file: 'gatehouse.yaml', url: local.url('public'), apiKey: local.gateways[0]!.keys[0]!.value, timeoutMs: 30_000 });
    const failed = report.checks.filter((c) => c.status === 'fail');
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(report.summary.pass).toBeGreaterThan(5);
  }, 240_000);
});
