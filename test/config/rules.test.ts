// Cross-field rules of rules.ts: each issue it pushes, through validateConfig, plus checkSpecRules on its own.
import { describe, expect, it } from 'vitest';
import { parseConfig, validateConfig } from '../../lib/config/load';
import { checkSpecRules } from '../../lib/config/rules';
import { catchSpecError, expectIssue, expectOnlyIssue, keyedSpec, minimalSpec, patched, specWith } from './fixtures';

const gw = ['gateways', 'public'] as const;

describe('endpoint rules', () => {
  it('GIVEN a PRIVATE endpoint without vpcEndpointIds WHEN validated THEN endpoint.vpcEndpointIds asks for the VPC endpoints', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...gw, 'endpoint'], { type: 'PRIVATE' }])),
      'gateways.public.endpoint.vpcEndpointIds',
      /a PRIVATE API is reachable only through VPC endpoints: list them in vpcEndpointIds/,
    );
  });

  it('GIVEN a PRIVATE endpoint with vpcEndpointIds: [] WHEN validated THEN endpoint.vpcEndpointIds asks for the VPC endpoints', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...gw, 'endpoint'], { type: 'PRIVATE', vpcEndpointIds: [] }])),
      'gateways.public.endpoint.vpcEndpointIds',
      /reachable only through VPC endpoints/,
    );
  });

  it('GIVEN vpcEndpointIds on a gateway with the default endpoint type WHEN validated THEN they are rejected as PRIVATE-only, naming REGIONAL', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...gw, 'endpoint'], { vpcEndpointIds: ['vpce-0123456789abcdef0'] }])),
      'gateways.public.endpoint.vpcEndpointIds',
      /vpcEndpointIds only apply to endpoint type PRIVATE \(this gateway is REGIONAL\); remove them or set type: PRIVATE/,
    );
  });

  it('GIVEN vpcEndpointIds on an EDGE gateway WHEN validated THEN the message names EDGE', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...gw, 'endpoint'], { type: 'EDGE', vpcEndpointIds: ['vpce-0abc'] }])),
      'gateways.public.endpoint.vpcEndpointIds',
      /\(this gateway is EDGE\)/,
    );
  });

  it('GIVEN a PRIVATE endpoint with a VPC endpoint id WHEN validated THEN it is accepted', () => {
    const spec = validateConfig(specWith([[...gw, 'endpoint'], { type: 'PRIVATE', vpcEndpointIds: ['vpce-0abc'] }]));
    expect(spec.gateways.public!.endpoint).toEqual({ type: 'PRIVATE', vpcEndpointIds: ['vpce-0abc'] });
  });
});

describe('cors rules', () => {
  it('GIVEN credentials: true with the "*" origin WHEN validated THEN cors.origins asks for exact origins or credentials: false', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...gw, 'cors'], { origins: ['*'], credentials: true }])),
      'gateways.public.cors.origins',
      /browsers refuse credentials with the "\*" origin: list the exact origins, or set credentials: false/,
    );
  });

  it('GIVEN "*" next to another origin WHEN validated THEN cors.origins says to use "*" alone', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...gw, 'cors'], { origins: ['https://app.example.com', '*'] }])),
      'gateways.public.cors.origins',
      /"\*" already allows every origin: use it alone/,
    );
  });

  it('GIVEN credentials with "*" among other origins WHEN validated THEN both cors problems are reported', () => {
    const err = catchSpecError(() =>
      validateConfig(specWith([[...gw, 'cors'], { origins: ['*', 'https://app.example.com'], credentials: true }])),
    );
    expect(err.issues.map((i) => i.where)).toEqual(['gateways.public.cors.origins', 'gateways.public.cors.origins']);
    expect(err.message).toMatch(/\(2 problems\)/);
  });

  it('GIVEN credentials: true with exact origins WHEN validated THEN it is accepted', () => {
    expect(() =>
      validateConfig(specWith([[...gw, 'cors'], { origins: ['https://app.example.com', 'http://localhost:3000'], credentials: true }])),
    ).not.toThrow();
  });
});

