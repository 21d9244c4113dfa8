// Path rewrites: whole-path patterns with {name} and {name+}, first match wins, hostile segments refused with stable codes.
import { describe, expect, it } from 'vitest';
import type { PathRewrite } from '../../../../lambdas/contract/proxy-config';
import { PathRewriteError, rewritePath } from '../../../../lambdas/proxy/transform';

const RULES: PathRewrite[] = [
  { match: '/api/v1/users/{id}', to: '/users/{id}' },
  { match: '/api/v1/users/{id}/orders/{orderId}', to: '/orders/{orderId}/by/{id}' },
  { match: '/files/{rest+}', to: '/storage/{rest}' },
  { match: '/assets/{rest+}', to: '/static/{rest+}' },
  { match: '/legacy', to: '/' },
];

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PathRewriteError);
    expect((error as PathRewriteError).statusCode).toBe(400);
    return (error as PathRewriteError).code;
  }
  return undefined;
}

describe('GIVEN rewrite rules', () => {
  it('WHEN a {name} pattern fits THEN the captured segment is placed in to', () => {
    expect(rewritePath('/api/v1/users/42', RULES)).toBe('/users/42');
  });

  it('WHEN several captures fit THEN each lands where to names it', () => {
    expect(rewritePath('/api/v1/users/42/orders/9', RULES)).toBe('/orders/9/by/42');
  });

  it('WHEN a greedy pattern fits THEN every remaining segment is carried, as {rest} or {rest+}', () => {
    expect(rewritePath('/files/a/b/c.txt', RULES)).toBe('/storage/a/b/c.txt');
    expect(rewritePath('/assets/css/site.css', RULES)).toBe('/static/css/site.css');
  });

  it('WHEN captured segments are percent-encoded THEN they keep their original encoding', () => {
    expect(rewritePath('/api/v1/users/caf%C3%A9%20x', RULES)).toBe('/users/caf%C3%A9%20x');
  });

  it('WHEN no pattern fits THEN the answer is undefined', () => {
    expect(rewritePath('/api/v2/users/42', RULES)).toBeUndefined();
    expect(rewritePath('/api/v1/users/42/extra', RULES)).toBeUndefined();
    expect(rewritePath('/files', RULES)).toBeUndefined();
    expect(rewritePath('/API/v1/users/42', RULES)).toBeUndefined();
  });

  it('WHEN the path has a trailing slash or an empty segment THEN {name} and {name+} do not fit', () => {
    expect(rewritePath('/api/v1/users/', RULES)).toBeUndefined();
    expect(rewritePath('/api/v1/users/42/', RULES)).toBeUndefined();
    expect(rewritePath('/files//evil.example/x', RULES)).toBeUndefined();
    expect(rewritePath('/files/a/', RULES)).toBeUndefined();
  });

  it('WHEN a literal-only pattern fits exactly THEN its to is returned', () => {
    expect(rewritePath('/legacy', RULES)).toBe('/');
  });

  it('WHEN two rules fit THEN the first wins', () => {
    expect(
      rewritePath('/a/b', [
        { match: '/a/{x}', to: '/first/{x}' },
        { match: '/a/b', to: '/second' },
      ]),
    ).toBe('/first/b');
  });

  it('WHEN there are no rules THEN the answer is undefined', () => {
    expect(rewritePath('/anything', undefined)).toBeUndefined();
    expect(rewritePath('/anything', [])).toBeUndefined();
  });
});

describe('GIVEN hostile captured segments', () => {
  it.each([
    ['/api/v1/users/..', 'a raw dot-dot'],
    ['/api/v1/users/.', 'a raw dot'],
    ['/api/v1/users/%2e%2e', 'an encoded dot-dot'],
    ['/api/v1/users/%2E%2E', 'an upper-case encoded dot-dot'],
    ['/api/v1/users/.%2e', 'a half-encoded dot-dot'],
    ['/api/v1/users/..;jsessionid=x', 'a dot-dot with a matrix parameter'],
    ['/api/v1/users/a%2Fb', 'an encoded slash'],
    ['/api/v1/users/a%2fb', 'a lower-case encoded slash'],
    ['/api/v1/users/a%5Cb', 'an encoded backslash'],
    ['/api/v1/users/a\\b', 'a raw backslash'],
    ['/api/v1/users/a%0d%0aHost:%20evil', 'an encoded CRLF'],
    ['/api/v1/users/a%00', 'an encoded NUL'],
    ['/api/v1/users/a%7F', 'an encoded DEL'],
    ['/files/a/../../etc/passwd', 'a dot-dot inside a greedy capture'],
    ['/files/a/%2e%2e/secret', 'an encoded dot-dot inside a greedy capture'],
  ])('WHEN the path is %s (%s) THEN it is refused as path_traversal', (path) => {
    expect(codeOf(() => rewritePath(path, RULES))).toBe('path_traversal');
  });

  it('WHEN a captured segment has malformed percent-encoding THEN it is refused as path_malformed', () => {
    expect(codeOf(() => rewritePath('/api/v1/users/%E0%A4%A', RULES))).toBe('path_malformed');
    expect(codeOf(() => rewritePath('/api/v1/users/%zz', RULES))).toBe('path_malformed');
  });

  it('WHEN the hostile segment is in a path no rule fits THEN nothing is thrown', () => {
    expect(rewritePath('/other/%2e%2e', RULES)).toBeUndefined();
  });

  it('WHEN a segment merely contains dots THEN it is carried', () => {
    expect(rewritePath('/api/v1/users/...', RULES)).toBe('/users/...');
    expect(rewritePath('/files/v1.2/a..b', RULES)).toBe('/storage/v1.2/a..b');
  });
});

describe('GIVEN a rule that was never checked', () => {
  it('WHEN its to names a capture the match lacks THEN it throws TypeError', () => {
    expect(() => rewritePath('/a/1', [{ match: '/a/{id}', to: '/b/{other}' }])).toThrow(TypeError);
  });
});
