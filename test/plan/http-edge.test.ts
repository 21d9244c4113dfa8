// Edge planning of an HTTP API: WAF at CloudFront, origin-verify by authorizers, cache keys, cost lines and explain.
import { describe, expect, it } from 'vitest';
import { estimateGatewayCost } from '../../lib/plan/cost';
import { ORIGIN_AUTHORIZER_RESOURCES, ORIGIN_VERIFY_CACHE_TTL_SECONDS } from '../../lib/plan/edge';
import { explainPlan } from '../../lib/plan/explain';
import { planSpec } from '../../lib/plan/plan';
import { validateConfig } from '../../lib/config/load';
import { baseSpec } from '../support/synth';
import { asHttp } from '../support/flavors';

const plan = (spec: unknown) => planSpec(validateConfig(spec));
const issuer = { issuer: 'https://login.example.com/', audience: ['orders-api'] };
/** baseSpec() as an HTTP API in eu-west-1, with `overrides` on its gateway. */
const httpSpec = (overrides: Record<string, unknown>) => ({
  ...baseSpec({ flavor: 'http', ...overrides }),
  account: { region: 'eu-west-1' },
});
const jwtRoutes = (auth: unknown) => [
  { service: 'users', paths: ['/api/users'], methods: ['GET', 'POST'], auth },
  { service: 'orders', paths: ['/api/orders'], auth },
];