describe('route rules', () => {
  it('GIVEN a route on a misspelt service WHEN validated THEN routes[0].service names it and suggests the close service', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...gw, 'routes', 0, 'service'], 'user'])),
      'gateways.public.routes[0].service',
      /^no service named "user" under services \(did you mean "users"\?\)$/,
    );
  });

  it('GIVEN a route on a service unlike any defined one WHEN validated THEN routes[0].service names it without a suggestion', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...gw, 'routes', 0, 'service'], 'billing'])),
      'gateways.public.routes[0].service',
      /^no service named "billing" under services$/,
    );
  });

  it('GIVEN apiKey: true on a gateway without plans WHEN validated THEN routes[0].apiKey asks for a plan or dropping apiKey', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...gw, 'routes', 0, 'apiKey'], true])),
      'gateways.public.routes[0].apiKey',
      /requires an API key but the gateway has no plans: add a plan and a consumer on it, or drop apiKey/,
    );
  });

  it('GIVEN a route listing the same path twice WHEN validated THEN routes[0].paths says a path is listed twice', () => {
    expectOnlyIssue(
      () =>
        validateConfig(
          specWith([
            [...gw, 'routes', 0, 'paths'],
            ['/api/users', '/api/admins', '/api/users'],
          ]),
        ),
      'gateways.public.routes[0].paths',
      /a path is listed twice/,
    );
  });

  const conflicts: readonly [first: string[] | undefined, second: string[] | undefined, key: string][] = [
    [undefined, undefined, 'ANY /api/users'],
    [['GET'], ['GET', 'POST'], 'GET /api/users'],
    [['GET'], undefined, 'ANY /api/users'],
    [undefined, ['DELETE'], 'DELETE /api/users'],
  ];
  for (const [first, second, key] of conflicts) {
    it(`GIVEN routes[0] with methods ${first?.join(',') ?? 'ANY (default)'} and routes[1] with ${second?.join(',') ?? 'ANY (default)'} on the same path WHEN validated THEN routes[1].paths[0] reports "${key}" as already routed by routes[0]`, () => {
      const routes = [
        { service: 'users', paths: ['/api/users'], ...(first && { methods: first }) },
        { service: 'users', paths: ['/api/users'], ...(second && { methods: second }) },
      ];
      expectOnlyIssue(
        () => validateConfig(specWith([[...gw, 'routes'], routes])),
        'gateways.public.routes[1].paths[0]',
        new RegExp(`^${key} is already routed by routes\\[0\\] \\(.*\\); each method of a path belongs to one route`),
      );
    });
  }

  it('GIVEN routes[0] with GET and POST and routes[1] with ANY on the same path WHEN validated THEN the conflict is reported once', () => {
    const routes = [
      { service: 'users', paths: ['/api/users'], methods: ['GET', 'POST'] },
      { service: 'users', paths: ['/api/users'] },
    ];
    expectOnlyIssue(
      () => validateConfig(specWith([[...gw, 'routes'], routes])),
      'gateways.public.routes[1].paths[0]',
      /ANY \/api\/users is already routed/,
    );
  });

  it('GIVEN two routes on the same path with different methods WHEN validated THEN it is accepted', () => {
    const routes = [
      { service: 'users', paths: ['/api/users'], methods: ['GET'] },
      { service: 'users', paths: ['/api/users'], methods: ['POST', 'PUT'] },
    ];
    expect(() => validateConfig(specWith([[...gw, 'routes'], routes]))).not.toThrow();
  });

  it('GIVEN two routes on nested paths (/api and /api/users) WHEN validated THEN it is accepted', () => {
    const routes = [
      { service: 'users', paths: ['/api'] },
      { service: 'users', paths: ['/api/users'] },
    ];
    expect(() => validateConfig(specWith([[...gw, 'routes'], routes]))).not.toThrow();
  });
});

