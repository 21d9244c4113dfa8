// Loading: YAML and JSON text, file:line:col of each issue, syntax errors, files that cannot be read.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig, validateConfig } from '../../lib/config/load';
import { catchSpecError, expectIssue, expectOnlyIssue, minimalSpec } from './fixtures';

/** Joins lines with "\n"; the array index + 1 is the line number the assertions use. */
const lines = (...ls: string[]): string => `${ls.join('\n')}\n`;

const MINIMAL_YAML = lines(
  'services:', //                          1
  '  users:', //                           2
  '    url: https://users.internal:8080', // 3
  'gateways:', //                          4
  '  public:', //                          5
  '    routes:', //                        6
  '      - service: users', //             7
  '        paths: [/api/users]', //        8
);

describe('parseConfig on valid text', () => {
  it('GIVEN the minimal spec as YAML WHEN parsed THEN it equals the validated object', () => {
    expect(parseConfig(MINIMAL_YAML)).toEqual(validateConfig(minimalSpec()));
  });

  it('GIVEN the minimal spec as compact JSON WHEN parsed THEN it equals the validated object', () => {
    expect(parseConfig(JSON.stringify(minimalSpec()), 'gatehouse.json')).toEqual(validateConfig(minimalSpec()));
  });

  it('GIVEN the minimal spec as indented JSON WHEN parsed THEN it equals the validated object', () => {
    expect(parseConfig(JSON.stringify(minimalSpec(), null, 2), 'gatehouse.json')).toEqual(validateConfig(minimalSpec()));
  });

  it('GIVEN YAML with comments, anchors and aliases WHEN parsed THEN the aliased values are used', () => {
    const yaml = lines(
      '# shared throttle',
      'services:',
      '  users: { url: "https://users.internal:8080" }',
      'gateways:',
      '  public:',
      '    stage:',
      '      throttle: &slow { rate: 5, burst: 10 }',
      '    routes:',
      '      - service: users',
      '        paths: [/api/users]',
      '        throttle: *slow',
    );
    const spec = parseConfig(yaml);
    expect(spec.gateways.public!.routes[0]!.throttle).toEqual({ rate: 5, burst: 10 });
    expect(spec.gateways.public!.stage.throttle).toEqual({ rate: 5, burst: 10 });
  });
});

describe('positions of schema problems in YAML', () => {
  const yaml = lines(
    'services:', //                          1
    '  users:', //                           2
    '    url: https://users.internal:8080', // 3
    '    timout: 5000', //                   4
    'gateways:', //                          5
    '  public:', //                          6
    '    routes:', //                        7
    '      - service: users', //             8
    '        paths: [/api/users]', //        9
    '        methods: [GET, FETCH]', //      10
  );
  const run = () => parseConfig(yaml, 'gw.yaml');

  it('GIVEN a YAML spec with two problems WHEN parsed THEN one ConfigError reports both, with the "2 problems" header', () => {
    const err = catchSpecError(run);
    expect(err.issues).toHaveLength(2);
    expect(err.message.split('\n')[0]).toBe('Invalid Gatehouse config (2 problems):');
  });

  it('GIVEN an unknown key on line 4 WHEN parsed THEN its issue points at gw.yaml:4:5, the key itself', () => {
    const issue = expectIssue(run, 'services.users.timout', /did you mean "timeoutMs"/);
    expect(issue).toMatchObject({ file: 'gw.yaml', line: 4, column: 5 });
    expect(catchSpecError(run).message).toContain('  gw.yaml:4:5 services.users.timout: unknown field "timout"');
  });

  it('GIVEN a bad method as the second item of a flow list on line 10 WHEN parsed THEN its issue points at gw.yaml:10:24, the item itself', () => {
    const issue = expectIssue(run, 'gateways.public.routes[0].methods[1]', /a method is one of GET/);
    expect(issue).toMatchObject({ file: 'gw.yaml', line: 10, column: 24 });
    expect(catchSpecError(run).message).toContain('  gw.yaml:10:24 gateways.public.routes[0].methods[1]: ');
  });

  it('GIVEN no file name WHEN YAML text is parsed THEN issues are labelled gatehouse.yaml', () => {
    const issue = expectIssue(() => parseConfig(yaml), 'services.users.timout', /unknown field/);
    expect(issue.file).toBe('gatehouse.yaml');
  });
});

