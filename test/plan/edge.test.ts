// Edge planning: web ACL rules and capacity (WCU) with its budget checks, CloudFront, validation keeping per-verb methods, resource counts.
import { describe, expect, it } from 'vitest';
import { explainPlan } from '../../lib/plan/explain';
import { planSpec } from '../../lib/plan/plan';
import { ConfigError } from '../../lib/config/errors';
import { validateConfig } from '../../lib/config/load';
import { baseSpec } from '../support/synth';
import { asRest } from '../support/flavors';

const plan = (spec: unknown) => planSpec(validateConfig(spec));
const withEdge = (edge: unknown, overrides: Record<string, unknown> = {}) => ({
  ...baseSpec({ edge, ...overrides }),
  account: { region: 'eu-west-1' },
});
const schema = 'examples/schemas/order.json';
/**
 * baseSpec()'s deployment fingerprint as planned since routes became one API definition (methods no longer collapse into ANY,
 * so the value of commit 97d5772 changed once); configs without edge must keep it.
 */
const FINGERPRINT_BEFORE_EDGE = 'be4bfda331aa77f6';

describe('WAF capacity', () => {
  it('GIVEN the default managed presets WHEN planned THEN the regional ACL costs their documented WCUs (700+200+200+25) and carries them in order', () => {
    const acl = plan(withEdge({ waf: {} })).gateways[0]!.edge!.regionalWebAcl!;
    expect(acl.scope).toBe('REGIONAL');
    expect(acl.capacity).toBe(1125);
    expect(acl.rules.map((r) => [r.name, r.wcu])).toEqual([
      ['AWSManagedRulesAmazonIpReputationList', 25],
      ['AWSManagedRulesCommonRuleSet', 700],
      ['AWSManagedRulesKnownBadInputsRuleSet', 200],
      ['AWSManagedRulesSQLiRuleSet', 200],
    ]);
  });

  it('GIVEN every custom rule WHEN planned THEN each costs what WAF charges: IP sets 1 per family, geo 1, contains 20, regex set 25, size 1, rate 2', () => {
    const acl = plan(
      withEdge({
        waf: {
          managedRules: [],
          ipDeny: ['192.0.2.0/24', '2001:db8::/32'],
          ipAllow: ['198.51.100.0/24'],
          geoBlock: ['KP'],
          userAgentDeny: { contains: ['sqlmap'], regex: ['^curl/'] },
          maxBodyBytes: 8192,
          rateLimitPerIp: { limit: 100 },
        },
      }),
    ).gateways[0]!.edge!.regionalWebAcl!;
    expect(acl.rules.map((r) => [r.name, r.priority, r.wcu])).toEqual([
      ['IpDeny', 1, 2],
      ['IpAllowOnly', 2, 1],
      ['GeoBlock', 3, 1],
      ['UserAgentDeny', 4, 45],
      ['MaxBodySize', 5, 1],
      ['RateLimitPerIp', 6, 2],
    ]);
    expect(acl.capacity).toBe(52);
    expect(acl.bodyInspectionLimit).toBeUndefined();
  });

  it("GIVEN more than 1,500 WCUs WHEN planned THEN it warns that WAF bills the extra capacity, naming each rule's share", () => {
    const p = plan(withEdge({ waf: { managedRules: ['common', 'knownBadInputs', 'sqli', 'linux', 'unix', 'adminProtection'] } }));
    expect(p.gateways[0]!.edge!.regionalWebAcl!.capacity).toBe(1500);
    expect(p.warnings.map((w) => w.code)).not.toContain('WAF_CAPACITY_ABOVE_BASE_PRICE');
    const above = plan(
      withEdge({ waf: { managedRules: ['common', 'knownBadInputs', 'sqli', 'linux', 'unix', 'adminProtection', 'ipReputation'] } }),
    );
    expect(above.warnings).toContainEqual({
      code: 'WAF_CAPACITY_ABOVE_BASE_PRICE',
      where: 'gateways.public.edge.waf',
      message: expect.stringMatching(/needs 1525 WCUs; WAF bills extra for each 500 WCUs above 1500 \(.*AWSManagedRulesCommonRuleSet 700/),
    });
  });

  it("GIVEN every option at its largest WHEN planned THEN the ACL still fits WAF's 5,000 WCUs (the error below guards future presets)", () => {
    const acl = plan(
      withEdge({
        waf: {
          managedRules: [
            'common',
            'knownBadInputs',
            'sqli',
            'ipReputation',
            'anonymousIp',
            'linux',
            'unix',
            'adminProtection',
            'botControl',
          ],
          ipDeny: ['192.0.2.0/24', '2001:db8::/32'],
          ipAllow: ['198.51.100.0/24', '2001:db8:1::/48'],
          geoBlock: ['KP'],
          userAgentDeny: { contains: Array.from({ length: 10 }, (_, i) => `bot${i}`), regex: ['x'] },
          maxBodyBytes: 65_536,
          rateLimitPerIp: { limit: 100 },
        },
      }),
    ).gateways[0]!.edge!.regionalWebAcl!;
    expect(acl.capacity).toBe(1625 + 2 + 2 + 1 + 225 + 1 + 2);
    expect(acl.bodyInspectionLimit).toBe('KB_64');
  });

  it('GIVEN Bot Control WHEN planned THEN its per-request price is a warning', () => {
    expect(plan(withEdge({ waf: { managedRules: ['botControl'] } })).warnings).toContainEqual(
      expect.objectContaining({
        code: 'WAF_BOT_CONTROL_COST',
        where: 'gateways.public.edge.waf.managedRules',
        message: expect.stringMatching(/billed per request/),
      }),
    );
  });

  it('GIVEN maxBodyBytes above 16 KB WHEN planned THEN the body inspection limit is raised to the next step and the cost is a warning', () => {
    const p = plan(withEdge({ waf: { maxBodyBytes: 20_000 } }));
    expect(p.gateways[0]!.edge!.regionalWebAcl!.bodyInspectionLimit).toBe('KB_32');
    expect(p.warnings).toContainEqual(
      expect.objectContaining({ code: 'WAF_BODY_INSPECTION_ABOVE_DEFAULT', where: 'gateways.public.edge.waf.maxBodyBytes' }),
    );
  });
});

describe('WAF capacity budget error', () => {
  it('GIVEN a web ACL over 5,000 WCUs WHEN planned THEN a ConfigError names edge.waf.managedRules and the total', async () => {
    const { planEdge } = await import('../../lib/plan/edge');
    const spec = validateConfig(withEdge({ waf: { managedRules: ['common'] } }));
    const gateway = spec.gateways.public!;
    // No config reaches 5,000 with today's presets, so check the planner's arithmetic with a fake heavy group.
    const { MANAGED_GROUPS } = await import('../../lib/plan/waf-capacity');
    const original = MANAGED_GROUPS.common.wcu;
    (MANAGED_GROUPS.common as { wcu: number }).wcu = 5_001;
    try {
      const result = planEdge('public', gateway, []);
      expect(result.errors).toEqual([
        expect.objectContaining({
          where: 'gateways.public.edge.waf.managedRules',
          message: expect.stringMatching(/needs 5001 WCUs, over WAF's 5000/),
        }),
      ]);
    } finally {
      (MANAGED_GROUPS.common as { wcu: number }).wcu = original;
    }
  });

  it('GIVEN planSpec with an over-budget ACL WHEN planned THEN it throws the ConfigError', async () => {
    const { MANAGED_GROUPS } = await import('../../lib/plan/waf-capacity');
    (MANAGED_GROUPS.sqli as { wcu: number }).wcu = 4_900;
    try {
      expect(() => plan(withEdge({ waf: {} }))).toThrow(ConfigError);
    } finally {
      (MANAGED_GROUPS.sqli as { wcu: number }).wcu = 200;
    }
  });
});

describe('CloudFront', () => {
  const p = plan(
    withEdge(
      { cloudfront: {}, waf: { rateLimitPerIp: { limit: 500, windowSeconds: 60 } } },
      {
        auth: { jwt: { issuers: [{ issuer: 'https://login.example.com/', audience: ['api'] }] } },
        routes: [
          { service: 'users', paths: ['/api/users'], methods: ['GET'], auth: 'jwt', cache: { ttlSeconds: 30, keyQuery: ['page'] } },
          { service: 'orders', paths: ['/api/orders'] },
        ],
      },
    ),
  );
  const edge = p.gateways[0]!.edge!;

  it('puts the waf section on a CLOUDFRONT-scope ACL and only origin-verify on the regional one', () => {
    expect(edge.cloudfront!.webAcl!.scope).toBe('CLOUDFRONT');
    expect(edge.cloudfront!.webAcl!.rules.map((r) => r.name)).toContain('RateLimitPerIp');
    expect(edge.regionalWebAcl!.rules).toEqual([expect.objectContaining({ kind: 'origin-verify', header: 'X-Origin-Verify', wcu: 2 })]);
    expect(p.edgeStack).toEqual({ region: 'us-east-1', resources: expect.any(Number) });
  });

  it('always has the origin-verify rule with CloudFront, with or without a waf section', () => {
    const bare = plan(withEdge({ cloudfront: {} })).gateways[0]!.edge!;
    expect(bare.regionalWebAcl!.rules.map((r) => r.kind)).toEqual(['origin-verify']);
    expect(bare.cloudfront!.webAcl).toBeUndefined();
    expect(plan(withEdge({ cloudfront: {} })).edgeStack).toBeUndefined();
  });

  it("caches only the configured GET route, with the caller's Authorization in the key of a JWT route", () => {
    expect(edge.cloudfront!.cacheBehaviors).toEqual([
      {
        routeId: '0-api-users',
        routeIndex: 0,
        pathPatterns: ['/api/users', '/api/users/*'],
        ttlSeconds: 30,
        keyHeaders: ['Authorization'],
        keyQuery: ['page'],
      },
    ]);
  });

  it('waits for the origin one second longer than the longest integration timeout', () => {
    expect(edge.cloudfront!.originReadTimeoutSeconds).toBe(11);
  });

  it('explains CloudFront, both ACLs with their WCUs and the edge stack', () => {
    const text = explainPlan(p);
    expect(text).toMatch(/CloudFront: cloudfront.net name, PriceClass_100, HTTPS only \(TLS 1.2\+\)/);
    expect(text).toMatch(/WAF CLOUDFRONT: .*1127 of 5000 WCUs/);
    expect(text).toMatch(/WAF REGIONAL: requests without CloudFront's X-Origin-Verify secret are blocked.*2 of 5000 WCUs/);
    expect(text).toMatch(/Edge stack: \d+ resources in us-east-1/);
  });
});

describe('request validation', () => {
  const spec = withEdge(undefined, {
    routes: [
      {
        service: 'users',
        paths: ['/api/users'],
        methods: ['GET', 'POST'],
        validate: { body: schema, query: ['page'], headers: ['X-Tenant'] },
      },
      { service: 'orders', paths: ['/api/orders'], methods: ['GET', 'POST'] },
    ],
  });
  const g = plan(spec).gateways[0]!;
  const [users, orders] = g.routes;

  it('keeps the listed methods of validated and unvalidated routes alike, and explains the validation', () => {
    expect(users!.apiMethods).toEqual(['GET', 'POST']);
    expect(orders!.apiMethods).toEqual(['GET', 'POST']);
    expect(explainPlan(plan(spec))).toMatch(/Validation \/api\/users:/);
  });

  it('reads the body schema into the plan and adds the 400 gateway responses', () => {
    expect(users!.features.validation!.body!.schema).toMatchObject({ type: 'object', required: ['sku', 'quantity'] });
    expect(asRest(g).gatewayResponses).toEqual(expect.arrayContaining(['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS']));
  });

  it('changes the deployment fingerprint when the validation changes', () => {
    const other = withEdge(undefined, {
      routes: [
        {
          service: 'users',
          paths: ['/api/users'],
          methods: ['GET', 'POST'],
          validate: { body: schema, query: ['page', 'size'], headers: ['X-Tenant'] },
        },
        { service: 'orders', paths: ['/api/orders'], methods: ['GET', 'POST'] },
      ],
    });
    expect(plan(other).gateways[0]!.deploymentFingerprint).not.toBe(g.deploymentFingerprint);
  });
});

describe('mutual TLS', () => {
  const mtls = {
    domain: 'partners.example.com',
    certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
    truststoreUri: 's3://truststore-bucket/ca.pem',
  };

  it('plans the custom domain, says the execute-api endpoint is off, and redeploys when it is turned on', () => {
    const p = plan(withEdge({ mtls }));
    expect(p.gateways[0]!.edge!.mtls).toEqual(mtls);
    expect(explainPlan(p)).toMatch(
      /Mutual TLS: clients of https:\/\/partners.example.com present a certificate .* the execute-api endpoint is off/,
    );
    expect(p.gateways[0]!.deploymentFingerprint).not.toBe(plan(withEdge(undefined)).gateways[0]!.deploymentFingerprint);
  });
});

describe('resource policy IP lists', () => {
  it('GIVEN IP lists WHEN planned THEN they are in the plan and ACCESS_DENIED answers denials', () => {
    const g = plan(withEdge({ resourcePolicy: { ipAllow: ['192.0.2.0/24'], ipDeny: ['192.0.2.7/32'] } })).gateways[0]!;
    expect(g.edge!.resourcePolicy).toEqual({ ipAllow: ['192.0.2.0/24'], ipDeny: ['192.0.2.7/32'] });
    expect(asRest(g).gatewayResponses).toContain('ACCESS_DENIED');
  });

  const ranges = (n: number) => Array.from({ length: n }, (_, i) => `10.${Math.floor(i / 250)}.${i % 250}.0/24`);

  it('GIVEN IP lists longer than the resource policy quota WHEN planned THEN edge.resourcePolicy is an error pointing to WAF IP sets', () => {
    let error: unknown;
    try {
      plan(withEdge({ resourcePolicy: { ipAllow: ranges(480) } }));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      expect.objectContaining({ where: 'gateways.public.edge.resourcePolicy', message: expect.stringMatching(/use edge.waf.ipAllow/) }),
    ]);
  });
});

describe('deployment fingerprint of configs without edge', () => {
  it('does not carry edge keys, so upgrading Gatehouse does not redeploy existing gateways', () => {
    // baseSpec() as it was then: its users upstream was plain http (now allowed explicitly, which is not part of the plan).
    const then = baseSpec();
    const g = plan({
      ...then,
      services: { ...(then.services as object), users: { url: 'http://users.internal:8080', allowPlaintext: true } },
    }).gateways[0]!;
    expect(g.edge).toBeUndefined();
    expect(g.routes.every((r) => r.features.validation === undefined)).toBe(true);
    // The value before edge protection existed (same spec, same planner otherwise).
    expect(g.deploymentFingerprint).toBe(FINGERPRINT_BEFORE_EDGE);
  });
});

describe('deployment fingerprint and the BAD_REQUEST_BODY body', () => {
  const validated = (routes: unknown[]) => plan(baseSpec({ routes }));
  const body = { service: 'orders', paths: ['/api/orders'], methods: ['POST'], validate: { body: schema } };

  it('GIVEN a body validator WHEN planned THEN the response body is part of the fingerprint, so its fixed text reaches the stage with a new deployment', () => {
    const g = validated([body]).gateways[0]!;
    expect(asRest(g).gatewayResponses).toContain('BAD_REQUEST_BODY');
    // The same plan with the body as it was before (it embedded $context.error.validationErrorString) fingerprinted otherwise.
    expect(g.deploymentFingerprint).not.toBe('4d28be4b45b791fb');
    expect(validated([body]).gateways[0]!.deploymentFingerprint).toBe(g.deploymentFingerprint);
  });
});
