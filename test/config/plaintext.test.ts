// Issue 14 item 5: no plaintext beyond the gateway by accident; every branch of plaintext-rules.ts, the default, and the plan's warning.
import { describe, expect, it } from 'vitest';
import { explainPlan } from '../../lib/plan/explain';
import { planSpec } from '../../lib/plan/plan';
import { parseConfig, validateConfig } from '../../lib/config/load';
import { expectOnlyIssue, specWith } from './fixtures';

const users = ['services', 'users'] as const;
const VPC = { subnetIds: ['subnet-0a'], securityGroupIds: ['sg-0b'] };

describe('GIVEN an http:// upstream', () => {
  it('WHEN nothing allows it THEN the url is an error naming the ways out', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...users, 'url'], 'http://users.example.com'])),
      'services.users.url',
      /http:\/\/users\.example\.com would be called in clear text across the internet, with the callers' bearer tokens and identity headers: use https:\/\/, reach it through a VPC link \(services\.<name>\.private\), place the service's proxy in the upstream's VPC \(proxy\.vpc\), or set allowPlaintext: true/,
    );
  });

  it('WHEN one of several targets is http:// THEN that target is the error', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...users], { targets: [{ url: 'https://a.example.com' }, { url: 'http://b.example.com' }] }])),
      'services.users.targets[1].url',
      /http:\/\/b\.example\.com would be called in clear text/,
    );
  });

  it('WHEN the upstream is loopback THEN it is refused too: API Gateway cannot call it, and allowPlaintext says it is meant for local runs', () => {
    expectOnlyIssue(() => validateConfig(specWith([[...users, 'url'], 'http://127.0.0.1:8080'])), 'services.users.url', /in clear text/);
  });

  it('WHEN given in YAML THEN the error is at the url line', () => {
    const yaml =
      'services:\n  users:\n    url: http://users.example.com\ngateways:\n  public:\n    routes: [{ service: users, paths: [/u] }]\n';
    const issue = expectOnlyIssue(() => parseConfig(yaml, 'g.yaml'), 'services.users.url', /in clear text/);
    expect(issue).toMatchObject({ file: 'g.yaml', line: 3 });
  });

  it('WHEN the service says allowPlaintext THEN it validates, and the plan warns naming what crosses in clear', () => {
    const spec = validateConfig(
      specWith(
        [[...users], { url: 'http://users.example.com', allowPlaintext: true }],
        [['gateways', 'public', 'auth'], { jwt: { issuers: [{ issuer: 'https://login.example.com/', audience: ['api'] }] } }],
        [['gateways', 'public', 'routes', 0, 'auth'], 'jwt'],
      ),
    );
    const plan = planSpec(spec);
    const warning = plan.warnings.find((w) => w.code === 'PLAINTEXT_UPSTREAM');
    expect(warning).toMatchObject({ where: 'services.users.url' });
    expect(warning!.message).toBe(
      'http://users.example.com is called in clear text across the internet (allowPlaintext): request bodies, bearer tokens (Authorization), identity headers (X-User-Id, X-User-Roles, X-User-Scopes, X-Client-Id) cross unencrypted and can be read or changed on the way',
    );
    expect(explainPlan(plan)).toContain('PLAINTEXT_UPSTREAM  services.users.url: http://users.example.com is called in clear text');
  });

  it('WHEN the service proxy is in the upstream VPC THEN no allowPlaintext is needed, no warning is given, and its routes always go through the proxy', () => {
    const plan = planSpec(validateConfig(specWith([[...users], { url: 'http://users.internal:8080', proxy: { vpc: VPC } }])));
    expect(plan.warnings.filter((w) => w.code === 'PLAINTEXT_UPSTREAM')).toEqual([]);
    const route = plan.gateways[0]!.routes[0]!;
    expect(route.integration.kind).toBe('lambda-proxy');
    expect(route.reason).toMatch(/upstreams inside a VPC \(proxy\.vpc\)/);
    expect(plan.gateways[0]!.proxies[0]!.vpc).toEqual(VPC);
  });

  it('WHEN an aggregate outside a VPC calls such an in-VPC service THEN the part is an error asking for aggregator.vpc', () => {
    expectOnlyIssue(
      () =>
        validateConfig(
          specWith(
            [[...users], { url: 'http://users.internal:8080', proxy: { vpc: VPC } }],
            [['gateways', 'public', 'aggregates'], [{ path: '/dash', parts: { me: { service: 'users', path: '/me' } } }]],
          ),
        ),
      'gateways.public.aggregates[0].parts.me.service',
      /service "users" is reached over http:\/\/ inside its VPC, but this aggregator is not in a VPC.*set aggregator\.vpc/,
    );
  });

  it('WHEN that aggregator is in a VPC too THEN it validates', () => {
    expect(() =>
      validateConfig(
        specWith(
          [[...users], { url: 'http://users.internal:8080', proxy: { vpc: VPC } }],
          [
            ['gateways', 'public', 'aggregates'],
            [{ path: '/dash', parts: { me: { service: 'users', path: '/me' } }, aggregator: { vpc: VPC } }],
          ],
        ),
      ),
    ).not.toThrow();
  });
});

describe('allowPlaintext', () => {
  it('GIVEN a service WHEN validated THEN allowPlaintext defaults to false', () => {
    expect(validateConfig(specWith([[...users, 'url'], 'https://users.example.com'])).services.users!.allowPlaintext).toBe(false);
  });

  it('GIVEN allowPlaintext on a service whose upstreams are all https:// WHEN validated THEN it is an error: nothing to allow', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...users], { url: 'https://users.example.com', allowPlaintext: true }])),
      'services.users.allowPlaintext',
      /every upstream of this service is https:\/\/, so there is no plaintext to allow: remove allowPlaintext/,
    );
  });

  it('GIVEN a keyed route to a plaintext service WHEN planned THEN the warning names API keys too', () => {
    const plan = planSpec(
      validateConfig(
        specWith(
          [[...users], { url: 'http://users.example.com', allowPlaintext: true }],
          [['gateways', 'public', 'routes', 0, 'apiKey'], true],
          [['gateways', 'public', 'plans'], { basic: {} }],
          [['gateways', 'public', 'consumers'], { acme: { plans: ['basic'] } }],
        ),
      ),
    );
    expect(plan.warnings.find((w) => w.code === 'PLAINTEXT_UPSTREAM')!.message).toMatch(
      /bearer tokens \(Authorization\), API keys \(x-api-key\) cross unencrypted/,
    );
  });
});