describe('plan and consumer rules', () => {
  const plan = [...gw, 'plans', 'standard'] as const;

  it('GIVEN a plan route throttle on a misspelt keyed path WHEN validated THEN routeThrottles[0].path explains it and suggests the keyed path', () => {
    expectOnlyIssue(
      () => validateConfig(patched(keyedSpec(), [[...plan, 'routeThrottles', 0, 'path'], '/api/order'])),
      'gateways.public.plans.standard.routeThrottles[0].path',
      /^"\/api\/order" is not a path of any route with apiKey: true in this gateway; usage-plan throttles only apply to keyed routes \(did you mean "\/api\/orders"\?\)$/,
    );
  });

  it('GIVEN a plan route throttle on a route without apiKey WHEN validated THEN routeThrottles[0].path says throttles only apply to keyed routes, without a far-fetched suggestion', () => {
    const issue = expectOnlyIssue(
      () => validateConfig(patched(keyedSpec(), [[...plan, 'routeThrottles', 0, 'path'], '/health'])),
      'gateways.public.plans.standard.routeThrottles[0].path',
      /"\/health" is not a path of any route with apiKey: true in this gateway; usage-plan throttles only apply to keyed routes/,
    );
    expect(issue.message).not.toContain('did you mean');
  });

  it('GIVEN a consumer on a misspelt plan WHEN validated THEN consumers.acme.plans[0] names it and suggests the plan', () => {
    expectOnlyIssue(
      () => validateConfig(patched(keyedSpec(), [[...gw, 'consumers', 'acme', 'plans'], ['standrd']])),
      'gateways.public.consumers.acme.plans[0]',
      /^no plan named "standrd" in this gateway \(did you mean "standard"\?\)$/,
    );
  });

  it('GIVEN a consumer on an unknown plan unlike any other WHEN validated THEN consumers.acme.plans[0] names it without a suggestion', () => {
    expectOnlyIssue(
      () => validateConfig(patched(keyedSpec(), [[...gw, 'consumers', 'acme', 'plans'], ['gold']])),
      'gateways.public.consumers.acme.plans[0]',
      /^no plan named "gold" in this gateway$/,
    );
  });

  it('GIVEN a consumer on two plans of one gateway WHEN parsed from YAML THEN consumers.acme.plans is rejected at its file:line with the way out', () => {
    const yaml = [
      'services:',
      '  orders: { url: "https://orders.internal" }',
      'gateways:',
      '  public:',
      '    routes:',
      '      - { service: orders, paths: [/api/orders], apiKey: true }',
      '    plans:',
      '      bronze: {}',
      '      gold: {}',
      '    consumers:',
      '      acme:',
      '        plans: [bronze, gold]',
      '',
    ].join('\n');
    const issue = expectOnlyIssue(
      () => parseConfig(yaml, 'gatehouse.yaml'),
      'gateways.public.consumers.acme.plans',
      /^consumer "acme" is on 2 plans \(bronze, gold\), but API Gateway attaches an API key to at most one usage plan of a gateway's stage \(a second plan fails the deploy with 409 ConflictException\): keep one plan per consumer per gateway; a caller that needs a second plan is another consumer with its own key$/,
    );
    expect([issue.file, issue.line]).toEqual(['gatehouse.yaml', 12]);
  });

  it('GIVEN a consumer listing the same plan twice WHEN validated THEN consumers.acme.plans says it is listed twice', () => {
    expectOnlyIssue(
      () =>
        validateConfig(
          patched(keyedSpec(), [
            [...gw, 'consumers', 'acme', 'plans'],
            ['standard', 'standard'],
          ]),
        ),
      'gateways.public.consumers.acme.plans',
      /^consumer "acme" lists plan "standard" twice, .*one plan per consumer per gateway/,
    );
  });

  it('GIVEN a consumer on two plans, one of them unknown WHEN validated THEN both problems are reported at once', () => {
    const run = () =>
      validateConfig(
        patched(keyedSpec(), [
          [...gw, 'consumers', 'acme', 'plans'],
          ['standard', 'gold'],
        ]),
      );
    expectIssue(run, 'gateways.public.consumers.acme.plans[1]', /^no plan named "gold" in this gateway$/);
    expectIssue(run, 'gateways.public.consumers.acme.plans', /is on 2 plans \(standard, gold\)/);
    expect(catchSpecError(run).issues).toHaveLength(2);
  });

  it('GIVEN the same consumer name on a plan of each of two gateways WHEN validated THEN it is accepted (different stages, different keys)', () => {
    const spec = keyedSpec();
    const partner = structuredClone(spec.gateways.public!);
    const twoGateways = patched(spec, [
      ['gateways', 'partner'],
      { ...partner, cors: undefined, plans: { gold: {} }, consumers: { acme: { plans: ['gold'] } } },
    ]);
    const parsed = validateConfig(twoGateways);
    expect([parsed.gateways.public!.consumers.acme!.plans, parsed.gateways.partner!.consumers.acme!.plans]).toEqual([
      ['standard'],
      ['gold'],
    ]);
  });

  // Exposes a gap in rules.ts: usage-plans.ts keeps only the route's own methods, so this throttle is silently dropped.
  it('GIVEN a plan route throttle for POST on a keyed route that only serves GET WHEN validated THEN routeThrottles[0].methods is rejected', () => {
    const spec = patched(keyedSpec(), [[...gw, 'routes', 1, 'methods'], ['GET']], [[...plan, 'routeThrottles', 0, 'methods'], ['POST']]);
    expectOnlyIssue(() => validateConfig(spec), 'gateways.public.plans.standard.routeThrottles[0].methods', /POST/);
  });
});