describe('WAF and CloudFront on an HTTP API', () => {
  it('GIVEN edge.waf alone WHEN planned THEN CloudFront is put in front with the WAF on it, with a warning, and no regional ACL', () => {
    const p = plan(httpSpec({ edge: { waf: {} } }));
    const edge = p.gateways[0]!.edge!;
    expect(edge.regionalWebAcl).toBeUndefined();
    expect(edge.cloudfront?.webAcl?.scope).toBe('CLOUDFRONT');
    expect(edge.cloudfront?.priceClass).toBe('PriceClass_100');
    expect(p.edgeStack).toBeDefined();
    const warning = p.warnings.find((w) => w.code === 'HTTP_WAF_AT_CLOUDFRONT');
    expect(warning?.where).toBe('gateways.public.edge.waf');
    expect(warning?.message).toMatch(/HTTP APIs take no web ACL, so a CloudFront distribution is put in front/);
  });

  it('GIVEN edge.waf with edge.cloudfront written WHEN planned THEN there is no warning', () => {
    const p = plan(httpSpec({ edge: { waf: {}, cloudfront: { priceClass: 200 } } }));
    expect(p.warnings.map((w) => w.code)).not.toContain('HTTP_WAF_AT_CLOUDFRONT');
    expect(p.gateways[0]!.edge!.cloudfront?.priceClass).toBe('PriceClass_200');
  });

  it('GIVEN CloudFront and public routes WHEN planned THEN an origin-verify authorizer cached per header value refuses calls around CloudFront', () => {
    const g = plan(httpSpec({ edge: { cloudfront: {} } })).gateways[0]!;
    expect(g.edge!.cloudfront!.originVerify).toEqual({
      enforcedBy: 'lambda-authorizers',
      originAuthorizer: true,
      cacheTtlSeconds: ORIGIN_VERIFY_CACHE_TTL_SECONDS,
      reason: expect.stringMatching(
        /an origin-verify Lambda authorizer on every route \(its answer cached 300 s per header value\) refuse requests without CloudFront's X-Origin-Verify secret \(401 when it is missing, 403 when it is wrong\): the execute-api URL cannot bypass CloudFront$/,
      ),
    });
    expect(g.authorizer).toBeUndefined();
  });

  it('GIVEN CloudFront with WAF and only JWT routes needing scopes WHEN planned THEN the Lambda authorizer replaces the native one, checks the header, and no origin authorizer is needed', () => {
    const g = plan(
      httpSpec({
        auth: { jwt: { issuers: [issuer] } },
        routes: jwtRoutes({ jwt: { scopes: ['users:read'] } }),
        edge: { cloudfront: {}, waf: {} },
      }),
    ).gateways[0]!;
    expect(asHttp(g).nativeJwtAuthorizer).toBeUndefined();
    expect(g.authorizer?.config.originVerify).toEqual({ header: 'X-Origin-Verify' });
    expect(g.authorizer?.reason).toMatch(
      /cannot check CloudFront's X-Origin-Verify header; its answer is cached per token, X-Origin-Verify value and route key/,
    );
    const ov = g.edge!.cloudfront!.originVerify;
    expect(ov.enforcedBy === 'lambda-authorizers' && ov.originAuthorizer).toBe(false);
    expect(ov.enforcedBy === 'lambda-authorizers' && ov.reason).toMatch(
      /HTTP APIs take no web ACL, so the JWT Lambda authorizer \(it checks the header before the token\) refuse.* bypass CloudFront and its WAF$/,
    );
  });

  it('GIVEN no CloudFront WHEN an HTTP gateway with JWT routes is planned THEN the native authorizer stays and its config has no origin check', () => {
    const g = plan(httpSpec({ auth: { jwt: { issuers: [issuer] } }, routes: jwtRoutes('jwt') })).gateways[0]!;
    expect(asHttp(g).nativeJwtAuthorizer).toBeDefined();
    expect(g.edge).toBeUndefined();
  });

  it('GIVEN a REST gateway behind CloudFront WHEN planned THEN the regional web ACL enforces origin-verify and the JWT config has no origin check', () => {
    const g = plan({
      ...baseSpec({ auth: { jwt: { issuers: [issuer] } }, routes: jwtRoutes('jwt'), edge: { cloudfront: {} } }),
      account: { region: 'eu-west-1' },
    }).gateways[0]!;
    expect(g.edge!.cloudfront!.originVerify).toEqual({ enforcedBy: 'regional-web-acl' });
    expect(g.edge!.regionalWebAcl?.rules.map((r) => r.kind)).toEqual(['origin-verify']);
    expect(g.authorizer?.config.originVerify).toBeUndefined();
  });

  it('GIVEN public routes behind CloudFront WHEN counted THEN the origin authorizer adds its resources to the gateway', () => {
    const withCf = plan(httpSpec({ edge: { cloudfront: {} } })).gateways[0]!.estimate.stackResources;
    const jwtOnly = plan(
      httpSpec({
        auth: { jwt: { issuers: [{ ...issuer, jwksUri: 'https://login.example.com/jwks' }] } },
        routes: jwtRoutes('jwt'),
        edge: { cloudfront: {} },
      }),
    ).gateways[0]!;
    const jwtOnlyNoCf = plan(
      httpSpec({ auth: { jwt: { issuers: [{ ...issuer, jwksUri: 'https://login.example.com/jwks' }] } }, routes: jwtRoutes('jwt') }),
    ).gateways[0]!;
    const without = plan(httpSpec({})).gateways[0]!.estimate.stackResources;
    // Secret, distribution, response-headers policy (+ the origin authorizer when a route has no JWT authorizer to check the header).
    // (+ the origin authorizer's throttle and concurrency alarms)
    expect(withCf - without).toBe(3 + ORIGIN_AUTHORIZER_RESOURCES + 2);
    expect(jwtOnly.estimate.stackResources - jwtOnlyNoCf.estimate.stackResources).toBe(3);
  });

  it('GIVEN a cached route and several CORS origins WHEN planned THEN Origin joins the cache key; with one origin it does not', () => {
    const routes = [
      { service: 'users', paths: ['/api/catalog'], methods: ['GET'], cache: { ttlSeconds: 60, keyHeaders: ['Accept-Language'] } },
    ];
    const key = (origins: string[]) =>
      plan(httpSpec({ routes, cors: { origins }, edge: { cloudfront: {} } })).gateways[0]!.edge!.cloudfront!.cacheBehaviors[0]!.keyHeaders;
    expect(key(['https://a.example.com', 'https://b.example.com'])).toEqual(['Accept-Language', 'Origin']);
    expect(key(['https://a.example.com'])).toEqual(['Accept-Language']);
  });

  it('GIVEN an HTTP gateway behind CloudFront WHEN explained THEN an Origin verify line says how direct calls are refused', () => {
    const text = explainPlan(plan(httpSpec({ edge: { cloudfront: {} } })));
    expect(text).toMatch(/ {2}Origin verify: HTTP APIs take no web ACL, so an origin-verify Lambda authorizer on every route/);
  });
});

