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

// Every other shipped example. What local cannot show is skipped by id, each with its reason, and never silently:
const DIRECT_DOTS =
  'what a direct route forwards for %2e%2e is API Gateway’s undocumented URL handling; local resolves it with Node’s URL parser, so only a deployed stage can answer (README, "After the first deploy")';
const EXAMPLES: Readonly<Record<string, Readonly<Record<string, { skip: readonly string[]; why: string } | 'refused'>>>> = {
  'examples/bff.yaml': { partner: { skip: ['paths.dot-segments'], why: DIRECT_DOTS } },
  'examples/edge.yaml': { public: { skip: ['paths.dot-segments'], why: DIRECT_DOTS } },
  'examples/http-edge.yaml': {
    shop: {
      skip: ['methods.answers@0-api-catalog', 'auth.malformed-token@1-api-orders', 'auth.forged-token@1-api-orders'],
      why: 'the gateway sits behind CloudFront, which local does not emulate: without its origin-verify header (an identity source of every authorizer) the API refuses a call with 401 before any authorizer runs, as deployed',
    },
  },
  'examples/kong.yaml': {},
  'examples/multi-gateway.yaml': {
    public: { skip: ['paths.dot-segments'], why: DIRECT_DOTS },
    partner: { skip: ['paths.dot-segments'], why: DIRECT_DOTS },
    // Its resource policy admits only a VPC endpoint (aws:SourceVpce), which no local caller has.
    internal: 'refused',
  },
  'examples/resilient.yaml': { shop: { skip: ['paths.dot-segments'], why: DIRECT_DOTS } },
  'examples/sam.yaml': {
    api: {
      skip: ['methods.answers@0-api-users'],
      why: 'GetUsersFunction is referenced by ARN: its code is not in the assembly, so local cannot run it',
    },
  },
  'examples/private.yaml': {
    orders: { skip: ['paths.dot-segments'], why: DIRECT_DOTS },
    shop: {
      skip: ['methods.answers@0-catalog', 'methods.answers@1-inventory'],
      why: 'an ALB listener and a Cloud Map service behind a VPC link are not reachable from this machine',
    },
  },
  'examples/routing.yaml': {
    rest: { skip: ['paths.dot-segments'], why: DIRECT_DOTS },
    http: { skip: ['paths.dot-segments'], why: DIRECT_DOTS },
  },
};

describe.each(Object.keys(EXAMPLES))('verify against local on %s', (file) => {
  let local: RunningLocal;
  beforeAll(async () => {
    local = await startLocal({ file, port: 0, echo: true, state: 'off', log: () => undefined, quietHandlers: true });
  }, 240_000);
  afterAll(async () => local?.close());

  it('GIVEN the local API key (where there is one) THEN no check fails, and what local cannot show is reported as skipped with its reason', async () => {
    for (const g of local.gateways) {
      const rule = EXAMPLES[file]![g.name];
      if (rule === 'refused') {
        const res = await fetch(`${g.url}/`);
        expect(res.status).toBe(403);
        continue;
      }
      const report = await runVerify({
        file,
        gateway: g.name,
        url: g.url,
        apiKey: g.keys[0]?.value,
        timeoutMs: 30_000,
        skip: rule?.skip,
        skipReason: rule?.why,
      });
      const failed = report.checks.filter((c) => c.status === 'fail');
      expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
      expect(report.summary.pass).toBeGreaterThan(2);
      for (const prefix of rule?.skip ?? []) expect(report.checks.some((c) => c.id.startsWith(prefix) && c.status === 'skip')).toBe(true);
    }
  }, 240_000);
});
