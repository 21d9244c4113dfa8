// The resilience fields of a service (service-schema.ts, service-rules.ts): every rejection names its field, every default is asserted.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../lib/config/load';
import { REMOVE, expectOnlyIssue, specWith, type Patch } from './fixtures';

const svc = ['services', 'users'] as const;
const at = (...rest: (string | number)[]) => [...svc, ...rest];

interface Case {
  readonly given: string;
  readonly patches: readonly Patch[];
  readonly where: string;
  readonly fix: RegExp;
}

const cases: Case[] = [
  {
    given: 'url and targets together',
    patches: [[at('targets'), [{ url: 'https://a' }]]],
    where: 'services.users.targets',
    fix: /either url .* or targets/,
  },
  {
    given: 'neither url nor targets',
    patches: [[at('url'), REMOVE]],
    where: 'services.users.url',
    fix: /required field is missing .* or a list of targets/,
  },
  {
    given: 'an empty targets list',
    patches: [
      [at('url'), REMOVE],
      [at('targets'), []],
    ],
    where: 'services.users.targets',
    fix: /list at least one target, or give a single url/,
  },
  {
    given: 'a target with an ftp url',
    patches: [
      [at('url'), REMOVE],
      [at('targets'), [{ url: 'ftp://a' }]],
    ],
    where: 'services.users.targets[0].url',
    fix: /absolute http:\/\/ or https:\/\//,
  },
  {
    given: 'a target name with a space',
    patches: [
      [at('url'), REMOVE],
      [at('targets'), [{ url: 'https://a', name: 'v 1' }]],
    ],
    where: 'services.users.targets[0].name',
    fix: /letters, digits/,
  },
  {
    given: 'a negative weight',
    patches: [
      [at('url'), REMOVE],
      [at('targets'), [{ url: 'https://a', weight: -1 }]],
    ],
    where: 'services.users.targets[0].weight',
    fix: /weight is ≥ 0/,
  },
  {
    given: 'a weight over 1000',
    patches: [
      [at('url'), REMOVE],
      [at('targets'), [{ url: 'https://a', weight: 1001 }]],
    ],
    where: 'services.users.targets[0].weight',
    fix: /at most 1000/,
  },
  {
    given: 'two targets with the same name',
    patches: [
      [at('url'), REMOVE],
      [
        at('targets'),
        [
          { url: 'https://a', name: 'v1' },
          { url: 'https://b', name: 'v1' },
        ],
      ],
    ],
    where: 'services.users.targets[1].name',
    fix: /"v1" is used twice/,
  },
  {
    given: 'an unnamed target colliding with a named t0',
    patches: [
      [at('url'), REMOVE],
      [at('targets'), [{ url: 'https://a' }, { url: 'https://b', name: 't0' }]],
    ],
    where: 'services.users.targets[1].name',
    fix: /"t0" is used twice/,
  },
  {
    given: 'every target at weight 0',
    patches: [
      [at('url'), REMOVE],
      [at('targets'), [{ url: 'https://a', weight: 0, match: { 'X-Api-Version': '1' } }]],
    ],
    where: 'services.users.targets',
    fix: /nowhere to go/,
  },
  {
    given: 'two targets pinned by the same header value',
    patches: [
      [at('url'), REMOVE],
      [
        at('targets'),
        [
          { url: 'https://a', match: { 'X-Api-Version': '2' } },
          { url: 'https://b', match: { 'x-api-version': '2' } },
        ],
      ],
    ],
    where: 'services.users.targets[1].match["x-api-version"]',
    fix: /already pins requests to targets\[0\]/,
  },
  {
    given: 'a match header with a colon',
    patches: [
      [at('url'), REMOVE],
      [at('targets'), [{ url: 'https://a', match: { 'X:Y': '2' } }]],
    ],
    where: 'services.users.targets[0].match["X:Y"]',
    fix: /header name/,
  },
  {
    given: 'two targets pinned by the same query value',
    patches: [
      [at('url'), REMOVE],
      [
        at('targets'),
        [
          { url: 'https://a', match: { query: { version: '2' } } },
          { url: 'https://b', match: { query: { version: '2' } } },
        ],
      ],
    ],
    where: 'services.users.targets[1].match.query.version',
    fix: /query version=2 already pins requests to targets\[0\]/,
  },
  {
    given: 'a query pin given as a plain value',
    patches: [
      [at('url'), REMOVE],
      [at('targets'), [{ url: 'https://a', match: { query: '2' } }]],
    ],
    where: 'services.users.targets[0].match.query',
    fix: /record|object/,
  },
  {
    given: 'an empty query pin',
    patches: [
      [at('url'), REMOVE],
      [at('targets'), [{ url: 'https://a', match: { query: {} } }]],
    ],
    where: 'services.users.targets[0].match.query',
    fix: /list at least one query parameter/,
  },
  {
    given: 'a query pin with an empty value',
    patches: [
      [at('url'), REMOVE],
      [at('targets'), [{ url: 'https://a', match: { query: { version: '' } } }]],
    ],
    where: 'services.users.targets[0].match.query.version',
    fix: />=1 characters/,
  },
  {
    given: 'a failureRate of 0',
    patches: [[at('circuitBreaker'), { failureRate: 0 }]],
    where: 'services.users.circuitBreaker.failureRate',
    fix: />=1/,
  },
  {
    given: 'a window of 2 hours',
    patches: [[at('circuitBreaker'), { windowSeconds: 7200 }]],
    where: 'services.users.circuitBreaker.windowSeconds',
    fix: /<=3600/,
  },
  {
    given: 'a breaker state "redis"',
    patches: [[at('circuitBreaker'), { state: 'redis' }]],
    where: 'services.users.circuitBreaker.state',
    fix: /"shared"\|"local"/,
  },
  {
    given: 'a failure status of 700',
    patches: [[at('circuitBreaker'), { failureStatuses: [700] }]],
    where: 'services.users.circuitBreaker.failureStatuses[0]',
    fix: /HTTP status from 100 to 599/,
  },
  { given: '11 retries', patches: [[at('retries'), { attempts: 11 }]], where: 'services.users.retries.attempts', fix: /<=10/ },
  {
    given: 'a retry on 200',
    patches: [[at('retries'), { onStatuses: [200] }]],
    where: 'services.users.retries.onStatuses[0]',
    fix: /retry only on error statuses/,
  },
  {
    given: 'maxDelayMs below baseDelayMs',
    patches: [[at('retries'), { baseDelayMs: 500, maxDelayMs: 100 }]],
    where: 'services.users.retries.maxDelayMs',
    fix: /must not be below baseDelayMs \(500\)/,
  },
  {
    given: 'a retry budget over 100 %',
    patches: [[at('retries'), { budgetPercent: 150 }]],
    where: 'services.users.retries.budgetPercent',
    fix: /<=100/,
  },
  {
    given: 'a fallback with json and body',
    patches: [[at('fallback'), { json: {}, body: 'x' }]],
    where: 'services.users.fallback.body',
    fix: /either json or body/,
  },
  {
    given: 'a fallback status of 99',
    patches: [[at('fallback'), { status: 99 }]],
    where: 'services.users.fallback.status',
    fix: /HTTP status from 100 to 599/,
  },
  {
    given: 'lastGood without ttlSeconds',
    patches: [[at('lastGood'), {}]],
    where: 'services.users.lastGood.ttlSeconds',
    fix: /required field is missing/,
  },
  {
    given: 'lastGood kept over a day',
    patches: [[at('lastGood'), { ttlSeconds: 86_401 }]],
    where: 'services.users.lastGood.ttlSeconds',
    fix: /<=86400/,
  },
  {
    given: 'a lastGood vary header with a colon',
    patches: [[at('lastGood'), { ttlSeconds: 60, varyHeaders: ['X-Auth-Token:'] }]],
    where: 'services.users.lastGood.varyHeaders[0]',
    fix: /header name uses letters/,
  },
  {
    given: 'a lastGood vary header listed twice',
    patches: [[at('lastGood'), { ttlSeconds: 60, varyHeaders: ['X-Auth-Token', 'x-auth-token'] }]],
    where: 'services.users.lastGood.varyHeaders',
    fix: /list each header once/,
  },
  {
    given: 'lastGood sharedAnswers as a string',
    patches: [[at('lastGood'), { ttlSeconds: 60, sharedAnswers: 'yes' }]],
    where: 'services.users.lastGood.sharedAnswers',
    fix: /expected boolean/,
  },
  { given: 'a proxy with 64 MB', patches: [[at('proxy'), { memoryMb: 64 }]], where: 'services.users.proxy.memoryMb', fix: />=128/ },
  {
    given: 'a VPC subnet id without subnet-',
    patches: [[at('proxy'), { vpc: { subnetIds: ['abc'], securityGroupIds: ['sg-1'] } }]],
    where: 'services.users.proxy.vpc.subnetIds[0]',
    fix: /subnet-0123456789abcdef0/,
  },
  {
    given: 'a VPC without security groups',
    patches: [[at('proxy'), { vpc: { subnetIds: ['subnet-1'], securityGroupIds: [] } }]],
    where: 'services.users.proxy.vpc.securityGroupIds',
    fix: /list at least one security group/,
  },
  {
    given: 'an unknown transform operation',
    patches: [[at('transform'), { response: { delete: { headers: ['X'] } } }]],
    where: 'services.users.transform.response.delete',
    fix: /unknown field "delete"/,
  },
  {
    given: 'a response querystring operation',
    patches: [[at('transform'), { response: { remove: { querystring: ['a'] } } }]],
    where: 'services.users.transform.response.remove.querystring',
    fix: /unknown field/,
  },
  {
    given: 'an empty remove list',
    patches: [[at('transform'), { request: { remove: { headers: [] } } }]],
    where: 'services.users.transform.request.remove.headers',
    fix: /list at least one name/,
  },
  {
    given: 'a path rewrite without a leading slash',
    patches: [[at('transform'), { request: { path: [{ match: 'api/{id}', to: '/x' }] } }]],
    where: 'services.users.transform.request.path[0].match',
    fix: /starts with "\/"/,
  },
];

