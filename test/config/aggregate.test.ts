// The `aggregates` of a gateway (aggregate-schema.ts, aggregate-rules.ts, and the aggregator's own check at plan time): every rejection names its field, every default is asserted.
import { describe, expect, it } from 'vitest';
import { planSpec } from '../../lib/plan/plan';
import { aggregateNameOf } from '../../lib/config/aggregate-schema';
import { validateConfig } from '../../lib/config/load';
import type { GatehouseSpecInput } from '../../lib/config/schema';
import { REMOVE, expectIssue, expectOnlyIssue, patched, type Patch } from './fixtures';

/** Gateway "web" with a JWT issuer, one route and the dashboard aggregate; gateway "mobile" reuses it. */
function bffSpec(): GatehouseSpecInput {
  return {
    services: { users: { url: 'https://users.internal:8080' }, orders: { url: 'https://orders.internal' } },
    gateways: {
      web: {
        auth: { jwt: { issuers: [{ issuer: 'https://id.example.com/', audience: ['web'] }] } },
        routes: [{ service: 'users', paths: ['/api/users'] }],
        aggregates: [
          {
            path: '/api/dashboard',
            auth: 'jwt',
            parts: {
              profile: { service: 'users', path: '/users/{claims.sub}' },
              orders: { service: 'orders', path: '/orders?user={profile.id}', optional: true, fallback: [] },
            },
          },
        ],
      },
      mobile: {
        auth: { jwt: { issuers: [{ issuer: 'https://id.example.com/', audience: ['mobile'] }] } },
        aggregates: [{ path: '/api/dashboard', auth: 'jwt', from: 'web.dashboard', select: ['profile.name', 'orders[].id'] }],
      },
    },
  };
}

const web = ['gateways', 'web'] as const;
const agg = (...rest: (string | number)[]) => [...web, 'aggregates', 0, ...rest];
const mobile = (...rest: (string | number)[]) => ['gateways', 'mobile', 'aggregates', 0, ...rest];
const bffWith = (...patches: Patch[]) => patched(bffSpec(), ...patches);

interface Case {
  readonly given: string;
  readonly patches: readonly Patch[];
  readonly where: string;
  readonly fix: RegExp;
}