describe('positions of missing fields and bad names in YAML', () => {
  const yaml = lines(
    'services:', //                1
    '  users:', //                 2
    '    timeoutMs: 100', //       3
    '  bad_name:', //              4
    '    url: https://x.internal', // 5
    'gateways:', //                6
    '  public:', //                7
    '    routes:', //              8
    '      - paths: [/api/users]', // 9
    '        name: r', //          10
  );
  const run = () => parseConfig(yaml, 'gw.yaml');

  it('GIVEN a service without url WHEN parsed THEN the issue points at the service key on line 2', () => {
    expect(expectIssue(run, 'services.users.url', /required field is missing/)).toMatchObject({ line: 2, column: 3 });
  });

  it('GIVEN a badly named service WHEN parsed THEN the issue points at the name on line 4', () => {
    expect(expectIssue(run, 'services.bad_name', /invalid name/)).toMatchObject({ line: 4, column: 3 });
  });

  it('GIVEN a route item without service WHEN parsed THEN the issue points at the start of the item on line 9', () => {
    expect(expectIssue(run, 'gateways.public.routes[0].service', /required field is missing/)).toMatchObject({ line: 9, column: 9 });
  });

  it('GIVEN three problems WHEN parsed THEN the header says "3 problems"', () => {
    expect(catchSpecError(run).message).toMatch(/^Invalid Gatehouse config \(3 problems\):\n/);
  });

  it('GIVEN a service whose value is empty (null) WHEN parsed THEN the issue names the service and points at its key', () => {
    const yaml2 = lines('services:', '  users:', 'gateways:', '  public:', '    routes: [{ service: users, paths: [/a] }]');
    const issue = expectOnlyIssue(() => parseConfig(yaml2, 'gw.yaml'), 'services.users', /expected object, received null/);
    expect(issue).toMatchObject({ line: 2, column: 3 });
  });

  // Exposes a bug in load.ts offsetOf: a YAML key that parses as a number (123) never equals the path's string "123".
  it('GIVEN a service named 123 on line 4 WHEN parsed THEN the invalid-name issue points at that key, line 4', () => {
    const yaml3 = lines(
      'services:', //                            1
      '  users:', //                             2
      '    url: https://users.internal:8080', //  3
      '  123:', //                               4
      '    url: https://x.internal', //           5
      'gateways:', //                            6
      '  public:', //                            7
      '    routes: [{ service: users, paths: [/a] }]', // 8
    );
    const issue = expectOnlyIssue(
      () => parseConfig(yaml3, 'gw.yaml'),
      'services["123"]',
      /invalid name: use letters, digits and "-", starting with a letter/,
    );
    expect(issue).toMatchObject({ line: 4, column: 3 });
  });
});

describe('positions of rule problems in YAML', () => {
  const yaml = lines(
    'services:', //                          1
    '  users:', //                           2
    '    url: https://users.internal:8080', // 3
    'gateways:', //                          4
    '  public:', //                          5
    '    routes:', //                        6
    '      - service: user', //              7
    '        paths: [/api/users]', //        8
    '        apiKey: true', //               9
    '    consumers:', //                     10
    '      acme:', //                        11
    '        plans: [standard]', //          12
  );
  const run = () => parseConfig(yaml, 'gw.yaml');

  it('GIVEN three cross-field problems WHEN parsed THEN all three are reported with the "3 problems" header', () => {
    const err = catchSpecError(run);
    expect(err.issues).toHaveLength(3);
    expect(err.message).toMatch(/^Invalid Gatehouse config \(3 problems\):\n/);
  });

  it('GIVEN an unknown service on line 7 WHEN parsed THEN the issue points at the service key, 7:9', () => {
    expect(expectIssue(run, 'gateways.public.routes[0].service', /did you mean "users"/)).toMatchObject({
      file: 'gw.yaml',
      line: 7,
      column: 9,
    });
  });

  it('GIVEN apiKey without plans on line 9 WHEN parsed THEN the issue points at the apiKey key, 9:9', () => {
    expect(expectIssue(run, 'gateways.public.routes[0].apiKey', /no plans/)).toMatchObject({ line: 9, column: 9 });
  });

  it('GIVEN an unknown plan in a flow list on line 12 WHEN parsed THEN the issue points at the list item, 12:17', () => {
    expect(expectIssue(run, 'gateways.public.consumers.acme.plans[0]', /no plan named "standard"/)).toMatchObject({ line: 12, column: 17 });
  });
});

