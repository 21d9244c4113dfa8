import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateGatewayCost, PRICES_2026 } from '../../lib/plan/cost';
import { explainPlan } from '../../lib/plan/explain';
import { planSpec } from '../../lib/plan/plan';
import { loadConfig, validateConfig } from '../../lib/config/load';

const root = join(__dirname, '../..');
const plan = (file: string) => planSpec(loadConfig(join(root, file)));

describe('cost per million requests', () => {
  it('GIVEN a plain gateway THEN REST costs $3.50 and the same as an HTTP API $1.00 per million', () => {
    const g = planSpec(
      validateConfig({ services: { a: { url: 'https://a' } }, gateways: { g: { routes: [{ service: 'a', paths: ['/a'] }] } } }),
    ).gateways[0]!;
    const cost = estimateGatewayCost(g);
    expect(cost.rest.perMillion).toBe(PRICES_2026.restApiPerMillion);
    expect(cost.http.perMillion).toBe(PRICES_2026.httpApiPerMillion);
  });

  it('GIVEN JWT routes THEN REST adds the Lambda authorizer for cache misses and HTTP uses the native authorizer for nothing', () => {
    const cost = estimateGatewayCost(plan('examples/http.yaml').gateways[0]!);
    expect(cost.http.perMillion).toBe(1);
    // 20 % misses × ($0.20 + 0.25 GB × 0.02 s × 1e6 × $0.0000133334)
    expect(cost.rest.perMillion).toBeCloseTo(3.5 + 0.2 * (0.2 + 0.25 * 0.02 * 1e6 * 0.0000133334), 6);
  });

  it('GIVEN JWT routes with roles THEN as an HTTP API they still need the Lambda authorizer, and the estimate says so', () => {
    const spec = {
      services: { a: { url: 'https://a' } },
      gateways: {
        g: {
          auth: { jwt: { issuers: [{ issuer: 'https://idp.example/', audience: ['x'] }] } },
          routes: [{ service: 'a', paths: ['/a'], auth: { jwt: { roles: ['admin'] } } }],
        },
      },
    };
    const cost = estimateGatewayCost(planSpec(validateConfig(spec)).gateways[0]!);
    expect(cost.http.perMillion).toBeCloseTo(1 + (cost.rest.perMillion! - 3.5), 6);
    expect(cost.http.lines.join()).toMatch(/Lambda authorizer/);
  });

  it('GIVEN WAF at CloudFront and on the stage THEN each web ACL bills each request on REST; as an HTTP API one web ACL at CloudFront', () => {
    const p = plan('examples/edge.yaml');
    const cost = estimateGatewayCost(p.gateways[0]!);
    expect(cost.rest.perMillion).toBeCloseTo(3.5 + 2 * 0.6 + 1.0, 6);
    expect(cost.wafMonthly).toBeGreaterThan(0);
    expect(cost.http.perMillion).toBeCloseTo(1.0 + 0.6 + 1.0, 6);
    expect(cost.http.blockers).toEqual([]);
    expect(explainPlan(p)).toMatch(/as an HTTP API, request validation of \/api\/orders would run in the proxy Lambda/);
  });

  it('GIVEN a keyed gateway WHEN explained THEN both flavors are printed and usage plans keep it off HTTP', () => {
    expect(explainPlan(plan('gatehouse.yaml'))).toMatch(
      /as a REST API: \$3\.\d\d .*; as an HTTP API: not possible \(usage plans\/API keys\)/,
    );
  });
});
