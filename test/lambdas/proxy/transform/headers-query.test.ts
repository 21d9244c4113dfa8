// Header and query operations: Kong's order, case-insensitive header names, multi-value lists kept apart.
import { describe, expect, it } from 'vitest';
import type { RequestTransform, ResponseTransform } from '../../../../lambdas/contract/proxy-config';
import {
  transformRequest,
  transformResponse,
  type ProxyRequestMessage,
  type ProxyResponseMessage,
} from '../../../../lambdas/proxy/transform';

function request(overrides: Partial<ProxyRequestMessage> = {}): ProxyRequestMessage {
  return { method: 'GET', path: '/orders', query: {}, headers: {}, body: Buffer.alloc(0), ...overrides };
}

function response(overrides: Partial<ProxyResponseMessage> = {}): ProxyResponseMessage {
  return { status: 200, headers: {}, body: Buffer.alloc(0), ...overrides };
}

function headersAfter(headers: Record<string, string[]>, transform: RequestTransform) {
  return transformRequest(request({ headers }), transform).headers;
}

describe('GIVEN header operations on a request', () => {
  it('WHEN remove names a header in another case THEN the header is gone', () => {
    expect(headersAfter({ 'x-internal-trace-id': ['t1'], accept: ['*/*'] }, { remove: { headers: ['X-Internal-Trace-Id'] } })).toEqual({
      accept: ['*/*'],
    });
  });

  it('WHEN rename moves a header THEN every value goes to the lower-cased new name', () => {
    expect(headersAfter({ 'x-old': ['a', 'b'] }, { rename: { headers: { 'X-Old': 'X-New' } } })).toEqual({ 'x-new': ['a', 'b'] });
  });

  it('WHEN rename targets a header that exists THEN the renamed values replace it', () => {
    expect(headersAfter({ 'x-old': ['a'], 'x-new': ['z'] }, { rename: { headers: { 'x-old': 'x-new' } } })).toEqual({ 'x-new': ['a'] });
  });

  it('WHEN rename names an absent header THEN nothing changes', () => {
    expect(headersAfter({ accept: ['*/*'] }, { rename: { headers: { 'x-old': 'x-new' } } })).toEqual({ accept: ['*/*'] });
  });

  it('WHEN replace names a present header THEN its values become the one configured value', () => {
    expect(headersAfter({ 'x-tier': ['free', 'trial'] }, { replace: { headers: { 'X-Tier': 'gold' } } })).toEqual({ 'x-tier': ['gold'] });
  });

  it('WHEN replace names an absent header THEN it is not created', () => {
    expect(headersAfter({}, { replace: { headers: { 'x-tier': 'gold' } } })).toEqual({});
  });

  it('WHEN add names an absent header THEN it is created, a present one is kept', () => {
    expect(headersAfter({ 'x-a': ['client'] }, { add: { headers: { 'X-A': 'config', 'X-B': 'config' } } })).toEqual({
      'x-a': ['client'],
      'x-b': ['config'],
    });
  });

  it('WHEN set names headers THEN each holds the configured value whether or not it was there', () => {
    expect(headersAfter({ 'x-a': ['client', 'more'] }, { set: { headers: { 'x-a': 'config', 'x-b': 'config' } } })).toEqual({
      'x-a': ['config'],
      'x-b': ['config'],
    });
  });

  it('WHEN append names a header THEN the value joins its list, or starts one', () => {
    expect(headersAfter({ 'x-via': ['edge'] }, { append: { headers: { 'X-Via': 'gatehouse', 'x-new': 'one' } } })).toEqual({
      'x-via': ['edge', 'gatehouse'],
      'x-new': ['one'],
    });
  });

  it('WHEN values are numbers or booleans THEN headers carry their text', () => {
    expect(headersAfter({}, { set: { headers: { 'x-version': 2, 'x-beta': true } } })).toEqual({ 'x-version': ['2'], 'x-beta': ['true'] });
  });

  it('WHEN every operation is configured THEN they run remove, rename, replace, add, set, append', () => {
    const transform: RequestTransform = {
      remove: { headers: ['x-a'] },
      rename: { headers: { 'x-b': 'x-a' } },
      replace: { headers: { 'x-a': 'replaced' } },
      add: { headers: { 'x-a': 'added', 'x-c': 'added' } },
      set: { headers: { 'x-c': 'set' } },
      append: { headers: { 'x-c': 'appended' } },
    };
    expect(headersAfter({ 'x-a': ['original'], 'x-b': ['renamed'] }, transform)).toEqual({
      'x-a': ['replaced'],
      'x-c': ['set', 'appended'],
    });
  });

  it('WHEN the incoming map has mixed-case names THEN they are lower-cased and merged in order', () => {
    expect(headersAfter({ 'X-Trace': ['a'], 'x-trace': ['b'] }, {})).toEqual({ 'x-trace': ['a', 'b'] });
  });
});