describe('service resilience fields', () => {
  for (const c of cases) {
    it(`GIVEN ${c.given} WHEN the spec is validated THEN a ConfigError names ${c.where}`, () => {
      expectOnlyIssue(() => validateConfig(specWith(...c.patches)), c.where, c.fix);
    });
  }
});

describe('service resilience defaults', () => {
  const service = (patches: Patch[]) => validateConfig(specWith(...patches)).services.users!;

  it("GIVEN a circuitBreaker: {} WHEN validated THEN it takes the issue's values, one probe and shared state", () => {
    expect(service([[at('circuitBreaker'), {}]]).circuitBreaker).toEqual({
      failureRate: 50,
      minimumRequests: 20,
      windowSeconds: 30,
      openSeconds: 30,
      halfOpenProbes: 1,
      state: 'shared',
    });
  });

  it('GIVEN retries: {} WHEN validated THEN 2 retries, 50 ms doubling to 1 s, on 502/503/504, within a 10 % budget', () => {
    expect(service([[at('retries'), {}]]).retries).toEqual({
      attempts: 2,
      baseDelayMs: 50,
      maxDelayMs: 1000,
      onStatuses: [502, 503, 504],
      budgetPercent: 10,
    });
  });

  it('GIVEN fallback: {} WHEN validated THEN a 503 with no extra headers', () => {
    expect(service([[at('fallback'), {}]]).fallback).toEqual({ status: 503, headers: {} });
  });

  it('GIVEN lastGood with only ttlSeconds WHEN validated THEN 100 entries of up to 256 KB each, no extra vary headers, answers not declared shared', () => {
    expect(service([[at('lastGood'), { ttlSeconds: 60 }]]).lastGood).toEqual({
      ttlSeconds: 60,
      maxEntries: 100,
      maxBodyKb: 256,
      varyHeaders: [],
      sharedAnswers: false,
    });
  });

  it('GIVEN a pin by header and by query on one target WHEN validated THEN both are kept as written, query names and values untouched', () => {
    const spec = validateConfig(
      specWith([at('url'), REMOVE], [at('targets'), [{ url: 'https://a', match: { 'X-Api-Version': '2', query: { Version: 'V2' } } }]]),
    );
    expect(spec.services.users!.targets![0]!.match).toEqual({ 'X-Api-Version': '2', query: { Version: 'V2' } });
  });

  it('GIVEN targets without weights WHEN validated THEN each weighs 1 (equal shares)', () => {
    expect(
      service([
        [at('url'), REMOVE],
        [at('targets'), [{ url: 'https://a' }, { url: 'https://b' }]],
      ]).targets!.map((t) => t.weight),
    ).toEqual([1, 1]);
  });

  it('GIVEN a response transform WHEN validated THEN xmlToJson is off', () => {
    expect(
      service([[at('transform'), { response: { remove: { headers: ['X-Internal-Trace-Id'] } } }]]).transform!.response!.xmlToJson,
    ).toBe(false);
  });

  it("GIVEN the article's response-transformer as written for Kong WHEN validated THEN it is accepted unchanged", () => {
    const remove = { headers: ['X-Internal-Trace-Id'], json: ['internal_metadata'] };
    expect(service([[at('transform'), { response: { remove } }]]).transform!.response!.remove).toEqual(remove);
  });

  it('GIVEN no proxy settings WHEN validated THEN the proxy gets 256 MB, no reserved concurrency and no VPC', () => {
    expect(service([]).proxy).toEqual({ memoryMb: 256 });
  });

  it('GIVEN header values given as numbers in append WHEN validated THEN they become strings', () => {
    expect(
      service([[at('transform'), { request: { append: { headers: { 'X-Version': 2 } } } }]]).transform!.request!.append!.headers,
    ).toEqual({ 'X-Version': '2' });
  });
});

describe('transform checks at synth', () => {
  const transformCases: Case[] = [
    {
      given: 'an empty JSON path segment',
      patches: [[at('transform'), { response: { remove: { json: ['a..b'] } } }]],
      where: 'services.users.transform.response.remove.json[0]',
      fix: /./,
    },
    {
      given: 'a rewrite using a name its pattern does not capture',
      patches: [[at('transform'), { request: { path: [{ match: '/api/{id}', to: '/v2/{other}' }] } }]],
      where: 'services.users.transform.request.path[0].to',
      fix: /other/,
    },
    {
      given: 'a transform setting the Host header',
      patches: [[at('transform'), { request: { set: { headers: { Host: 'evil.example.com' } } } }]],
      where: 'services.users.transform.request.set.headers.Host',
      fix: /must not write Host/,
    },
  ];
  for (const c of transformCases) {
    it(`GIVEN ${c.given} WHEN the spec is validated THEN a ConfigError names ${c.where}`, () => {
      expectOnlyIssue(() => validateConfig(specWith(...c.patches)), c.where, c.fix);
    });
  }
});
