// gateways.<name>.domain: the field's checks, where a regional domain can serve, and gateways sharing one.
import { describe, expect, it } from 'vitest';
import { explainPlan } from '../../lib/plan/explain';
import { planSpec } from '../../lib/plan/plan';
import { validateConfig } from '../../lib/config/load';
import { expectIssue } from './fixtures';
import { baseSpec } from '../support/synth';

const cert = (region = 'eu-west-1') => `arn:aws:acm:${region}:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;
const domain = (extra: Record<string, unknown> = {}) => ({ name: 'api.example.com', certificateArn: cert(), ...extra });
/** baseSpec()'s one gateway with `gateway` spread over it, plus `spec` at the top level. */
const withGateway = (gateway: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({ ...baseSpec(gateway), ...spec });
/** Two gateways, public (from baseSpec) and partner, each with its own domain settings. */
const twoGateways = (a: Record<string, unknown>, b: Record<string, unknown>) => {
  const spec = baseSpec({ domain: a }) as { gateways: Record<string, Record<string, unknown>> };
  spec.gateways.partner = { flavor: 'http', routes: [{ service: 'users', paths: ['/p'] }], domain: b };
  return spec;
};

describe('gateways.<name>.domain', () => {
  it('GIVEN a domain WHEN planned THEN it is one domain with the gateway mapped at its root, and its URL', () => {
    const plan = planSpec(validateConfig(withGateway({ domain: domain() })));
    expect(plan.domains).toEqual([
      {
        name: 'api.example.com',
        certificateArn: cert(),
        mappings: [{ gateway: 'public', basePath: undefined, url: 'https://api.example.com/' }],
        reason: expect.stringMatching(/RegionalDomainName output/),
      },
    ]);
  });

  it('GIVEN no domain WHEN planned THEN there are none (the default)', () => {
    expect(planSpec(validateConfig(baseSpec())).domains).toEqual([]);
  });

  it("GIVEN a domain WHEN planned THEN the API's execute-api URL stays on by default; executeApiEndpoint: false turns it off and redeploys", () => {
    const on = planSpec(validateConfig(withGateway({ domain: domain() }))).gateways[0]!;
    const off = planSpec(validateConfig(withGateway({ domain: domain({ executeApiEndpoint: false }) })));
    expect(on.executeApiEndpoint).toBe(true);
    expect(off.gateways[0]!.executeApiEndpoint).toBe(false);
    expect(off.gateways[0]!.deploymentFingerprint).not.toBe(on.deploymentFingerprint);
    // A domain that leaves the endpoint on deploys the same API as no domain at all.
    expect(on.deploymentFingerprint).toBe(planSpec(validateConfig(baseSpec())).gateways[0]!.deploymentFingerprint);
    expect(explainPlan(off)).toMatch(/https:\/\/api.example.com\/ → gateway "public" \(its execute-api URL is off\)/);
  });

  it('GIVEN two gateways of either flavor on one domain with different base paths WHEN planned THEN one domain maps both and costs 1 + 2 resources', () => {
    const shared = planSpec(validateConfig(twoGateways(domain({ basePath: 'orders/v1' }), domain())));
    expect(shared.domains).toHaveLength(1);
    expect(shared.domains[0]!.mappings.map((m) => m.url)).toEqual(['https://api.example.com/orders/v1/', 'https://api.example.com/']);
    const none = planSpec(validateConfig(twoGateways(undefined as never, undefined as never)));
    expect(shared.stackResources - none.stackResources).toBe(3);
  });

  it.each([
    ['a name with capitals', { name: 'API.example.com' }, 'gateways.public.domain.name', /lower-case host name/],
    [
      'a certificate that is not an ACM ARN',
      { certificateArn: 'arn:aws:iam::123456789012:server-certificate/x' },
      'gateways.public.domain.certificateArn',
      /ACM certificate ARN/,
    ],
    ['a base path with a leading slash', { basePath: '/orders' }, 'gateways.public.domain.basePath', /without leading or trailing "\/"/],
    ['a base path with a trailing slash', { basePath: 'orders/' }, 'gateways.public.domain.basePath', /without leading or trailing "\/"/],
  ] as const)('GIVEN %s WHEN validated THEN the field is named', (_what, patch, where, message) => {
    expectIssue(() => validateConfig(withGateway({ domain: domain(patch) })), where, message);
  });

  it.each([
    ['an EDGE endpoint', { endpoint: { type: 'EDGE' } }, /use endpoint.type REGIONAL .*edge.cloudfront.domain/],
    [
      'a PRIVATE endpoint',
      { endpoint: { type: 'PRIVATE', vpcEndpointIds: ['vpce-0123456789abcdef0'] } },
      /private custom domain names are not rendered/,
    ],
    ['CloudFront in front', { edge: { cloudfront: {} } }, /behind CloudFront, clients use edge.cloudfront.domain/],
    [
      'mutual TLS',
      { edge: { mtls: { domain: 'partners.example.com', certificateArn: cert(), truststoreUri: 's3://trust/ca.pem' } } },
      /edge.mtls.domain is already this gateway's custom domain/,
    ],
  ] as const)('GIVEN a domain with %s WHEN validated THEN domain is rejected with the way out', (_what, gateway, message) => {
    expectIssue(
      () => validateConfig(withGateway({ domain: domain(), ...gateway }, { account: { region: 'eu-west-1' } })),
      'gateways.public.domain',
      message,
    );
  });

  it("GIVEN account.region and a certificate from another region WHEN validated THEN certificateArn names the API's region", () => {
    expectIssue(
      () => validateConfig(withGateway({ domain: domain({ certificateArn: cert('us-east-1') }) }, { account: { region: 'eu-west-1' } })),
      'gateways.public.domain.certificateArn',
      /from the API's region \(eu-west-1\), this one is from us-east-1/,
    );
  });

  it('GIVEN two gateways on one domain and base path WHEN validated THEN the second basePath is rejected naming the first gateway', () => {
    expectIssue(
      () => validateConfig(twoGateways(domain(), domain())),
      'gateways.partner.domain.basePath',
      /gateway public already answers at https:\/\/api.example.com\//,
    );
  });

  it('GIVEN two gateways on one domain with different certificates WHEN validated THEN the second certificateArn is rejected', () => {
    expectIssue(
      () => validateConfig(twoGateways(domain(), domain({ basePath: 'p', certificateArn: cert().replace('0a1b', 'ffff') }))),
      'gateways.partner.domain.certificateArn',
      /serves api.example.com with another certificate/,
    );
  });

  it("GIVEN a domain that is another gateway's CloudFront domain WHEN validated THEN the name is rejected", () => {
    const spec = twoGateways({ name: 'shop.example.com', certificateArn: cert() }, domain()) as {
      gateways: Record<string, Record<string, unknown>>;
      account?: unknown;
    };
    spec.gateways.public = {
      ...spec.gateways.public,
      domain: undefined,
      edge: { cloudfront: { domain: 'api.example.com', certificateArn: cert('us-east-1') } },
    };
    spec.account = { region: 'eu-west-1' };
    expectIssue(
      () => validateConfig(spec),
      'gateways.partner.domain.name',
      /api.example.com is also the CloudFront domain of gateway public/,
    );
  });

  it("GIVEN a domain that is another gateway's mutual-TLS domain WHEN validated THEN the name is rejected", () => {
    const spec = twoGateways({ name: 'shop.example.com', certificateArn: cert() }, domain()) as {
      gateways: Record<string, Record<string, unknown>>;
    };
    spec.gateways.public = {
      ...spec.gateways.public,
      domain: undefined,
      edge: { mtls: { domain: 'api.example.com', certificateArn: cert(), truststoreUri: 's3://example-truststore/ca.pem' } },
    };
    expectIssue(
      () => validateConfig(spec),
      'gateways.partner.domain.name',
      /api.example.com is also the mutual-TLS domain of gateway public/,
    );
  });
});
