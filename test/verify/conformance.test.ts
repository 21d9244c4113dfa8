// Each verify check passes on a conforming gateway and fails on the gateway broken in exactly its way.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConfig } from '../../lib/cli/check-config';
import type { Plan } from '../../lib/plan/types';
import { runVerify, type VerifyReport } from '../../lib/verify';
import { startFakeGateway, type Fault } from './support/fake-gateway';
import { API_KEY, AUDIENCE, ISSUER, startTestIssuer, type TestIssuer } from './support/tokens';

const CONFIGS = join(__dirname, 'support', 'configs');
let issuer: TestIssuer;
let restPlan: Plan;
let httpPlan: Plan;

beforeAll(async () => {
  issuer = await startTestIssuer();
  restPlan = checkConfig(join(CONFIGS, 'rest.yaml')).plan;
  httpPlan = checkConfig(join(CONFIGS, 'http.yaml')).plan;
});
afterAll(() => issuer?.jwks.close());

async function verifyAgainst(
  plan: Plan,
  faults: Fault[],
  credentials: 'all' | 'none' = 'all',
  token = issuer.token,
  expiredToken = issuer.expiredToken,
): Promise<VerifyReport> {
  const gateway = plan.gateways[0]!;
  const fake = await startFakeGateway({
    gateway,
    jwksUri: issuer.jwks.jwksUri,
    issuer: ISSUER,
    audience: AUDIENCE,
    apiKey: API_KEY,
    faults,
  });
  try {
    return await runVerify({
      plan,
      url: fake.url,
      ...(credentials === 'all'
        ? {
            token,
            tokenWithoutScope: issuer.tokenWithoutScope,
            expiredToken,
            apiKey: API_KEY,
            executeApiUrl: fake.executeApiUrl,
            includeRateLimits: true,
          }
        : {}),
      timeoutMs: 5_000,
    });
  } finally {
    await fake.close();
  }
}

const statusOf = (report: VerifyReport, id: string) => {
  const check = report.checks.find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return check.status;
};

