// Loading YAML the way real configs are written: aliases, merge keys, x- extensions, encodings, broken names.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config/errors';
import { MAX_ALIAS_COUNT, loadConfig, parseConfig, validateConfig } from '../../lib/config/load';
import { parsePath, sourceOf } from '../../lib/config/source';
import { catchSpecError, expectIssue, expectOnlyIssue } from './fixtures';

const lines = (...ls: string[]): string => `${ls.join('\n')}\n`;
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-load-yaml-'));

describe('aliases', () => {
  it('GIVEN an alias with no anchor WHEN parsed THEN a syntax problem names the alias at its line, not a ReferenceError', () => {
    const yaml = lines('services:', '  users:', '    url: *nowhere', 'gateways: {}');
    const issue = expectOnlyIssue(
      () => parseConfig(yaml, 'gw.yaml'),
      '(syntax)',
      /^alias \*nowhere names no anchor: define &nowhere earlier/,
    );
    expect(issue).toMatchObject({ file: 'gw.yaml', line: 3, column: 10 });
  });

  it('GIVEN one anchor used by 150 routes WHEN parsed THEN every route gets the aliased throttle', () => {
    const routes = Array.from({ length: 150 }, (_, i) => [
      `      - service: users`,
      `        paths: [/r${i}]`,
      '        throttle: *t',
    ]).flat();
    const yaml = lines(
      'services:',
      '  users: { url: "https://u.example.com" }',
      'gateways:',
      '  public:',
      '    stage:',
      '      throttle: &t { rate: 5, burst: 10 }',
      '    routes:',
      ...routes,
    );
    const spec = parseConfig(yaml);
    expect(spec.gateways.public!.routes).toHaveLength(150);
    expect(spec.gateways.public!.routes[149]!.throttle).toEqual({ rate: 5, burst: 10 });
  });

  it('GIVEN an alias bomb WHEN parsed THEN it is a config error at the first alias, not a crash', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(10)
          .fill(`*${'abcdefghij'[i - 1]}`)
          .join(', ')}]`,
      );
    const issue = expectOnlyIssue(
      () => parseConfig(lines(...bomb)),
      '(syntax)',
      new RegExp(`^aliases expand to more than ${MAX_ALIAS_COUNT} nodes`),
    );
    expect(issue).toMatchObject({ line: 2, column: 8 });
  });
});

describe('merge keys', () => {
  it('GIVEN `<<: *base` in a service and a route WHEN parsed THEN the base fields are merged and local ones win', () => {
    const yaml = lines(
      'x-defaults:',
      '  service: &svc { timeoutMs: 3000, url: "https://default.example.com" }',
      'services:',
      '  users:',
      '    <<: *svc',
      '    url: https://users.example.com',
      'gateways:',
      '  public:',
      '    routes:',
      '      - service: users',
      '        paths: [/api/users]',
    );
    const spec = parseConfig(yaml);
    expect(spec.services.users).toMatchObject({ timeoutMs: 3000, url: 'https://users.example.com' });
  });

  it('GIVEN a merged field that is wrong WHEN parsed THEN the problem points at the object that merged it', () => {
    const yaml = lines(
      'x-base: &b { timeoutMs: -1 }',
      'services:',
      '  users:',
      '    <<: *b',
      '    url: https://u.example.com',
      'gateways:',
      '  public:',
      '    routes: [{ service: users, paths: [/a] }]',
    );
    const issue = expectIssue(() => parseConfig(yaml), 'services.users.timeoutMs', /./);
    expect(issue.line).toBe(3);
  });
});

describe('x- extension keys', () => {
  const yaml = lines(
    'x-team: payments', //                                    1
    'services:', //                                           2
    '  x-users: { url: "https://x-users.example.com" }', //   3  a service *named* x-users is a service, not an extension
    '  users:', //                                            4
    '    url: https://users.example.com', //                  5
    '    x-owner: alice', //                                  6
    'gateways:', //                                           7
    '  public:', //                                           8
    '    x-note: reviewed', //                                9
    '    routes:', //                                         10
    '      - service: x-users', //                            11
    '        paths: [/api/users]', //                         12
    '        x-ticket: GH-17', //                             13
  );

  it('GIVEN x- keys at the top and inside objects WHEN parsed THEN they are ignored and listed, and names starting x- stay', () => {
    const spec = parseConfig(yaml, 'gw.yaml');
    expect(Object.keys(spec.services)).toEqual(['x-users', 'users']);
    expect([...(sourceOf(spec)?.extensions ?? [])].sort()).toEqual([
      '["x-team"]',
      'gateways.public.routes[0]["x-ticket"]',
      'gateways.public["x-note"]',
      'services.users["x-owner"]',
    ]);
  });

  it('GIVEN a key that is not x- WHEN parsed THEN it is still an unknown field', () => {
    expectOnlyIssue(() => parseConfig(yaml.replace('x-owner', 'owner')), 'services.users.owner', /^unknown field "owner"/);
  });

  it('GIVEN a loaded spec validated again (as the Gatehouse construct does) THEN it keeps its file and positions', () => {
    const spec = validateConfig(parseConfig(yaml, 'gw.yaml'));
    expect(sourceOf(spec)?.file).toBe('gw.yaml');
    expect(sourceOf(spec)?.positionOf(['gateways', 'public', 'routes', 0, 'paths'])).toEqual({ line: 12, column: 9 });
  });
});

describe('names that are invalid', () => {
  it('GIVEN a gateway with an invalid name and a bad route WHEN parsed THEN both problems are reported', () => {
    const yaml = lines(
      'services:',
      '  users: { url: "https://u.example.com" }',
      'gateways:',
      '  public_api:',
      '    routes:',
      '      - service: users',
      '        paths: [api]',
    );
    const err = catchSpecError(() => parseConfig(yaml, 'gw.yaml'));
    expect(err.issues.map((i) => [i.where, i.line])).toEqual([
      ['gateways.public_api', 4],
      ['gateways.public_api.routes[0].paths[0]', 7],
    ]);
    expect(err.issues[0]!.message).toMatch(/^invalid name: use letters, digits and "-"/);
  });
});

describe('encodings', () => {
  it('GIVEN a Latin-1 byte on line 3 WHEN loaded THEN the problem is at that byte, not a silent U+FFFD', () => {
    const file = join(dir, 'latin1.yaml');
    writeFileSync(
      file,
      Buffer.concat([Buffer.from('services:\n  users:\n    url: https://caf'), Buffer.from([0xe9]), Buffer.from('.example.com\n')]),
    );
    const issue = expectOnlyIssue(() => loadConfig(file), '(encoding)', /^byte 0xe9 is not UTF-8; save the file as UTF-8/);
    expect(issue).toMatchObject({ line: 3, column: 21 });
  });

  it('GIVEN UTF-8 text with accents WHEN loaded THEN it loads', () => {
    const file = join(dir, 'utf8.yaml');
    writeFileSync(
      file,
      lines(
        'services:',
        '  users: { url: "https://u.example.com", description: "café" }',
        'gateways:',
        '  public:',
        '    routes: [{ service: users, paths: [/a] }]',
      ),
    );
    expect(() => loadConfig(file)).not.toThrow(/encoding/);
  });
});

describe('ConfigError as a user app prints it', () => {
  it('GIVEN an uncaught ConfigError WHEN Node inspects it THEN it shows the message, not a dump of the issues', () => {
    const err = new ConfigError([
      { path: ['services'], where: 'services', file: 'gw.yaml', line: 2, column: 1, message: 'define at least one service' },
    ]);
    expect(String(err)).toBe('Invalid Gatehouse config (1 problem):\n  gw.yaml:2:1 services: define at least one service');
    expect(inspect(err)).not.toMatch(/issues:|GATEHOUSE_INVALID_SPEC/);
    expect(err.issues).toHaveLength(1);
    expect(err.code).toBe('GATEHOUSE_INVALID_SPEC');
  });
});

describe('parsePath', () => {
  it('GIVEN a printed path WHEN parsed THEN it gives back the parts', () => {
    expect(parsePath('gateways.public.routes[2]["x-a"].methods')).toEqual(['gateways', 'public', 'routes', 2, 'x-a', 'methods']);
    expect(parsePath('(top level)')).toEqual([]);
  });
});