describe('rule problems across the spec', () => {
  it('GIVEN rule problems in two gateways WHEN validated THEN every problem is reported, each under its own gateway', () => {
    const spec = patched(
      minimalSpec(),
      [[...gw, 'routes', 0, 'service'], 'user'],
      [[...gw, 'routes', 0, 'apiKey'], true],
      [['gateways', 'internal'], { endpoint: { type: 'PRIVATE' }, routes: [{ service: 'users', paths: ['/'] }] }],
    );
    const run = () => validateConfig(spec);
    const err = catchSpecError(run);
    expect(err.issues).toHaveLength(3);
    expect(err.message).toMatch(/^Invalid Gatehouse config \(3 problems\):\n/);
    expectIssue(run, 'gateways.public.routes[0].service', /did you mean "users"/);
    expectIssue(run, 'gateways.public.routes[0].apiKey', /has no plans/);
    expectIssue(run, 'gateways.internal.endpoint.vpcEndpointIds', /reachable only through VPC endpoints/);
  });

  it('GIVEN a valid spec using every section WHEN checkSpecRules runs THEN it returns no issues', () => {
    expect(checkSpecRules(validateConfig(keyedSpec()))).toEqual([]);
  });

  it('GIVEN a parsed spec with a dangling consumer plan WHEN checkSpecRules runs THEN it returns the raw path as an array', () => {
    const parsed = validateConfig(keyedSpec());
    parsed.gateways.public!.consumers.acme = { plans: ['premium'], enabled: true };
    expect(checkSpecRules(parsed)).toEqual([
      { path: ['gateways', 'public', 'consumers', 'acme', 'plans', 0], message: 'no plan named "premium" in this gateway' },
    ]);
  });
});

describe('plan route throttles on ANY routes', () => {
  it('GIVEN a keyed route serving ANY and a route throttle for POST only WHEN validated THEN it asks for methods: [ANY]', () => {
    const spec = {
      services: { a: { url: 'https://a' } },
      gateways: {
        g: {
          routes: [{ service: 'a', paths: ['/o'], apiKey: true }],
          plans: { p: { routeThrottles: [{ path: '/o', methods: ['POST'], throttle: { rate: 1, burst: 1 } }] } },
        },
      },
    };
    expectOnlyIssue(() => validateConfig(spec), 'gateways.g.plans.p.routeThrottles[0].methods', /serves ANY.*methods: \[ANY\]/);
  });
});