describe('positions in JSON text', () => {
  const json = lines(
    '{', //                                                      1
    '  "services": {', //                                        2
    '    "users": { "url": "https://users.internal:8080" }', //   3
    '  },', //                                                   4
    '  "gateways": {', //                                        5
    '    "public": {', //                                        6
    '      "routes": [', //                                      7
    '        { "service": "users", "paths": ["/api/users"],', // 8
    '          "methods": ["GET", "GET"] }', //                  9
    '      ],', //                                               10
    '      "stgae": {}', //                                      11
    '    }', //                                                  12
    '  }', //                                                    13
    '}', //                                                      14
  );
  const run = () => parseConfig(json, 'gatehouse.json');

  it('GIVEN JSON with an unknown key on line 11 WHEN parsed THEN the issue points at gatehouse.json:11:7 and suggests "stage"', () => {
    const issue = expectIssue(run, 'gateways.public.stgae', /unknown field "stgae" \(did you mean "stage"\?\)/);
    expect(issue).toMatchObject({ file: 'gatehouse.json', line: 11, column: 7 });
  });

  it('GIVEN JSON with a duplicated method on line 9 WHEN parsed THEN the issue points at the methods key, 9:11', () => {
    const issue = expectIssue(run, 'gateways.public.routes[0].methods', /a method is listed twice/);
    expect(issue).toMatchObject({ line: 9, column: 11 });
  });
});

describe('YAML syntax errors', () => {
  const duplicateKey = lines(
    'services:', //                1
    '  users:', //                 2
    '    url: https://a.internal', // 3
    '    url: https://b.internal', // 4
  );

  it('GIVEN a YAML map with a duplicate key WHEN parsed THEN a (syntax) issue for the file says map keys must be unique', () => {
    expectOnlyIssue(() => parseConfig(duplicateKey, 'gw.yaml'), '(syntax)', /Map keys must be unique/);
    expect(catchSpecError(() => parseConfig(duplicateKey, 'gw.yaml')).issues[0]).toMatchObject({ path: [], file: 'gw.yaml' });
  });

  // Exposes a bug in load.ts parseConfig: with prettyErrors: false the yaml library never sets `linePos`, so line/column are always undefined.
  it('GIVEN a duplicate key on line 4 WHEN parsed THEN the (syntax) issue points at gw.yaml:4:5', () => {
    const issue = expectOnlyIssue(() => parseConfig(duplicateKey, 'gw.yaml'), '(syntax)', /Map keys must be unique/);
    expect(issue).toMatchObject({ file: 'gw.yaml', line: 4, column: 5 });
    expect(catchSpecError(() => parseConfig(duplicateKey, 'gw.yaml')).message).toContain('gw.yaml:4:5 (syntax): ');
  });

  // Same bug as above: no line/column on any syntax error.
  it('GIVEN a tab used as indentation on line 2 WHEN parsed THEN the (syntax) issue says tabs are not allowed, at line 2', () => {
    const issue = expectOnlyIssue(
      () => parseConfig('services:\n\tusers: {}\n', 'gw.yaml'),
      '(syntax)',
      /Tabs are not allowed as indentation/,
    );
    expect(issue).toMatchObject({ line: 2, column: 1 });
  });

  it('GIVEN an unclosed flow sequence WHEN parsed THEN a (syntax) issue asks for the closing ]', () => {
    expectOnlyIssue(() => parseConfig('services:\n  users: [\n', 'gw.yaml'), '(syntax)', /end with a \]/);
  });

  it('GIVEN two YAML documents in one file WHEN parsed THEN a (syntax) issue says the source has multiple documents', () => {
    expectOnlyIssue(() => parseConfig(lines('services: {}', '---', 'gateways: {}'), 'gw.yaml'), '(syntax)', /multiple documents/);
  });

  it('GIVEN JSON missing a closing brace WHEN parsed THEN a (syntax) issue asks for the closing }', () => {
    expectOnlyIssue(() => parseConfig('{"services": {"users": {"url": "https://x"}}', 'gatehouse.json'), '(syntax)', /must end with a \}/);
  });

  it('GIVEN a syntax error and a schema problem WHEN parsed THEN only the syntax error is reported', () => {
    const err = catchSpecError(() => parseConfig(lines('version: 2', 'services:', '\tusers: {}'), 'gw.yaml'));
    expect(err.issues.map((i) => i.where)).toEqual(['(syntax)']);
  });
});

