// checkTransformConfig: every misconfiguration fails at init with a TypeError naming the field.
import { describe, expect, it } from 'vitest';
import type { TransformConfig } from '../../../lambdas/contract/proxy-config';
import { checkTransformConfig } from '../../../lambdas/contract/transform-check';

/** Configs as YAML may give them: the checker must not trust the static types. */
function check(config: unknown): void {
  checkTransformConfig(config as TransformConfig);
}

describe('GIVEN a sound transformation', () => {
  it('WHEN it uses every operation, rewrites and xmlToJson THEN it passes', () => {
    expect(() =>
      check({
        request: {
          remove: { headers: ['X-Internal', 'connection'], querystring: ['debug'], json: ['password', 'items[].secret', '[].x'] },
          rename: { headers: { 'x-old': 'x-new', host: 'x-original-host' }, querystring: { q: 'search' }, json: { a: 'b', 'c.d': 'e.f' } },
          replace: { headers: { 'x-tier': 'gold' }, querystring: { page: 1 }, json: { 'a.b': { any: ['json'] } } },
          add: { headers: { 'x-version': 2 }, querystring: { beta: true }, json: { 'orders[].lines[].sku': null } },
          set: { headers: { 'content-type': 'application/json' }, json: { flag: false } },
          append: { headers: { 'x-via': 'gatehouse' }, querystring: { tag: 'a' } },
          path: [
            { match: '/api/{id}/files/{rest+}', to: '/v2/{id}/{rest+}' },
            { match: '/', to: '/index' },
          ],
        },
        response: {
          remove: { headers: ['X-Internal-Trace-Id'], json: ['internal_metadata'] },
          append: { headers: { vary: 'accept' } },
          xmlToJson: true,
        },
      }),
    ).not.toThrow();
  });

  it('WHEN it is empty THEN it passes', () => {
    expect(() => check({})).not.toThrow();
    expect(() => check({ request: {}, response: {} })).not.toThrow();
  });
});

describe('GIVEN JSON paths', () => {
  it.each([
    ['', 'is empty'],
    ['a..b', 'empty segment'],
    ['.a', 'empty segment'],
    ['a.', 'empty segment'],
    ['items[]', 'must end with a field name'],
    ['a[0].b', 'bad segment'],
    ['a.[].b', 'empty segment'],
    ['a]b', 'bad segment'],
  ])('WHEN a remove path is %j THEN the error names transform.response.remove.json[0] (%s)', (path, reason) => {
    expect(() => check({ response: { remove: { json: [path] } } })).toThrow(TypeError);
    expect(() => check({ response: { remove: { json: [path] } } })).toThrow(
      new RegExp(`^transform\\.response\\.remove\\.json\\[0\\]: .*${reason.replace(/[[\]]/g, '\\$&')}`),
    );
  });

  it('WHEN a set path is bad THEN the error names its key', () => {
    expect(() => check({ request: { set: { json: { 'a..b': 1 } } } })).toThrow(/^transform\.request\.set\.json\["a\.\.b"\]: /);
  });

  it('WHEN a rename target is a bad path THEN it is refused', () => {
    expect(() => check({ request: { rename: { json: { a: 'b..c' } } } })).toThrow(
      /transform\.request\.rename\.json\["a"\]: JSON path "b\.\.c"/,
    );
  });

  it('WHEN a rename through an array targets a dot path THEN it is refused', () => {
    expect(() => check({ response: { rename: { json: { 'items[].a': 'x.b' } } } })).toThrow(/plain field name/);
    expect(() => check({ response: { rename: { json: { a: 'items[].b' } } } })).toThrow(/plain field name/);
  });

  it('WHEN a rename target is not a string THEN it is refused', () => {
    expect(() => check({ response: { rename: { json: { a: 1 } } } })).toThrow(/transform\.response\.rename\.json\["a"\]: must rename/);
  });

  it('WHEN a JSON value is missing THEN it is refused', () => {
    expect(() => check({ response: { add: { json: { a: undefined } } } })).toThrow(/must have a value/);
  });

  it('WHEN append targets json THEN it is refused: append is for headers and querystring', () => {
    expect(() => check({ request: { append: { json: { a: 'x' } } } })).toThrow(
      /transform\.request\.append\.json\["a"\]: append applies to headers and querystring only/,
    );
  });
});

