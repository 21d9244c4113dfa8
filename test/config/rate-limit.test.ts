// Route rate limits in the spec: every rejection names its field; defaults asserted.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../lib/config/load';
import { expectOnlyIssue, specWith, type Patch } from './fixtures';

const limitAt = ['gateways', 'public', 'routes', 0, 'rateLimit'] as const;
const at = (...rest: (string | number)[]) => [...limitAt, ...rest];

const cases: [given: string, patches: Patch[], where: string, fix: RegExp][] = [
  ['no window', [[limitAt, { by: 'ip' }]], 'gateways.public.routes[0].rateLimit', /set at least one window: second, minute, hour or day/],
  ['a minute limit of 0', [[limitAt, { minute: 0 }]], 'gateways.public.routes[0].rateLimit.minute', /minute must be at least 1 request/],
  ['a fractional hour limit', [[limitAt, { hour: 1.5 }]], 'gateways.public.routes[0].rateLimit.hour', /hour is a whole number of requests/],
  [
    'by: user',
    [[limitAt, { minute: 1, by: 'user' }]],
    'gateways.public.routes[0].rateLimit.by',
    /consumer, ip, apiKey or header:<Header-Name>/,
  ],
  [
    'by: header: without a name',
    [[limitAt, { minute: 1, by: 'header:' }]],
    'gateways.public.routes[0].rateLimit.by',
    /header:<Header-Name>/,
  ],
  ['failOpen: "yes"', [[limitAt, { minute: 1, failOpen: 'yes' }]], 'gateways.public.routes[0].rateLimit.failOpen', /expected boolean/],
  ['an unknown window "week"', [[limitAt, { minute: 1, week: 10 }]], 'gateways.public.routes[0].rateLimit.week', /unknown field "week"/],
  [
    'an hour limit below the minute limit',
    [[limitAt, { minute: 100, hour: 50 }]],
    'gateways.public.routes[0].rateLimit.hour',
    /hour \(50\) is below minute \(100\), so the minute limit could never be reached/,
  ],
  [
    'a day limit below the second limit',
    [[limitAt, { second: 10, day: 5 }]],
    'gateways.public.routes[0].rateLimit.day',
    /day \(5\) is below second \(10\)/,
  ],
  [
    'by: apiKey on a route without apiKey',
    [[limitAt, { minute: 1, by: 'apiKey' }]],
    'gateways.public.routes[0].rateLimit.by',
    /needs a keyed route \(apiKey: true\)/,
  ],
];

describe('route rateLimit', () => {
  for (const [given, patches, where, fix] of cases) {
    it(`GIVEN ${given} WHEN the spec is validated THEN a ConfigError names ${where}`, () => {
      expectOnlyIssue(() => validateConfig(specWith(...patches)), where, fix);
    });
  }

  it('GIVEN only a window WHEN validated THEN it counts per consumer, fails open and shows its headers', () => {
    const route = validateConfig(specWith([at(), { minute: 100 }])).gateways.public!.routes[0]!;
    expect(route.rateLimit).toEqual({ minute: 100, by: 'consumer', failOpen: true, hideHeaders: false });
  });

  it("GIVEN the Kong example's minute: 100, hour: 5000 WHEN validated THEN both windows are kept", () => {
    const route = validateConfig(specWith([at(), { minute: 100, hour: 5000, by: 'header:X-Tenant' }])).gateways.public!.routes[0]!;
    expect(route.rateLimit).toMatchObject({ minute: 100, hour: 5000, by: 'header:X-Tenant' });
  });

  it('GIVEN equal limits in two windows WHEN validated THEN it is accepted (the longer one is merely redundant)', () => {
    expect(() => validateConfig(specWith([at(), { minute: 100, hour: 100 }]))).not.toThrow();
  });
});