describe('cost of the edge in both flavors', () => {
  it('GIVEN an HTTP gateway with WAF WHEN estimated THEN the HTTP price has WAF, CloudFront and the cached origin authorizer', () => {
    const c = estimateGatewayCost(plan(httpSpec({ edge: { waf: {} } })).gateways[0]!);
    expect(c.http.lines).toEqual([
      'API $1.00',
      'WAF $0.60',
      'CloudFront $1.00',
      'origin-verify authorizer $0.00 (cached per header value)',
    ]);
    expect(c.http.perMillion).toBeCloseTo(2.6, 6);
    expect(c.http.blockers).toEqual([]);
    // As a REST API behind the same CloudFront, the stage would get the regional origin-verify web ACL too.
    expect(c.rest.lines).toContain('WAF $1.20 (2 web ACLs inspect each request)');
  });

  it('GIVEN a REST gateway with a regional WAF and JWT routes WHEN estimated as an HTTP API THEN the WAF moves to CloudFront and the Lambda authorizer is counted', () => {
    const g = plan({
      ...baseSpec({ auth: { jwt: { issuers: [issuer] } }, routes: jwtRoutes('jwt'), edge: { waf: {} } }),
      account: { region: 'eu-west-1' },
    }).gateways[0]!;
    const c = estimateGatewayCost(g);
    expect(c.http.blockers).toEqual([]);
    expect(c.http.lines[1]).toMatch(/^Lambda authorizer /);
    expect(c.http.lines.slice(2)).toEqual(['WAF $0.60', 'CloudFront $1.00']);
  });

  it('GIVEN a REST gateway with resource-policy IPs WHEN estimated as an HTTP API THEN that is what blocks it', () => {
    const g = plan(baseSpec({ edge: { resourcePolicy: { ipAllow: ['10.0.0.0/8'] } } })).gateways[0]!;
    expect(estimateGatewayCost(g).http.blockers).toEqual(['resource-policy IP rules']);
  });
});

describe('rate limits behind CloudFront', () => {
  const limited = [{ service: 'users', paths: ['/api/users'], rateLimit: { minute: 60, by: 'ip' } }];
  const limitOf = (g: ReturnType<typeof plan>['gateways'][number]) => Object.values(g.proxies[0]!.config.routes)[0]!.rateLimit;

  it.each(['http', 'rest'] as const)(
    'GIVEN a %s gateway with CloudFront and a rate limit WHEN planned THEN CloudFront sets the viewer IP header and the limit counts it',
    (flavor) => {
      const g = plan({ ...baseSpec({ flavor, routes: limited, edge: { cloudfront: {} } }), account: { region: 'eu-west-1' } }).gateways[0]!;
      expect(g.edge!.cloudfront!.viewerIpHeader).toBe('X-Gatehouse-Viewer-IP');
      expect(limitOf(g)?.clientIpHeader).toBe('X-Gatehouse-Viewer-IP');
      expect(
        explainPlan(plan({ ...baseSpec({ flavor, routes: limited, edge: { cloudfront: {} } }), account: { region: 'eu-west-1' } })),
      ).toMatch(/a CloudFront Function puts the viewer's IP in X-Gatehouse-Viewer-IP/);
    },
  );

  it('GIVEN a rate limit without CloudFront WHEN planned THEN the source IP is counted (no header is trusted)', () => {
    expect(limitOf(plan(httpSpec({ routes: limited })).gateways[0]!)?.clientIpHeader).toBeUndefined();
  });

  it('GIVEN CloudFront without rate limits WHEN planned THEN no viewer-IP function', () => {
    expect(plan(httpSpec({ edge: { cloudfront: {} } })).gateways[0]!.edge!.cloudfront!.viewerIpHeader).toBeUndefined();
  });

  it('GIVEN CloudFront and a rate limit WHEN estimated THEN the function is priced with CloudFront', () => {
    const c = estimateGatewayCost(plan(httpSpec({ routes: limited, edge: { cloudfront: {} } })).gateways[0]!);
    expect(c.http.lines).toContain('CloudFront $1.10 (with the viewer-IP function)');
  });
});
