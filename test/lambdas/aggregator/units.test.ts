// The pure pieces on their own: template rendering, projection, Accept-Encoding, dependency order and scheduling, merge.
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../lambdas/contract/aggregator-config';
import { chooseCoding } from '../../../lambdas/aggregator/compression';
import { runInDependencyOrder, topologicalOrder } from '../../../lambdas/aggregator/dependencies';
import { PartError } from '../../../lambdas/aggregator/errors';
import { mergeParts } from '../../../lambdas/aggregator/merge';
import { partUrl } from '../../../lambdas/aggregator/part-call';
import { compileSelection, project } from '../../../lambdas/aggregator/projection';
import { parsePathTemplate, renderPath, type TemplateValues } from '../../../lambdas/aggregator/template';
import { part } from './support/fixtures';

const values = (overrides: Partial<TemplateValues> = {}): TemplateValues => ({
  claims: {},
  path: {},
  query: {},
  parts: new Map(),
  ...overrides,
});
const codeOf = (action: () => unknown) => {
  try {
    action();
  } catch (error) {
    return error instanceof PartError ? { code: error.code, placeholder: error.placeholder, status: error.statusCode } : error;
  }
  return undefined;
};

describe('GIVEN a path template', () => {
  it('WHEN rendered THEN numbers and booleans from parts are stringified, nested keys and array indexes followed', () => {
    const template = parsePathTemplate('/x/{p.a.b}/{p.list.1}/{p.flag}');
    const parts = new Map([['p', { a: { b: 3 }, list: ['zero', 'one'], flag: false }]]);
    expect(renderPath(template, values({ parts }))).toBe('/x/3/one/false');
  });

  it('WHEN a value is an object, null or absent THEN it is missing_value, 400 from the request and 502 from a part', () => {
    const fromPart = parsePathTemplate('/x/{p.obj}');
    expect(codeOf(() => renderPath(fromPart, values({ parts: new Map([['p', { obj: { deep: 1 } }]]) })))).toEqual({
      code: 'missing_value',
      placeholder: 'p.obj',
      status: 502,
    });
    expect(codeOf(() => renderPath(parsePathTemplate('/x/{query.q}'), values()))).toEqual({
      code: 'missing_value',
      placeholder: 'query.q',
      status: 400,
    });
  });

  it('WHEN a claim is an inherited property name THEN it is not found', () => {
    expect(codeOf(() => renderPath(parsePathTemplate('/x/{claims.constructor}'), values()))).toMatchObject({ code: 'missing_value' });
  });

  it('WHEN a value is exactly .. THEN it is unsafe_path naming the placeholder', () => {
    expect(codeOf(() => renderPath(parsePathTemplate('/a/{path.id}/b'), values({ path: { id: '..' } })))).toEqual({
      code: 'unsafe_path',
      placeholder: 'path.id',
      status: 400,
    });
  });

  it('WHEN the literal prefix is in the query THEN a .. value after ? is harmless and passes', () => {
    expect(renderPath(parsePathTemplate('/a?x={query.x}'), values({ query: { x: '..' } }))).toBe('/a?x=..');
  });
});

describe('GIVEN a base URL and a rendered path', () => {
  it('WHEN joined THEN the base path is kept and one slash separates them', () => {
    expect(partUrl('https://svc.example/v1/', '/users/1?x=2').href).toBe('https://svc.example/v1/users/1?x=2');
  });

  it('WHEN the URL parser would rewrite the path THEN the join is refused as unsafe_path', () => {
    expect(codeOf(() => partUrl('https://svc.example', '//evil.example/x'))).toMatchObject({ code: 'unsafe_path' });
  });
});

describe('GIVEN a selection', () => {
  const data: JsonValue = { a: { b: 1, c: 2, list: [{ x: 1, y: 2 }, 3, { y: 4 }] }, n: null, arr: [[{ z: 1 }]] };

  it('WHEN projected THEN nested arrays, whole values and repeated roots combine', () => {
    expect(project(data, compileSelection(['a.b', 'a.list[].x', 'n']))).toEqual({ a: { b: 1, list: [{ x: 1 }, {}] }, n: null });
    expect(project(data, compileSelection(['a.list[]']))).toEqual({ a: { list: [{ x: 1, y: 2 }, 3, { y: 4 }] } });
    expect(project(data, compileSelection(['arr[].z']))).toEqual({ arr: [] });
  });

  it('WHEN nothing matches THEN the result is empty', () => {
    expect(project(data, compileSelection(['zzz.y', 'n.x']))).toBeUndefined();
  });
});

describe('GIVEN an Accept-Encoding header', () => {
  const cases: [string | undefined, string][] = [
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, br', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0.2, br;q=0.1', 'gzip'],
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['deflate, identity', 'identity'],
    ['GZIP;Q=1', 'gzip'],
    ['gzip;q=nonsense', 'identity'],
  ];
  for (const [header, coding] of cases) {
    it(`WHEN it is ${JSON.stringify(header)} THEN the coding is ${coding}`, () => {
      expect(chooseCoding(header)).toBe(coding);
    });
  }
});

describe('GIVEN parts with dependencies', () => {
  it('WHEN ordered THEN sources come first and independent parts keep declaration order', () => {
    const needs = new Map([
      ['c', ['b']],
      ['a', []],
      ['b', ['a']],
      ['d', []],
    ]);
    expect(topologicalOrder(needs)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('WHEN run THEN a dependent part starts the moment its own source settles, not when every earlier part does', async () => {
    const started = new Map<string, number>();
    const t0 = performance.now();
    const durations: Record<string, number> = { fast: 20, slow: 200, child: 10 };
    const needs = new Map([
      ['fast', []],
      ['slow', []],
      ['child', ['fast']],
    ]);
    await runInDependencyOrder(['fast', 'slow', 'child'], needs, async (name) => {
      started.set(name, performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, durations[name]));
      return name;
    });
    expect(started.get('child')).toBeGreaterThanOrEqual(15);
    expect(started.get('child')).toBeLessThan(150);
  });
});

describe('GIVEN several required parts failing', () => {
  it('WHEN merged THEN the first in dependency order is reported, with its status', () => {
    const parts = { b: part('http://x', '/b/{a.id}'), a: part('http://x', '/a') };
    const outcomes = new Map([
      ['b', { kind: 'failed' as const, error: new PartError('dependency_failed', 'x'), ms: 0 }],
      ['a', { kind: 'failed' as const, error: new PartError('upstream_timeout', 'x'), ms: 0 }],
    ]);
    expect(mergeParts(parts, ['a', 'b'], outcomes)).toEqual({
      kind: 'failed',
      statusCode: 504,
      body: { message: 'part "a" failed: upstream_timeout', code: 'upstream_timeout', part: 'a' },
    });
  });
});
