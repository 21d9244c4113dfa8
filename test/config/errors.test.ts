// ConfigError and its formatting: paths as a user reads them, one line per issue, "N problems" header.
import { describe, expect, it } from 'vitest';
import { ConfigError, formatIssues, formatPath } from '../../lib/config/errors';

describe('formatPath', () => {
  it('GIVEN an empty path WHEN formatted THEN it reads (top level)', () => {
    expect(formatPath([])).toBe('(top level)');
  });

  it('GIVEN names and indexes WHEN formatted THEN names join with "." and indexes use [n]', () => {
    expect(formatPath(['gateways', 'public', 'routes', 0, 'methods', 1])).toBe('gateways.public.routes[0].methods[1]');
  });

  it('GIVEN a name with "-" or a space WHEN formatted THEN it is quoted in brackets', () => {
    expect(formatPath(['services', 'user-service', 'url'])).toBe('services["user-service"].url');
    expect(formatPath(['gateways', 'public', 'plans', 'gold tier'])).toBe('gateways.public.plans["gold tier"]');
  });

  it('GIVEN a name starting with a digit WHEN formatted THEN it is quoted in brackets', () => {
    expect(formatPath(['services', '1users'])).toBe('services["1users"]');
  });
});

describe('formatIssues and ConfigError', () => {
  it('GIVEN one issue with file, line and column WHEN formatted THEN the header says "1 problem" and the line reads file:line:col where: message', () => {
    expect(
      formatIssues([{ path: ['version'], where: 'version', file: 'gw.yaml', line: 1, column: 10, message: 'version must be 1' }]),
    ).toBe('Invalid Gatehouse config (1 problem):\n  gw.yaml:1:10 version: version must be 1');
  });

  it('GIVEN issues with and without positions WHEN formatted THEN the header says "3 problems" and positions are omitted where unknown', () => {
    const text = formatIssues([
      { path: [], where: '(file)', file: 'gw.yaml', message: 'cannot read the config: file not found' },
      { path: ['a'], where: 'a', file: 'gw.yaml', line: 7, message: 'no column' },
      { path: ['b'], where: 'b', message: 'from an object' },
    ]);
    expect(text).toBe(
      [
        'Invalid Gatehouse config (3 problems):',
        '  gw.yaml (file): cannot read the config: file not found',
        '  gw.yaml:7:1 a: no column',
        '  b: from an object',
      ].join('\n'),
    );
  });

  it('GIVEN issues WHEN a ConfigError is built THEN it keeps them, is named ConfigError and has code GATEHOUSE_INVALID_SPEC', () => {
    const issues = [{ path: ['services'], where: 'services', message: 'define at least one service' }];
    const err = new ConfigError(issues);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ConfigError');
    expect(err.code).toBe('GATEHOUSE_INVALID_SPEC');
    expect(err.issues).toEqual(issues);
    expect(err.message).toBe(formatIssues(issues));
  });
});