const cases: Case[] = [
  {
    given: 'parts and from together',
    patches: [[agg('from'), 'mobile.dashboard']],
    where: 'gateways.web.aggregates[0].from',
    fix: /either parts .* or from .*, not both/,
  },
  {
    given: 'neither parts nor from',
    patches: [[mobile('from'), REMOVE]],
    where: 'gateways.mobile.aggregates[0].parts',
    fix: /required field is missing: the parts to call, or from/,
  },
  { given: 'parts: {}', patches: [[agg('parts'), {}]], where: 'gateways.web.aggregates[0].parts', fix: /list at least one part/ },
  {
    given: 'a part named query',
    patches: [[agg('parts', 'query'), { service: 'users', path: '/q' }]],
    where: 'gateways.web.aggregates[0].parts.query',
    fix: /may not be named .*query/,
  },
  {
    given: 'a part name with a dot',
    patches: [[agg('parts', 'a.b'), { service: 'users', path: '/q' }]],
    where: 'gateways.web.aggregates[0].parts["a.b"]',
    fix: /a part name is a letter/,
  },
  {
    given: 'a fallback on a required part',
    patches: [[agg('parts', 'profile', 'fallback'), {}]],
    where: 'gateways.web.aggregates[0].parts.profile.fallback',
    fix: /only used by an optional part: add optional: true/,
  },
  { given: 'method POST', patches: [[agg('method'), 'POST']], where: 'gateways.web.aggregates[0].method', fix: /GET only/ },
  { given: 'the root path', patches: [[agg('path'), '/']], where: 'gateways.web.aggregates[0].path', fix: /at least one segment/ },
  {
    given: 'a greedy path parameter',
    patches: [[agg('path'), '/api/dashboard/{rest+}']],
    where: 'gateways.web.aggregates[0].path',
    fix: /whole \{name\} parameter .* no greedy \{name\+\}/,
  },
  {
    given: 'a parameter inside a segment',
    patches: [[agg('path'), '/api/v{version}/dashboard']],
    where: 'gateways.web.aggregates[0].path',
    fix: /whole \{name\} parameter/,
  },
  {
    given: 'a parameter name with a dash',
    patches: [[agg('path'), '/api/{order-id}/dashboard']],
    where: 'gateways.web.aggregates[0].path',
    fix: /whole \{name\} parameter/,
  },
  {
    given: 'a path parameter named twice',
    patches: [[agg('path'), '/api/{id}/dashboard/{id}']],
    where: 'gateways.web.aggregates[0].path',
    fix: /each path parameter name may appear once/,
  },
  {
    given: 'a part path without a leading slash',
    patches: [[agg('parts', 'profile', 'path'), 'users/{claims.sub}']],
    where: 'gateways.web.aggregates[0].parts.profile.path',
    fix: /starts with "\/"/,
  },
  {
    given: 'a part timeout of 28.5 s',
    patches: [[agg('parts', 'profile', 'timeoutMs'), 28_500]],
    where: 'gateways.web.aggregates[0].parts.profile.timeoutMs',
    fix: /at most 28000 ms/,
  },
  {
    given: 'a deadline of 29 s',
    patches: [[agg('deadlineMs'), 29_000]],
    where: 'gateways.web.aggregates[0].deadlineMs',
    fix: /deadlineMs must be at most 28000 ms/,
  },
  {
    given: 'a forwarded header with a colon',
    patches: [[agg('forwardHeaders'), ['x:y']]],
    where: 'gateways.web.aggregates[0].forwardHeaders[0]',
    fix: /header name/,
  },
  { given: 'select: []', patches: [[mobile('select'), []]], where: 'gateways.mobile.aggregates[0].select', fix: /list at least one path/ },
  {
    given: 'a misspelt field',
    patches: [[agg('part'), {}]],
    where: 'gateways.web.aggregates[0].part',
    fix: /unknown field "part" \(did you mean "parts"\?\)/,
  },
  {
    given: 'an unknown part service',
    patches: [[agg('parts', 'profile', 'service'), 'user']],
    where: 'gateways.web.aggregates[0].parts.profile.service',
    fix: /no service named "user" under services \(did you mean "users"\?\)/,
  },
  {
    given: 'a GET route on the aggregate path',
    patches: [[[...web, 'routes', 1], { service: 'users', paths: ['/api/dashboard'], methods: ['GET', 'POST'] }]],
    where: 'gateways.web.aggregates[0].path',
    fix: /GET \/api\/dashboard is already routed by routes\[1\]/,
  },
  {
    given: 'an ANY route on the aggregate path',
    patches: [[[...web, 'routes', 1], { service: 'users', paths: ['/api/dashboard'] }]],
    where: 'gateways.web.aggregates[0].path',
    fix: /already routed by routes\[1\]/,
  },
  {
    given: 'two aggregates with the same default name',
    patches: [[[...web, 'aggregates', 1], { path: '/v2/dashboard', parts: { a: { service: 'users', path: '/a' } } }]],
    where: 'gateways.web.aggregates[1].path',
    fix: /aggregate name "dashboard" is already used by aggregates\[0\]/,
  },
  {
    given: 'names that differ only in case and punctuation',
    patches: [
      [[...web, 'aggregates', 1], { name: 'Dash-board', path: '/v2/dashboard', parts: { a: { service: 'users', path: '/a' } } }],
      [agg('name'), 'dashboard'],
    ],
    where: 'gateways.web.aggregates[1].name',
    fix: /already used by aggregates\[0\]/,
  },
  {
    given: 'two aggregates on one path',
    patches: [[[...web, 'aggregates', 1], { name: 'other', path: '/api/dashboard', parts: { a: { service: 'users', path: '/a' } } }]],
    where: 'gateways.web.aggregates[1].path',
    fix: /already served by aggregates\[0\]/,
  },
  {
    given: 'a select path naming no part',
    patches: [[agg('select'), ['profil.name']]],
    where: 'gateways.web.aggregates[0].select[0]',
    fix: /does not start with a part name \(parts: profile, orders\) \(did you mean "profile"\?\)/,
  },
  {
    given: 'a {path.x} placeholder on a path without parameters',
    patches: [
      [agg('parts', 'profile', 'path'), '/users/{path.id}'],
      [['gateways', 'mobile'], REMOVE],
    ],
    where: 'gateways.web.aggregates[0].parts.profile.path',
    fix: /uses \{path\.id\}, which is not a parameter of \/api\/dashboard \(it has no parameters\): add a \{id\} segment/,
  },
  {
    given: 'a {path.x} placeholder naming another parameter than the path has',
    patches: [
      [agg('path'), '/api/users/{userId}/dashboard'],
      [agg('parts', 'profile', 'path'), '/users/{path.userid}'],
      [['gateways', 'mobile'], REMOVE],
    ],
    where: 'gateways.web.aggregates[0].parts.profile.path',
    fix: /\{path\.userid\}, which is not a parameter of \/api\/users\/\{userId\}\/dashboard \(its parameters are \{userId\}\) \(did you mean "userId"\?\)/,
  },
  {
    given: 'from reusing parts with {path.id} on a path without {id}',
    patches: [
      [agg('path'), '/api/orders/{id}/dashboard'],
      [agg('parts', 'profile', 'path'), '/users/{claims.sub}/orders/{path.id}'],
    ],
    where: 'gateways.mobile.aggregates[0].from',
    fix: /part "profile" uses \{path\.id\}, which is not a parameter of \/api\/dashboard/,
  },
  {
    given: 'two aggregates on one path that differ only in the parameter name',
    patches: [
      [agg('path'), '/api/orders/{id}/summary'],
      [['gateways', 'mobile'], REMOVE],
      [
        [...web, 'aggregates', 1],
        { name: 'other', path: '/api/orders/{orderId}/summary', parts: { a: { service: 'users', path: '/a/{path.orderId}' } } },
      ],
    ],
    where: 'gateways.web.aggregates[1].path',
    fix: /already served by aggregates\[0\]/,
  },
  {
    given: 'claims without auth: jwt',
    patches: [[agg('auth'), REMOVE]],
    where: 'gateways.web.aggregates[0].parts.profile.path',
    fix: /\{claims\.…\}, which come from the JWT: give this aggregate auth: jwt/,
  },
  {
    given: 'auth: jwt on a gateway without issuers',
    patches: [
      [[...web, 'auth'], REMOVE],
      [[...web, 'routes', 0, 'auth'], REMOVE],
    ],
    where: 'gateways.web.aggregates[0].auth',
    fix: /the gateway trusts no issuer/,
  },
  {
    given: 'apiKey on a gateway without plans',
    patches: [[agg('apiKey'), true]],
    where: 'gateways.web.aggregates[0].apiKey',
    fix: /the gateway has no plans/,
  },
  {
    given: 'from naming a misspelt aggregate',
    patches: [[mobile('from'), 'web.dashbord']],
    where: 'gateways.mobile.aggregates[0].from',
    fix: /no aggregate "web\.dashbord" .* \(did you mean "web\.dashboard"\?\)/,
  },
  {
    given: 'from without a dot',
    patches: [[mobile('from'), 'dashboard']],
    where: 'gateways.mobile.aggregates[0].from',
    fix: /<gateway>\.<aggregate name>/,
  },
  {
    given: 'from naming an aggregate that itself uses from',
    patches: [[['gateways', 'mobile', 'aggregates', 1], { path: '/api/slim', auth: 'jwt', from: 'mobile.dashboard' }]],
    where: 'gateways.mobile.aggregates[1].from',
    fix: /mobile\.dashboard itself comes from web\.dashboard/,
  },
  {
    given: "a select path naming none of the source's parts",
    patches: [[mobile('select'), ['user.name']]],
    where: 'gateways.mobile.aggregates[0].select[0]',
    fix: /parts: profile, orders/,
  },
  {
    given: 'from an aggregate using claims without auth: jwt',
    patches: [[mobile('auth'), REMOVE]],
    where: 'gateways.mobile.aggregates[0].from',
    fix: /give this aggregate auth: jwt/,
  },
  {
    given: 'a gateway with neither routes nor aggregates',
    patches: [[['gateways', 'mobile', 'aggregates'], []]],
    where: 'gateways.mobile.routes',
    fix: /a gateway needs at least one route or aggregate/,
  },
];