describe('GIVEN header operations', () => {
  it.each([
    'connection',
    'Keep-Alive',
    'transfer-encoding',
    'upgrade',
    'te',
    'trailer',
    'proxy-authorization',
    'Proxy-Connection',
    'host',
    'content-length',
  ])('WHEN set writes %s THEN it is refused as a header the HTTP client owns', (name) => {
    expect(() => check({ request: { set: { headers: { [name]: 'x' } } } })).toThrow(/must not write/);
  });

  it.each(['replace', 'add', 'append'])('WHEN %s writes a reserved header THEN it is refused', (operation) => {
    expect(() => check({ response: { [operation]: { headers: { 'transfer-encoding': 'chunked' } } } })).toThrow(
      new RegExp(`^transform\\.response\\.${operation}\\.headers\\["transfer-encoding"\\]: must not write`),
    );
  });

  it('WHEN rename targets a reserved header THEN it is refused', () => {
    expect(() => check({ request: { rename: { headers: { 'x-host': 'Host' } } } })).toThrow(/must not rename to Host/);
  });

  it('WHEN rename targets an invalid name THEN it is refused', () => {
    expect(() => check({ request: { rename: { headers: { 'x-a': 'bad name' } } } })).toThrow(/must rename to a valid header name/);
  });

  it('WHEN a header name is not a token THEN it is refused', () => {
    expect(() => check({ request: { remove: { headers: ['bad header'] } } })).toThrow(
      /^transform\.request\.remove\.headers\[0\]: "bad header" is not a valid header name/,
    );
    expect(() => check({ request: { add: { headers: { 'x:y': 'v' } } } })).toThrow(/not a valid header name/);
  });

  it('WHEN a header value carries CR, LF or NUL THEN it is refused (no header injection)', () => {
    expect(() => check({ response: { set: { headers: { 'x-a': 'v\r\nset-cookie: evil' } } } })).toThrow(/CR, LF or NUL/);
    expect(() => check({ response: { append: { headers: { 'x-a': 'v\0' } } } })).toThrow(/CR, LF or NUL/);
  });

  it('WHEN a header value is an object, list or null THEN it is refused', () => {
    expect(() => check({ request: { set: { headers: { 'x-a': { b: 1 } } } } })).toThrow(/must be a string, number or boolean/);
    expect(() => check({ request: { add: { headers: { 'x-a': null } } } })).toThrow(/must be a string, number or boolean/);
  });

  it('WHEN an append value is not a string THEN it is refused', () => {
    expect(() => check({ request: { append: { headers: { 'x-a': 1 } } } })).toThrow(/must be a string$/);
  });

  it('WHEN one operation names a header twice in different cases THEN it is refused', () => {
    expect(() => check({ request: { set: { headers: { 'X-A': '1', 'x-a': '2' } } } })).toThrow(/same header twice/);
  });
});

describe('GIVEN querystring operations', () => {
  it('WHEN a name is empty THEN it is refused', () => {
    expect(() => check({ request: { remove: { querystring: [''] } } })).toThrow(/^transform\.request\.remove\.querystring\[0\]: /);
  });

  it('WHEN rename targets an empty name THEN it is refused', () => {
    expect(() => check({ request: { rename: { querystring: { a: '' } } } })).toThrow(/non-empty name/);
  });

  it('WHEN a value is a list THEN it is refused', () => {
    expect(() => check({ request: { set: { querystring: { a: ['1'] } } } })).toThrow(/string, number or boolean/);
  });

  it('WHEN a response operation names querystring THEN it is refused: a response has none', () => {
    expect(() => check({ response: { remove: { querystring: ['a'] } } })).toThrow(
      /^transform\.response\.remove\.querystring: a response has no query string/,
    );
  });
});