describe('text that is not a spec object', () => {
  it('GIVEN empty text (or only comments) WHEN parsed THEN one problem at line 1 says the file is empty and how to start', () => {
    for (const text of ['', '# nothing yet\n']) {
      const issue = expectOnlyIssue(
        () => parseConfig(text, 'gw.yaml'),
        '(top level)',
        /^the config is empty: it needs at least `services` and `gateways` \(`gatehouse init` writes a starter file\)$/,
      );
      expect(issue).toMatchObject({ file: 'gw.yaml', line: 1, column: 1 });
    }
  });

  it('GIVEN a plain scalar WHEN parsed THEN the top level is rejected as not a map, at its line', () => {
    const issue = expectOnlyIssue(
      () => parseConfig('\njust some text\n', 'gw.yaml'),
      '(top level)',
      /^the config is a string; it must be a map of fields such as services: and gateways:$/,
    );
    expect(issue).toMatchObject({ line: 2, column: 1 });
  });

  it('GIVEN a list at the top WHEN parsed THEN it is rejected as a list', () => {
    expectOnlyIssue(() => parseConfig('- services\n', 'gw.yaml'), '(top level)', /^the config is a list; it must be a map/);
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-spec-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN a valid .yaml file WHEN loaded THEN it yields the same spec as parseConfig', () => {
    const file = join(dir, 'gatehouse.yaml');
    writeFileSync(file, MINIMAL_YAML);
    expect(loadConfig(file)).toEqual(parseConfig(MINIMAL_YAML));
  });

  it('GIVEN a valid .json file WHEN loaded THEN it yields the same spec as the object', () => {
    const file = join(dir, 'gatehouse.json');
    writeFileSync(file, JSON.stringify(minimalSpec(), null, 2));
    expect(loadConfig(file)).toEqual(validateConfig(minimalSpec()));
  });

  it('GIVEN an invalid file WHEN loaded THEN its issues carry the file path and line', () => {
    const file = join(dir, 'invalid.yaml');
    writeFileSync(file, lines('services:', '  users:', '    url: https://users.internal:8080', '    timeout: 5000', 'gateways: {}'));
    const run = () => loadConfig(file);
    expect(expectIssue(run, 'services.users.timeout', /did you mean "timeoutMs"/)).toMatchObject({ file, line: 4, column: 5 });
    expect(expectIssue(run, 'gateways', /define at least one gateway/)).toMatchObject({ file, line: 5, column: 1 });
    expect(catchSpecError(run).message).toContain(`${file}:4:5 services.users.timeout: `);
  });

  it('GIVEN a path that does not exist WHEN loaded THEN a (file) issue says the file was not found', () => {
    const file = join(dir, 'missing.yaml');
    const issue = expectOnlyIssue(() => loadConfig(file), '(file)', /^cannot read the config: file not found$/);
    expect(issue).toMatchObject({ path: [], file });
    expect(catchSpecError(() => loadConfig(file)).message).toBe(
      `Invalid Gatehouse config (1 problem):\n  ${file} (file): cannot read the config: file not found`,
    );
  });

  it('GIVEN a directory instead of a file WHEN loaded THEN a (file) issue carries the system reason', () => {
    const issue = expectOnlyIssue(() => loadConfig(dir), '(file)', /^cannot read the config: EISDIR/);
    expect(issue.file).toBe(dir);
  });
});

describe('reporting schema and cross-field problems together', () => {
  it('GIVEN a bad field in services and a dangling service reference in a gateway WHEN parsed THEN both are reported in one ConfigError', () => {
    const text = [
      'services:',
      '  users:',
      '    url: https://u',
      '    timout: 5',
      'gateways:',
      '  public:',
      '    routes:',
      '      - service: userz',
      '        paths: [/a]',
      '',
    ].join('\n');
    const err = catchSpecError(() => parseConfig(text, 'both.yaml'));
    expect(err.issues.map((i) => `${i.line}:${i.where}`)).toEqual(['4:services.users.timout', '8:gateways.public.routes[0].service']);
    expect(err.message).toMatch(/\(2 problems\)/);
  });

  it('GIVEN services is missing WHEN parsed THEN service references are not reported as dangling', () => {
    const err = catchSpecError(() => parseConfig('gateways:\n  g:\n    routes:\n      - { service: a, paths: [/a] }\n'));
    expect(err.issues.map((i) => i.where)).toEqual(['services']);
  });
});
