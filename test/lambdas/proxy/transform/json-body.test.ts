// JSON body operations by dot path: nested objects, arrays (nested, top-level), Kong's order, untouched bytes when nothing applies.
import { describe, expect, it } from 'vitest';
import type { JsonValue, RequestTransform, ResponseTransform } from '../../../../lambdas/contract/proxy-config';
import { transformRequest, transformResponse, type ProxyResponseMessage } from '../../../../lambdas/proxy/transform';
import { KEEPS_NUMBER_DIGITS } from '../../../../lambdas/proxy/transform/json-text';

const JSON_TYPE = { 'content-type': ['application/json'] };

function jsonResponse(document: unknown, headers: Record<string, string[]> = JSON_TYPE): ProxyResponseMessage {
  return { status: 200, headers, body: Buffer.from(JSON.stringify(document)) };
}

function bodyAfter(document: unknown, transform: ResponseTransform): JsonValue {
  return JSON.parse(transformResponse(jsonResponse(document), transform).body.toString('utf8')) as JsonValue;
}

describe('GIVEN the article example in Kong form', () => {
  it('WHEN the response is transformed THEN the trace header and internal_metadata are gone, the rest kept', () => {
    const upstream = jsonResponse(
      { id: 7, internal_metadata: { shard: 3 }, name: 'x' },
      { ...JSON_TYPE, 'x-internal-trace-id': ['abc'], 'x-request-id': ['r1'] },
    );
    const out = transformResponse(upstream, { remove: { headers: ['X-Internal-Trace-Id'], json: ['internal_metadata'] } });
    expect(JSON.parse(out.body.toString())).toEqual({ id: 7, name: 'x' });
    expect(out.headers).toEqual({ ...JSON_TYPE, 'x-request-id': ['r1'] });
  });
});