describe('GIVEN the shape of the transformation', () => {
  it('WHEN remove is not a list THEN it is refused', () => {
    expect(() => check({ request: { remove: { headers: 'x-a' } } })).toThrow(/^transform\.request\.remove\.headers: must be a list/);
  });

  it('WHEN a remove entry is not a string THEN it is refused', () => {
    expect(() => check({ request: { remove: { json: [1] } } })).toThrow(/^transform\.request\.remove\.json\[0\]: must be a string/);
  });

  it('WHEN a map operation is a list THEN it is refused', () => {
    expect(() => check({ request: { set: { headers: ['x'] } } })).toThrow(/must be a map of name to value/);
  });

  it('WHEN an operation is not a map of fields THEN it is refused', () => {
    expect(() => check({ request: { set: 'x' } })).toThrow(/^transform\.request\.set: must be a map/);
  });

  it('WHEN a field or an operation is misspelled THEN it is refused', () => {
    expect(() => check({ request: { remove: { header: ['x'] } } })).toThrow(/^transform\.request\.remove\.header: unknown field/);
    expect(() => check({ response: { delete: {} } })).toThrow(/^transform\.response\.delete: unknown key/);
    expect(() => check({ response: { path: [] } })).toThrow(/^transform\.response\.path: unknown key/);
  });

  it('WHEN request or response is not a map THEN it is refused', () => {
    expect(() => check({ request: [] })).toThrow(/^transform\.request: must be a map/);
    expect(() => check({ response: 'x' })).toThrow(/^transform\.response: must be a map/);
  });

  it('WHEN xmlToJson is not a boolean THEN it is refused', () => {
    expect(() => check({ response: { xmlToJson: 'yes' } })).toThrow(/^transform\.response\.xmlToJson: /);
  });
});

describe('GIVEN path rewrites', () => {
  function rewriteError(rule: unknown): string {
    try {
      check({ request: { path: [{ match: '/ok', to: '/ok' }, rule] } });
    } catch (error) {
      expect(error).toBeInstanceOf(TypeError);
      return (error as Error).message;
    }
    return 'no error';
  }

  it.each([
    [{ match: 'api/{id}', to: '/x' }, /path\[1\]\.match: .*must start with \//],
    [{ match: '/api?x=1', to: '/x' }, /path\[1\]\.match: .*path only/],
    [{ match: '/api/v{version}', to: '/x' }, /path\[1\]\.match: .*whole segment/],
    [{ match: '/api/{bad-name}', to: '/x' }, /path\[1\]\.match: .*whole segment/],
    [{ match: '/api/{id}/{id}', to: '/x' }, /path\[1\]\.match: .*captures \{id\} twice/],
    [{ match: '/api/{rest+}/tail', to: '/x' }, /path\[1\]\.match: .*greedy \{name\+\} only as its last segment/],
    [{ match: '/api/{rest+}/{id}', to: '/x' }, /path\[1\]\.match: .*greedy/],
    [{ match: '/api/{id}', to: 'x/{id}' }, /path\[1\]\.to: .*must start with \//],
    [{ match: '/api/{id}', to: '/x#{id}' }, /path\[1\]\.to: .*path only/],
    [{ match: '/api/{id}', to: '/x/{other}' }, /path\[1\]\.to: .*uses \{other\}, which match does not capture/],
    [{ match: '/api/{id}', to: '/x/{id' }, /path\[1\]\.to: .*unbalanced/],
    [{ match: '/api/{id}', to: '/x/{}' }, /path\[1\]\.to: .*uses \{\}/],
    [{ match: '/api/{id}' }, /path\[1\]: must have string match and to/],
    [{ match: '/api/{id}', to: '/x/{path.bad-name}' }, /path\[1\]\.to: .*uses \{path\.bad-name\}/],
    [{ match: '/api/{id}', to: '/x/{path.}' }, /path\[1\]\.to: .*uses \{path\.\}/],
  ])('WHEN a rule is %j THEN the error names the field', (rule, message) => {
    expect(rewriteError(rule)).toMatch(message);
  });

  it('WHEN a rule uses {path.id}, a parameter of the route path, besides its own captures THEN it is accepted at init (the planner checks the route has it)', () => {
    expect(rewriteError({ match: '/api/users/{uid}/keys', to: '/accounts/{path.id}/keys/{uid}' })).toBe('no error');
  });

  it('WHEN path is not a list THEN it is refused', () => {
    expect(() => check({ request: { path: { match: '/', to: '/' } } })).toThrow(/^transform\.request\.path: must be a list/);
  });
});