describe('GIVEN a response with several Set-Cookie headers', () => {
  const upstream = response({ headers: { 'set-cookie': ['a=1; Path=/', 'b=2; Path=/'], 'x-internal': ['1'] } });

  it('WHEN other headers are transformed THEN every cookie stays a separate value', () => {
    const out = transformResponse(upstream, { remove: { headers: ['x-internal'] }, set: { headers: { 'x-frame-options': 'DENY' } } });
    expect(out.headers).toEqual({ 'set-cookie': ['a=1; Path=/', 'b=2; Path=/'], 'x-frame-options': ['DENY'] });
  });

  it('WHEN a cookie is appended THEN it joins the list, never a comma-joined string', () => {
    const out = transformResponse(upstream, { append: { headers: { 'Set-Cookie': 'c=3; Path=/' } } });
    expect(out.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/', 'c=3; Path=/']);
  });
});

describe('GIVEN query operations on a request', () => {
  function queryAfter(query: Record<string, string[]>, transform: RequestTransform) {
    return transformRequest(request({ query }), transform).query;
  }

  it('WHEN remove names a parameter THEN only the exact (case-sensitive) name is removed', () => {
    expect(queryAfter({ debug: ['1'], Debug: ['2'] }, { remove: { querystring: ['debug'] } })).toEqual({ Debug: ['2'] });
  });

  it('WHEN rename moves a parameter THEN all its values move', () => {
    expect(queryAfter({ q: ['a', 'b'] }, { rename: { querystring: { q: 'search' } } })).toEqual({ search: ['a', 'b'] });
  });

  it('WHEN replace, add and set run THEN replace needs presence, add absence, set neither', () => {
    const transform: RequestTransform = {
      replace: { querystring: { page: '1', missing: 'x' } },
      add: { querystring: { page: '9', size: 50 } },
      set: { querystring: { format: 'json' } },
    };
    expect(queryAfter({ page: ['3', '4'], format: ['xml'] }, transform)).toEqual({ page: ['1'], format: ['json'], size: ['50'] });
  });

  it('WHEN append names a parameter THEN another value is added to its list', () => {
    expect(queryAfter({ tag: ['a'] }, { append: { querystring: { tag: 'b' } } })).toEqual({ tag: ['a', 'b'] });
  });

  it('WHEN names and values hold decoded special characters THEN they are kept as they are', () => {
    expect(queryAfter({ 'a b': ['x&y=z'] }, { add: { querystring: { 'c/d': 'é %' } } })).toEqual({ 'a b': ['x&y=z'], 'c/d': ['é %'] });
  });

  it('WHEN a client sends a parameter named __proto__ THEN it stays an ordinary parameter', () => {
    const query = JSON.parse('{"__proto__":["x"]}') as Record<string, string[]>;
    const out = queryAfter(query, { add: { querystring: { other: '1' } } });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.entries(out)).toEqual([
      ['__proto__', ['x']],
      ['other', ['1']],
    ]);
  });
});

describe('GIVEN any transformation', () => {
  it('WHEN a request is transformed THEN the input message, its maps and lists are not mutated', () => {
    const input = request({ headers: { 'x-a': ['1'] }, query: { q: ['1'] }, path: '/p' });
    const snapshot = structuredClone({ ...input, body: [...input.body] });
    const transform: RequestTransform = {
      remove: { headers: ['x-a'], querystring: ['q'] },
      append: { headers: { 'x-a': '2' }, querystring: { q: '2' } },
    };
    const out = transformRequest(input, transform);
    expect({ ...input, body: [...input.body] }).toEqual(snapshot);
    expect(out).toMatchObject({ method: 'GET', path: '/p', headers: { 'x-a': ['2'] }, query: { q: ['2'] } });
  });

  it('WHEN no transformation is configured THEN the message is an equal copy', () => {
    const input = request({ headers: { 'x-a': ['1'] }, query: { q: ['1'] }, body: Buffer.from('{"a":1}') });
    const out = transformRequest(input, undefined);
    expect(out).toEqual(input);
    expect(out.headers).not.toBe(input.headers);
    expect(out.query).not.toBe(input.query);
    expect(transformResponse(response({ headers: { a: ['1'] } }), undefined)).toEqual(response({ headers: { a: ['1'] } }));
  });

  it('WHEN a response is transformed THEN its status is kept', () => {
    const transform: ResponseTransform = { set: { headers: { 'cache-control': 'no-store' } } };
    expect(transformResponse(response({ status: 418 }), transform)).toMatchObject({
      status: 418,
      headers: { 'cache-control': ['no-store'] },
    });
  });
});