describe('aggregate fields and rules', () => {
  it('GIVEN the BFF fixture WHEN validated THEN it is accepted', () => {
    expect(() => validateConfig(bffSpec())).not.toThrow();
  });

  for (const c of cases) {
    it(`GIVEN ${c.given} WHEN the spec is validated THEN a ConfigError names ${c.where}`, () => {
      expectOnlyIssue(() => validateConfig(bffWith(...c.patches)), c.where, c.fix);
    });
  }
});

describe("the aggregator's own checks, at plan time", () => {
  const plan =
    (...patches: Patch[]) =>
    () =>
      planSpec(validateConfig(bffWith(...patches)));

  it('GIVEN two parts that wait for each other WHEN planned THEN a ConfigError names the part path and the cycle', () => {
    expectIssue(
      plan([agg('parts', 'profile', 'path'), '/users/{orders.owner}']),
      'gateways.web.aggregates[0].parts.profile.path',
      /depends on itself: profile → orders → profile/,
    );
  });

  it('GIVEN a placeholder naming neither a request source nor a part WHEN planned THEN a ConfigError names the part path', () => {
    expectIssue(
      plan([agg('parts', 'orders', 'path'), '/orders?user={user.id}']),
      'gateways.web.aggregates[0].parts.orders.path',
      /neither claims, path, query nor a part/,
    );
  });

  it('GIVEN a stray brace in a part path WHEN planned THEN a ConfigError names the part path', () => {
    expectIssue(
      plan([agg('parts', 'profile', 'path'), '/users/{claims.sub']),
      'gateways.web.aggregates[0].parts.profile.path',
      /bad placeholder/,
    );
  });

  it('GIVEN Accept in forwardHeaders WHEN planned THEN a ConfigError names forwardHeaders', () => {
    expectIssue(
      plan([agg('forwardHeaders'), ['Accept']]),
      'gateways.web.aggregates[0].forwardHeaders',
      /may not include accept: the aggregator sets it/,
    );
  });
});