describe('GIVEN JSON remove', () => {
  it('WHEN the path is nested THEN only the leaf is removed', () => {
    expect(bodyAfter({ a: { b: { c: 1, d: 2 } } }, { remove: { json: ['a.b.c'] } })).toEqual({ a: { b: { d: 2 } } });
  });

  it('WHEN the path goes through an array THEN the field goes from every element', () => {
    const document = { items: [{ id: 1, secret: 's' }, { id: 2 }, 'scalar', { id: 3, secret: 't' }] };
    expect(bodyAfter(document, { remove: { json: ['items[].secret'] } })).toEqual({ items: [{ id: 1 }, { id: 2 }, 'scalar', { id: 3 }] });
  });

  it('WHEN the path goes through nested arrays THEN every element of every level is reached', () => {
    const document = {
      orders: [
        {
          lines: [
            { sku: 'a', qty: 1 },
            { sku: 'b', qty: 2 },
          ],
        },
        { lines: [{ sku: 'c', qty: 3 }] },
      ],
    };
    expect(bodyAfter(document, { remove: { json: ['orders[].lines[].sku'] } })).toEqual({
      orders: [{ lines: [{ qty: 1 }, { qty: 2 }] }, { lines: [{ qty: 3 }] }],
    });
  });

  it('WHEN the body is a top-level array THEN a leading [] reaches each element', () => {
    expect(
      bodyAfter(
        [
          { id: 1, internal: true },
          { id: 2, internal: false },
        ],
        { remove: { json: ['[].internal'] } },
      ),
    ).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('WHEN the body holds arrays of arrays THEN repeated [] reaches the inner elements', () => {
    expect(bodyAfter({ grid: [[{ x: 1, y: 2 }], [{ x: 3 }]] }, { remove: { json: ['grid[][].x'] } })).toEqual({ grid: [[{ y: 2 }], [{}]] });
  });

  it('WHEN a path step is not an object or not an array THEN nothing is touched', () => {
    const document = { a: 'text', items: { secret: 1 } };
    const upstream = jsonResponse(document);
    const out = transformResponse(upstream, { remove: { json: ['a.b', 'items[].secret', '[].x'] } });
    expect(out.body).toBe(upstream.body);
  });
});

describe('GIVEN JSON rename', () => {
  it('WHEN the new name is plain THEN the field is renamed in its own parent', () => {
    expect(bodyAfter({ user: { mail: 'm', id: 1 } }, { rename: { json: { 'user.mail': 'email' } } })).toEqual({
      user: { id: 1, email: 'm' },
    });
  });

  it('WHEN the old path goes through an array THEN every element is renamed', () => {
    expect(bodyAfter({ items: [{ n: 1 }, { m: 2 }] }, { rename: { json: { 'items[].n': 'name' } } })).toEqual({
      items: [{ name: 1 }, { m: 2 }],
    });
  });

  it('WHEN the new name is a dot path THEN the value moves there from the root, creating objects', () => {
    expect(bodyAfter({ user: { mail: 'm' } }, { rename: { json: { 'user.mail': 'contact.email' } } })).toEqual({
      user: {},
      contact: { email: 'm' },
    });
  });

  it('WHEN the dot-path target is blocked by a non-object THEN the value stays where it was', () => {
    const upstream = jsonResponse({ a: 1, contact: 'none' });
    const out = transformResponse(upstream, { rename: { json: { a: 'contact.email' } } });
    expect(JSON.parse(out.body.toString())).toEqual({ a: 1, contact: 'none' });
  });

  it('WHEN the target name exists THEN it is overwritten by the renamed value', () => {
    expect(bodyAfter({ a: 1, b: 2 }, { rename: { json: { a: 'b' } } })).toEqual({ b: 1 });
  });
});

describe('GIVEN JSON replace, add and set', () => {
  it('WHEN replace names present and absent fields THEN only the present one changes', () => {
    expect(bodyAfter({ a: { b: 1 } }, { replace: { json: { 'a.b': 2, 'a.c': 3, 'x.y': 4 } } })).toEqual({ a: { b: 2 } });
  });

  it('WHEN add names a deep absent path THEN intermediate objects are created', () => {
    expect(bodyAfter({ a: 1 }, { add: { json: { 'meta.source.name': 'gatehouse', a: 9 } } })).toEqual({
      a: 1,
      meta: { source: { name: 'gatehouse' } },
    });
  });

  it('WHEN set names a field THEN it holds the configured value, objects and arrays included', () => {
    expect(bodyAfter({ a: 1 }, { set: { json: { a: { nested: [1, 'two', null] }, 'b.c': false } } })).toEqual({
      a: { nested: [1, 'two', null] },
      b: { c: false },
    });
  });

  it('WHEN add or set go through an array THEN each element gets the field but no missing object is created', () => {
    const document = { items: [{ meta: {} }, {}, { meta: { flag: 'kept' } }] };
    expect(bodyAfter(document, { add: { json: { 'items[].meta.flag': 'new', 'items[].seen': true } } })).toEqual({
      items: [{ meta: { flag: 'new' }, seen: true }, { seen: true }, { meta: { flag: 'kept' }, seen: true }],
    });
  });

  it('WHEN a configured value is inserted twice and then changed THEN the config value is never aliased', () => {
    const value = { tags: ['a'] };
    const transform: ResponseTransform = { set: { json: { x: value, y: value, 'x.tags': ['changed'] } } };
    expect(bodyAfter({}, transform)).toEqual({ x: { tags: ['changed'] }, y: { tags: ['a'] } });
    expect(value).toEqual({ tags: ['a'] });
  });

  it('WHEN every operation is configured THEN they run remove, rename, replace, add, set', () => {
    const transform: ResponseTransform = {
      remove: { json: ['a'] },
      rename: { json: { b: 'a' } },
      replace: { json: { a: 'replaced' } },
      add: { json: { a: 'added', c: 'added' } },
      set: { json: { c: 'set' } },
    };
    expect(bodyAfter({ a: 'original', b: 'renamed' }, transform)).toEqual({ a: 'replaced', c: 'set' });
  });

  it('WHEN a body key is __proto__ THEN operations treat it as data and never touch a prototype', () => {
    const upstream: ProxyResponseMessage = { status: 200, headers: JSON_TYPE, body: Buffer.from('{"__proto__":{"polluted":1}}') };
    const out = transformResponse(upstream, { set: { json: { '__proto__.polluted': 2, 'x.__proto__': 3 } } });
    expect(out.body.toString()).toBe('{"__proto__":{"polluted":2},"x":{"__proto__":3}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('GIVEN which bodies count as JSON', () => {
  const remove: ResponseTransform = { remove: { json: ['secret'] } };

  it.each(['application/json; charset=utf-8', 'application/problem+json', 'Application/JSON', 'application/vnd.api+json;v=2'])(
    'WHEN the content-type is %s THEN JSON operations apply',
    (type) => {
      const out = transformResponse(jsonResponse({ secret: 1, a: 2 }, { 'content-type': [type] }), remove);
      expect(JSON.parse(out.body.toString())).toEqual({ a: 2 });
      expect(out.headers['content-type']).toEqual([type]);
    },
  );

  it.each([
    ['text/plain', '{"secret":1}'],
    ['application/json', '{"secret":1'],
    ['application/json', ''],
    ['application/json; charset=iso-8859-1', '{"secret":1}'],
    ['application/jsonx', '{"secret":1}'],
  ])('WHEN the content-type is %s with body %j THEN the body passes byte for byte', (type, text) => {
    const upstream: ProxyResponseMessage = {
      status: 200,
      headers: { 'content-type': [type], 'content-length': ['12'] },
      body: Buffer.from(text),
    };
    const out = transformResponse(upstream, remove);
    expect(out.body).toBe(upstream.body);
    expect(out.headers['content-length']).toEqual(['12']);
  });

  it('WHEN there is no content-type THEN the body passes untouched', () => {
    const upstream: ProxyResponseMessage = { status: 200, headers: {}, body: Buffer.from('{"secret":1}') };
    expect(transformResponse(upstream, remove).body).toBe(upstream.body);
  });

  it('WHEN a JSON-typed body is binary (not UTF-8) THEN it passes untouched', () => {
    const upstream: ProxyResponseMessage = { status: 200, headers: JSON_TYPE, body: Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x80]) };
    expect(transformResponse(upstream, remove).body).toBe(upstream.body);
  });
});

describe('GIVEN JSON operations and the bytes of the body', () => {
  it('WHEN no operation changes anything THEN the original bytes (spacing included) and content-length are kept', () => {
    const upstream: ProxyResponseMessage = {
      status: 200,
      headers: { ...JSON_TYPE, 'content-length': ['22'] },
      body: Buffer.from('{ "a" : 1,\n  "b": 2 }\n'),
    };
    const out = transformResponse(upstream, { remove: { json: ['missing'] }, replace: { json: { absent: 1 } } });
    expect(out.body).toBe(upstream.body);
    expect(out.headers['content-length']).toEqual(['22']);
  });

  it('WHEN the body changes THEN content-length and digests are dropped, content-type kept and a strong ETag weakened', () => {
    const upstream = jsonResponse(
      { a: 1, b: 2 },
      { ...JSON_TYPE, 'content-length': ['13'], etag: ['"v1"'], 'content-digest': ['sha-256=:x:'], 'content-md5': ['y'] },
    );
    const out = transformResponse(upstream, { remove: { json: ['b'] } });
    expect(out.body.toString()).toBe('{"a":1}');
    expect(out.headers).toEqual({ ...JSON_TYPE, etag: ['W/"v1"'] });
  });

  it('WHEN a request with an empty body has JSON add and set THEN it is left untouched', () => {
    const input = { method: 'POST', path: '/', query: {}, headers: { ...JSON_TYPE, 'content-length': ['0'] }, body: Buffer.alloc(0) };
    const transform: RequestTransform = { add: { json: { a: 1 } }, set: { json: { b: 2 } } };
    const out = transformRequest(input, transform);
    expect(out.body).toBe(input.body);
    expect(out.headers).toEqual(input.headers);
  });

  it('WHEN a request has a JSON body THEN its operations apply to it as to a response', () => {
    const input = { method: 'POST', path: '/', query: {}, headers: JSON_TYPE, body: Buffer.from('{"password":"p","user":"u"}') };
    const out = transformRequest(input, { remove: { json: ['password'] }, add: { json: { 'meta.via': 'gatehouse' } } });
    expect(JSON.parse(out.body.toString())).toEqual({ user: 'u', meta: { via: 'gatehouse' } });
    expect(input.body.toString()).toBe('{"password":"p","user":"u"}');
  });

  it('WHEN header operations change the content-type THEN the body is still read as it arrived', () => {
    const upstream = jsonResponse({ secret: 1 });
    const out = transformResponse(upstream, { remove: { json: ['secret'] }, set: { headers: { 'content-type': 'text/plain' } } });
    expect(out.body.toString()).toBe('{}');
    expect(out.headers['content-type']).toEqual(['text/plain']);
  });
});

describe('GIVEN numbers a JS number cannot hold exactly', () => {
  const text = '{"id":12345678901234567890,"price":0.10000000000000000001,"n":[1.50,2e3],"drop":1}';

  // Node 22 (the Lambda target) has JSON.rawJSON; on Node 20 run with --harmony-json-parse-with-source to cover it.
  it.runIf(KEEPS_NUMBER_DIGITS)('WHEN the body is rewritten THEN every number keeps its source digits', () => {
    const upstream: ProxyResponseMessage = { status: 200, headers: JSON_TYPE, body: Buffer.from(text) };
    const out = transformResponse(upstream, { remove: { json: ['drop'] }, set: { json: { 'id.x': 1 } } });
    expect(out.body.toString()).toBe('{"id":12345678901234567890,"price":0.10000000000000000001,"n":[1.50,2e3]}');
  });

  it('WHEN a path walks into a number THEN nothing is written into it', () => {
    const upstream: ProxyResponseMessage = { status: 200, headers: JSON_TYPE, body: Buffer.from('{"id":12345678901234567890}') };
    expect(transformResponse(upstream, { set: { json: { 'id.x': 1 } } }).body).toBe(upstream.body);
  });
});
