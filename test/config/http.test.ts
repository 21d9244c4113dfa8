// flavor: http: accepted, and every feature an HTTP API lacks rejected with the field and the choices.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../lib/config/load';
import { planSpec } from '../../lib/plan/plan';
import { expectIssue, keyedSpec, patched, specWith } from './fixtures';
import { asHttp } from '../support/flavors';

const gw = ['gateways', 'public'] as const;
const http = [[...gw, 'flavor'], 'http'] as const;
const issuer = { issuer: 'https://login.example.com/', audience: ['orders-api'] };

describe('flavor: http', () => {
  it('GIVEN flavor: http WHEN validated and planned THEN the gateway plan is an HTTP API one', () => {
    const plan = planSpec(validateConfig(specWith(http)));
    expect(plan.gateways[0]!.flavor).toBe('http');
    expect(plan.gateways[0]!.stage).not.toHaveProperty('executionLogs');
  });

  it.each([
    [
      'endpoint.type EDGE',
      [[...gw, 'endpoint', 'type'], 'EDGE'],
      'gateways.public.endpoint.type',
      /REGIONAL only: switch the gateway to flavor: rest/,
    ],
    [
      'endpoint.type PRIVATE',
      [[...gw, 'endpoint'], { type: 'PRIVATE', vpcEndpointIds: ['vpce-0123456789abcdef0'] }],
      'gateways.public.endpoint.type',
      /cannot be PRIVATE/,
    ],
    [
      'edge.waf with CloudFront turned off',
      [[...gw, 'edge'], { waf: {}, cloudfront: { enabled: false } }],
      'gateways.public.edge.cloudfront.enabled',
      /edge.waf runs at CloudFront in front of the API: remove cloudfront.enabled: false, drop waf, or switch the gateway to flavor: rest/,
    ],
    [
      'edge.resourcePolicy',
      [[...gw, 'edge'], { resourcePolicy: { ipAllow: ['10.0.0.0/8'] } }],
      'gateways.public.edge.resourcePolicy',
      /no resource policy: use edge.waf.ipAllow \/ ipDeny/,
    ],
  ] as const)(
    'GIVEN an HTTP gateway with %s WHEN validated THEN it is rejected naming the field and flavor: rest',
    (_what, patch, where, message) => {
      expectIssue(() => validateConfig(specWith(http, patch)), where, message);
    },
  );

  it('GIVEN an HTTP gateway route with validate WHEN validated and planned THEN it is accepted and served by the proxy', () => {
    const g = planSpec(validateConfig(specWith(http, [[...gw, 'routes', 0, 'validate'], { query: ['q'], headers: ['X-Tenant'] }])))
      .gateways[0]!;
    expect(g.routes[0]!.integration.kind).toBe('lambda-proxy');
    expect(g.routes[0]!.features.validation).toEqual({ body: undefined, query: ['q'], headers: ['X-Tenant'] });
  });

  it('GIVEN an HTTP gateway route with cache and no CloudFront WHEN validated THEN it is rejected as on REST, naming edge.cloudfront', () => {
    expectIssue(
      () => validateConfig(specWith(http, [[...gw, 'routes', 0, 'cache'], { ttlSeconds: 60 }])),
      'gateways.public.routes[0].cache',
      /route caching happens in CloudFront: turn on edge.cloudfront/,
    );
  });

  it('GIVEN an HTTP gateway with plans, consumers and a keyed route WHEN validated THEN each names flavor: rest or a per-consumer rateLimit', () => {
    const run = () => validateConfig(patched(keyedSpec(), http));
    for (const where of ['gateways.public.plans', 'gateways.public.consumers', 'gateways.public.routes[1].apiKey']) {
      expectIssue(run, where, /switch the gateway to flavor: rest, or use a per-consumer rateLimit/);
    }
  });

  it('GIVEN an HTTP gateway whose JWT routes need only scopes WHEN planned THEN the native JWT authorizer serves them', () => {
    const g = planSpec(
      validateConfig(
        specWith(
          http,
          [[...gw, 'auth'], { jwt: { issuers: [issuer] } }],
          [[...gw, 'routes', 0, 'auth'], { jwt: { scopes: ['users:read'] } }],
        ),
      ),
    ).gateways[0]!;
    expect(asHttp(g).nativeJwtAuthorizer).toMatchObject({ issuer: issuer.issuer, audiences: issuer.audience });
    expect(g.authorizer).toBeUndefined();
  });

  it.each([
    ['roles', [[...gw, 'routes', 0, 'auth'], { jwt: { roles: ['admin'] } }], /roles/],
    ['two issuers', [[...gw, 'auth', 'jwt', 'issuers', 1], { issuer: 'https://other.example.com/', audience: ['x'] }], /2 issuers/],
    ['required claims', [[...gw, 'auth', 'jwt', 'requiredClaims'], ['tenant']], /required claims/],
  ] as const)(
    'GIVEN an HTTP gateway whose JWT routes need %s WHEN planned THEN the Gatehouse Lambda authorizer with simple responses serves them',
    (_what, patch, reason) => {
      const g = planSpec(
        validateConfig(specWith(http, [[...gw, 'auth'], { jwt: { issuers: [issuer] } }], [[...gw, 'routes', 0, 'auth'], 'jwt'], patch)),
      ).gateways[0]!;
      expect(asHttp(g).nativeJwtAuthorizer).toBeUndefined();
      expect(g.authorizer?.reason).toMatch(/simple responses/);
      expect(g.authorizer?.reason).toMatch(reason);
      expect(g.authorizer?.cacheTtlSeconds).toBe(300);
    },
  );

  it('GIVEN an HTTP gateway with more route keys than the routes-per-API quota WHEN planned THEN it is an error naming the quota', () => {
    const routes = Array.from({ length: 60 }, (_, i) => ({ service: 'users', paths: [`/r${i}`], methods: ['GET', 'POST', 'PUT'] }));
    expectIssue(
      () => planSpec(validateConfig(specWith(http, [[...gw, 'routes'], routes]))),
      'gateways.public.routes',
      /needs 360 routes, over its 300 routes-per-API quota/,
    );
  });

  it('GIVEN an HTTP gateway with explicit execution logs WHEN planned THEN a warning says they are ignored', () => {
    const plan = planSpec(validateConfig(specWith(http, [[...gw, 'stage', 'executionLogs'], 'INFO'])));
    expect(plan.warnings.map((w) => w.code)).toContain('EXECUTION_LOGS_NOT_ON_HTTP');
  });
});
