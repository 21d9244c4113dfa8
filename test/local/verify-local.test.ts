// `gatehouse verify` against `gatehouse local`: the suite generated from the plan passes on what ships (REST and HTTP flavors).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocal, type RunningLocal } from '../../lib/local/start';
import { runVerify } from '../../lib/verify/run';

describe.each(['gatehouse.yaml', 'examples/http.yaml'])('verify against local on %s', (file) => {
  let local: RunningLocal;
  beforeAll(async () => {
    // --echo: every service answers with what reached it, which the identity-header checks need.
    local = await startLocal({ file, port: 0, echo: true, state: 'off', log: () => undefined, quietHandlers: true });
  }, 240_000);
  afterAll(async () => local?.close());

  it('GIVEN the local API key (where there is one) THEN no check fails', async () => {
    for (const g of local.gateways) {
      const report = await runVerify({ file, gateway: g.name, url: g.url, apiKey: g.keys[0]?.value, timeoutMs: 30_000 });
      const failed = report.checks.filter((c) => c.status === 'fail');
      expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
      expect(report.summary.pass).toBeGreaterThan(5);
    }
  }, 240_000);
});