describe('a conforming REST gateway', () => {
  it('passes every check the plan generates, one skipped (nothing to refuse on an ANY route) when every credential is given', async () => {
    const report = await verifyAgainst(restPlan, []);
    const notPassed = report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.status} ${c.reason}`);
    expect(notPassed).toEqual(['methods.refuses-others@3-api-admin: skip an ANY route serves every method here']);
    expect(report.ok).toBe(true);
    expect(new Set(report.checks.map((c) => c.family))).toEqual(
      new Set(['routes', 'methods', 'cors', 'auth', 'identity', 'api-keys', 'validation', 'edge', 'rate-limits', 'paths']),
    );
    // Each check has a stable id, a description and evidence of what it saw.
    for (const check of report.checks) {
      expect(check.description).not.toBe('');
      if (check.status === 'pass') expect(check.evidence.length).toBeGreaterThan(0);
    }
  });

  it('skips, with the reason, what needs a credential or an echo it was not given; nothing fails', async () => {
    const report = await verifyAgainst(restPlan, ['no-echo-upstream'], 'none');
    const reason = (id: string) => report.checks.find((c) => c.id === id)?.reason;
    expect(report.summary.fail).toBe(0);
    expect(reason('auth.expired-token@0-api-users')).toMatch(/--expired-token/);
    expect(reason('auth.missing-scope@0-api-users')).toMatch(/--token-without-scope/);
    expect(reason('identity.absent-claims')).toMatch(/--token/);
    expect(reason('identity.sentinel')).toMatch(/needs echo upstream/);
    expect(reason('edge.execute-api-refused')).toMatch(/--execute-api-url/);
    expect(reason('rate-limits.429@1-api-orders')).toMatch(/--include-rate-limits/);
    // Without a token the JWT route's methods still prove they exist: the authorizer answers 401.
    expect(statusOf(report, 'methods.answers@0-api-users/GET')).toBe('pass');
    expect(reason('methods.answers@0-api-users/GET')).toMatch(/401 without credentials/);
  });
});

// GIVEN a gateway broken in one way, WHEN verify runs, THEN the checks of that behaviour fail.
const BROKEN: [Fault, string[]][] = [
  ['route-missing', ['methods.answers@0-api-users/GET', 'methods.answers@0-api-users/POST']],
  ['unknown-method-served', ['methods.refuses-others@1-api-orders', 'methods.refuses-others@2-api-public']],
  // The ANY route with an authorizer is the case browsers hit when OPTIONS falls into the route's authorizer.
  ['preflight-requires-auth', ['cors.preflight@0-api-users', 'cors.preflight@3-api-admin']],
  ['preflight-without-allow-headers', ['cors.preflight@0-api-users', 'cors.preflight@2-api-public']],
  ['errors-without-cors', ['cors.gateway-error.no-route', 'cors.gateway-error.401', 'cors.gateway-error.403-key']],
  ['no-www-authenticate', ['auth.missing-token@0-api-users', 'auth.forged-token@0-api-users']],
  ['malformed-token-500', ['auth.malformed-token@0-api-users']],
  ['forged-token-accepted', ['auth.forged-token@0-api-users']],
  ['expired-token-accepted', ['auth.expired-token@0-api-users']],
  ['scope-ignored', ['auth.missing-scope@0-api-users']],
  // REST stays 401: a REST authorizer's thrown Unauthorized is documented as 401.
  [
    'unauthorized-as-403',
    [
      'auth.missing-token@0-api-users',
      'auth.malformed-token@0-api-users',
      'auth.forged-token@0-api-users',
      'auth.expired-token@0-api-users',
    ],
  ],
  [
    'identity-passthrough',
    [
      'identity.client-copies-dropped@0-api-users',
      'identity.client-copies-dropped@1-api-orders',
      'identity.client-copies-dropped@2-api-public',
      'identity.sentinel',
    ],
  ],
  ['sentinel-dropped', ['identity.sentinel']],
  ['absent-claims-empty', ['identity.absent-claims']],
  ['missing-key-accepted', ['api-keys.missing@1-api-orders']],
  ['wrong-key-accepted', ['api-keys.wrong@1-api-orders']],
  ['validation-not-json', ['validation.body@0-api-users']],
  ['validation-off', ['validation.body@0-api-users']],
  ['dot-segments-forwarded', ['paths.dot-segments@0-api-users', 'paths.dot-segments@2-api-public']],
  ['execute-api-open', ['edge.execute-api-refused']],
  ['rate-limit-without-headers', ['rate-limits.429@1-api-orders']],
  ['no-rate-limit', ['rate-limits.429@1-api-orders']],
];

describe.each(BROKEN)('a REST gateway with fault %s', (fault, failing) => {
  it(`fails ${failing.join(', ')} and exits non-ok`, async () => {
    const report = await verifyAgainst(restPlan, [fault]);
    expect(Object.fromEntries(failing.map((id) => [id, statusOf(report, id)]))).toEqual(
      Object.fromEntries(failing.map((id) => [id, 'fail'])),
    );
    expect(report.ok).toBe(false);
    // The failure says what was seen.
    for (const id of failing) expect(report.checks.find((c) => c.id === id)!.evidence.length).toBeGreaterThan(0);
  });
});

describe('an HTTP API with the Gatehouse Lambda authorizer (simple responses)', () => {
  it('passes when a missing token is 401, a refused one 403 (isAuthorized: false) and a claim the token lacks arrives as "-"', async () => {
    const report = await verifyAgainst(httpPlan, [], 'all', issuer.adminToken, issuer.expiredAdminToken);
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.reason}`)).toEqual([]);
    for (const id of [
      'auth.missing-token@0-api-users',
      'auth.malformed-token@0-api-users',
      'auth.forged-token@0-api-users',
      'auth.expired-token@0-api-users',
      'identity.absent-claims',
    ]) {
      expect(statusOf(report, id), id).toBe('pass');
    }
    expect(report.checks.find((c) => c.id === 'auth.forged-token@0-api-users')?.description).toMatch(/gets 403/);
  });

  it("skips the expired-token check, saying why, when the expired token lacks the route's role: its 403 would prove nothing", async () => {
    const report = await verifyAgainst(httpPlan, ['expired-token-accepted'], 'all', issuer.adminToken, issuer.expiredToken);
    expect(statusOf(report, 'auth.expired-token@0-api-users')).toBe('skip');
    expect(report.checks.find((c) => c.id === 'auth.expired-token@0-api-users')?.reason).toMatch(/lacks the route's scope or role/);
  });
});

// GIVEN an HTTP API Lambda authorizer broken in one way, WHEN verify runs, THEN the checks of that behaviour fail.
const BROKEN_HTTP: [Fault, string[]][] = [
  // The old design: a thrown Unauthorized, which AWS documents as 401 for REST only.
  ['refused-token-thrown', ['auth.malformed-token@0-api-users', 'auth.forged-token@0-api-users', 'auth.expired-token@0-api-users']],
  ['missing-token-403', ['auth.missing-token@0-api-users']],
  ['forged-token-accepted', ['auth.forged-token@0-api-users']],
  ['expired-token-accepted', ['auth.expired-token@0-api-users']],
  ['absent-claims-empty', ['identity.absent-claims']],
];

describe.each(BROKEN_HTTP)('an HTTP API Lambda authorizer with fault %s', (fault, failing) => {
  it(`fails ${failing.join(', ')} and exits non-ok`, async () => {
    const report = await verifyAgainst(httpPlan, [fault], 'all', issuer.adminToken, issuer.expiredAdminToken);
    expect(Object.fromEntries(failing.map((id) => [id, statusOf(report, id)]))).toEqual(
      Object.fromEntries(failing.map((id) => [id, 'fail'])),
    );
    expect(report.ok).toBe(false);
  });
});
