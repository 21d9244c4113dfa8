// Dot segments in a proxied greedy path: refused with 400 unsafe_path, and no generated path ever leaves `<target base>/<route remainder>`.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasDotSegment } from '../../../lambdas/proxy/path-safety';
import { createProxy } from '../../../lambdas/proxy/proxy';
import { startUpstream, type UpstreamServer } from '../shared/support/upstream-server';
import { echoOf, jsonOf, proxyConfig, quietDeps, restEvent } from './support/events';

let upstream: UpstreamServer;

beforeAll(async () => {
  upstream = await startUpstream();
});

afterAll(async () => {
  await upstream.close();
});

/** A segment the upstream would read as `.` or `..` once it decodes the path (one level, as servers do). */
function climbs(path: string): boolean {
  return path.split('/').some((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      decoded = segment;
    }
    const dots = decoded.split(';')[0];
    return dots === '.' || dots === '..';
  });
}

describe('GIVEN a proxied route with stripPath and a target with a base path', () => {
  let built: ReturnType<typeof createProxy> | undefined;
  // Built on first use: the upstream's port is known only once beforeAll ran.
  const call = (greedy: string) =>
    (built ??= createProxy(proxyConfig(upstream.url('/base')), quietDeps()))(restEvent({ pathParameters: { proxy: greedy } }));

  // API Gateway decodes the greedy parameter: `..` is also what a client's `%2e%2e` becomes; `%2e%2e` here was sent double-encoded.
  it.each(['..', '.', '../admin', 'echo/../../admin', './x', 'a/./b', '..;x/admin', 'a/%2e%2e/admin', '%2E%2e', '.%2E/admin'])(
    'WHEN the greedy path is %s THEN 400 unsafe_path and nothing reaches the upstream',
    async (greedy) => {
      const before = ['/admin', '/base/admin', '/'].map((p) => upstream.hits(p));
      const result = await call(greedy);
      expect(result.statusCode).toBe(400);
      expect(jsonOf(result).code).toBe('unsafe_path');
      expect(['/admin', '/base/admin', '/'].map((p) => upstream.hits(p))).toEqual(before);
    },
  );

  it('WHEN names only look like dots (..., .a, a.., %2e) THEN they are forwarded under the base, unchanged', async () => {
    // API Gateway hands over decoded values: a client's %252e arrives as the text "%2e" and goes on encoded again.
    const result = await call('.../.a/a../x%2e');
    expect(echoOf(result).url).toBe('/base/.../.a/a../x%252e');
  });

  it('WHEN any path is generated THEN an answered request reached the upstream under /base/ with no dot segment, and a refused one had one', async () => {
    const segment = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '%2e%2e',
        '%2E.',
        '.%2e',
        '..;x',
        '...',
        '.a',
        'a..',
        '%2f',
        'x%2F..',
        '\\..',
        '',
        '%252e%252e',
        'admin',
        'ü',
        ' ',
      ),
      fc.string({ maxLength: 6 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 6 }), async (segments) => {
        const greedy = segments.join('/');
        const result = await call(greedy);
        if (result.statusCode === 400) {
          expect(jsonOf(result).code).toBe('unsafe_path');
          expect(hasDotSegment(greedy)).toBe(true);
          return;
        }
        expect(result.statusCode).toBe(200);
        const path = echoOf(result).url.split('?')[0]!;
        expect(path.startsWith('/base/')).toBe(true);
        expect(climbs(path)).toBe(false);
      }),
      { numRuns: 150, seed: 23 },
    );
  });
});

describe('hasDotSegment', () => {
  it.each([
    ['/a/../b', true],
    ['/a/%2E%2e/b', true],
    ['/a/.;p', true],
    ['/.', true],
    ['/a/.../b', false],
    ['/a/..b', false],
    ['/a/%252e%252e', false],
    ['/', false],
  ])('%s → %s', (path, expected) => {
    expect(hasDotSegment(path)).toBe(expected);
  });
});
