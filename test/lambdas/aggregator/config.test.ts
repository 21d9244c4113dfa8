// checkAggregatorConfig: one TypeError per way the planner could bake a config no request could be served by.
import { describe, expect, it } from 'vitest';
import { checkAggregatorConfig, type AggregatorConfig, type PartConfig } from '../../../lambdas/contract/aggregator-config';
import { createHandler } from '../../../lambdas/aggregator/handler';
import { aggregatorConfig, part } from './support/fixtures';

const URL_ = 'http://127.0.0.1:9';
const check =
  (parts: Record<string, PartConfig>, overrides: Partial<AggregatorConfig> = {}) =>
  () =>
    checkAggregatorConfig(aggregatorConfig(parts, overrides));

describe('GIVEN the dashboard of the issue', () => {
  it('WHEN it is checked THEN it passes and the order puts profile before recs', () => {
    const order = checkAggregatorConfig(
      aggregatorConfig({
        recs: part(URL_, '/recommendations/{profile.segment}', { optional: true, fallback: { items: [], source: 'popular' } }),
        profile: part(URL_, '/users/{claims.sub}'),
        orders: part(URL_, '/orders?user={claims.sub}&limit=5', { optional: true, timeoutMs: 800, fallback: [] }),
      }),
    );
    expect(order.indexOf('profile')).toBeLessThan(order.indexOf('recs'));
    expect(order).toHaveLength(3);
  });
});

describe('GIVEN a config the planner got wrong', () => {
  it('WHEN two parts use each other THEN it throws naming the cycle', () => {
    expect(check({ a: part(URL_, '/a/{b.id}'), b: part(URL_, '/b/{a.id}') })).toThrow(/part "a" depends on itself: a → b → a/);
  });

  it('WHEN a part uses itself THEN it throws naming it', () => {
    expect(check({ a: part(URL_, '/a/{a.id}') })).toThrow(/part "a" depends on itself/);
  });

  it('WHEN a part uses an unknown part THEN it throws naming both', () => {
    expect(check({ a: part(URL_, '/a/{ghost.id}') })).toThrow(
      /part "a" uses \{ghost\.…\}, which is neither claims, path, query nor a part/,
    );
  });

  it('WHEN a placeholder is malformed THEN it throws naming the part and the placeholder', () => {
    expect(check({ a: part(URL_, '/a/{claims}') })).toThrow(/part "a": path template "\/a\/\{claims\}" has a bad placeholder/);
    expect(check({ a: part(URL_, '/a/{claims.sub') })).toThrow(/part "a".*bad placeholder/);
    expect(check({ a: part(URL_, '/a/}') })).toThrow(/part "a".*stray brace/);
    expect(check({ a: part(URL_, '/a/{claims.sub.x}') })).toThrow(/part "a".*takes one name/);
  });

  it('WHEN a template does not start with / or holds a dot segment THEN it throws', () => {
    expect(check({ a: part(URL_, 'a/{claims.sub}') })).toThrow(/must start with \//);
    expect(check({ a: part(URL_, '/a/../{claims.sub}') })).toThrow(/\. or \.\. segment/);
    expect(check({ a: part(URL_, '/a b') })).toThrow(/need encoding/);
  });

  it('WHEN a part is named after a placeholder source or the partial marker THEN it throws', () => {
    expect(check({ claims: part(URL_, '/a') })).toThrow(/part "claims": the name is reserved/);
    expect(check({ partial: part(URL_, '/a') })).toThrow(/part "partial": the name is reserved/);
    expect(check({ 'bad name': part(URL_, '/a') })).toThrow(/part "bad name": a part name is/);
  });

  it('WHEN there are no parts THEN it throws', () => {
    expect(check({})).toThrow(/parts is empty/);
  });

  it('WHEN the url is not http(s) or carries a query THEN it throws naming the part', () => {
    expect(check({ a: part('ftp://x', '/a') })).toThrow(/part "a": url must be http: or https:/);
    expect(check({ a: part('http://x/?q=1', '/a') })).toThrow(/part "a": url must be/);
    expect(check({ a: part('not a url', '/a') })).toThrow(/part "a": url "not a url" is not a URL/);
  });

  it('WHEN limits are out of range THEN it throws naming the field', () => {
    expect(check({ a: part(URL_, '/a') }, { deadlineMs: 29_000 })).toThrow(
      /deadlineMs must be a number above 0 and at most 28999, got 29000/,
    );
    expect(check({ a: part(URL_, '/a', { timeoutMs: 0 }) })).toThrow(/part "a": timeoutMs must be/);
    expect(check({ a: part(URL_, '/a') }, { compressMinBytes: -1 })).toThrow(/compressMinBytes/);
    expect(check({ a: part(URL_, '/a') }, { maxPartBytes: 0 })).toThrow(/maxPartBytes/);
    expect(check({ a: part(URL_, '/a') }, { correlationHeader: 'bad header' })).toThrow(/is not a header name/);
  });

  it('WHEN a required part has a fallback THEN it throws: it would never be used', () => {
    expect(check({ a: part(URL_, '/a', { fallback: [] }) })).toThrow(/part "a": a fallback is only used by an optional part/);
  });

  it('WHEN a part forwards a header the aggregator sets THEN it throws', () => {
    expect(check({ a: part(URL_, '/a', { forwardHeaders: ['Accept-Encoding'] }) })).toThrow(
      /forwardHeaders may not include Accept-Encoding/,
    );
  });

  it('WHEN a select path names no part or is malformed THEN it throws', () => {
    expect(check({ a: part(URL_, '/a') }, { select: ['b.name'] })).toThrow(/select path "b.name" names no part/);
    expect(check({ a: part(URL_, '/a') }, { select: ['a..name'] })).toThrow(/bad segment ""/);
    expect(check({ a: part(URL_, '/a') }, { select: ['a[0]'] })).toThrow(/bad segment "a\[0\]"/);
  });

  it('WHEN a handler is built from it THEN it throws at init, not per request', () => {
    expect(() => createHandler(aggregatorConfig({ a: part(URL_, '/a/{b.id}'), b: part(URL_, '/b/{a.id}') }))).toThrow(TypeError);
  });
});