describe('aggregate defaults', () => {
  const aggregate = (patches: Patch[] = []) => validateConfig(bffWith(...patches)).gateways.web!.aggregates[0]!;

  it('GIVEN an aggregate with only path and parts WHEN validated THEN GET, no key, compression from 1 KiB and a 256 MB function', () => {
    const a = aggregate([
      [agg('auth'), REMOVE],
      [agg('parts'), { a: { service: 'users', path: '/a' } }],
      [['gateways', 'mobile'], REMOVE],
    ]);
    expect(a).toEqual({
      path: '/api/dashboard',
      method: 'GET',
      apiKey: false,
      compressMinBytes: 1024,
      aggregator: { memoryMb: 256 },
      parts: { a: { service: 'users', path: '/a', optional: false } },
    });
  });

  it('GIVEN a templated path without a name WHEN validated THEN the name is its last literal segment, and a path of parameters only is named after the last one', () => {
    const named = (path: string) =>
      aggregateNameOf(
        aggregate([
          [agg('path'), path],
          [['gateways', 'mobile'], REMOVE],
        ]),
      );
    expect(named('/api/orders/{id}/summary')).toBe('summary');
    expect(named('/api/orders/{id}')).toBe('orders');
    expect(named('/{tenant}/{id}')).toBe('id');
  });

  it('GIVEN forwardHeaders in any case WHEN validated THEN they are lower-cased', () => {
    expect(aggregate([[agg('forwardHeaders'), ['X-Tenant', 'Authorization']]]).forwardHeaders).toEqual(['x-tenant', 'authorization']);
  });

  it("GIVEN no deadline, timeouts or forwardHeaders WHEN planned THEN parts take the services' timeouts and forward authorization and accept-language", () => {
    const config = planSpec(validateConfig(bffSpec())).gateways[0]!.aggregators[0]!.config;
    expect(config.parts.profile).toMatchObject({
      timeoutMs: 10_000,
      forwardHeaders: ['authorization', 'accept-language'],
      optional: false,
    });
    expect(config.parts.profile).not.toHaveProperty('fallback');
    expect(config.compressMinBytes).toBe(1024);
  });
});
