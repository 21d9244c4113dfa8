// Properties over generated inputs: no-op transformations keep bytes, remove-then-add lands the added value, rewrites never climb.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../../lambdas/contract/proxy-config';
import { PathRewriteError, rewritePath, transformResponse } from '../../../../lambdas/proxy/transform';

const contentType = fc.constantFrom(
  'application/json',
  'application/xml',
  'text/plain',
  'application/octet-stream',
  'application/problem+json',
);
const fieldName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
const jsonValue = fc.jsonValue() as fc.Arbitrary<JsonValue>;

describe('GIVEN any body', () => {
  it('WHEN the transformation has no body operations THEN the body is the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), contentType, (bytes, type) => {
        const upstream = { status: 200, headers: { 'content-type': [type] }, body: Buffer.from(bytes) };
        for (const transform of [undefined, {}, { set: { headers: { 'x-a': '1' } } }]) {
          expect(transformResponse(upstream, transform).body.equals(upstream.body)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('GIVEN any JSON object body', () => {
  it('WHEN a field is removed then added THEN it holds exactly the added value', () => {
    fc.assert(
      fc.property(fc.dictionary(fieldName, jsonValue, { maxKeys: 5 }), fieldName, jsonValue, (document, key, value) => {
        const upstream = { status: 200, headers: { 'content-type': ['application/json'] }, body: Buffer.from(JSON.stringify(document)) };
        const out = transformResponse(upstream, { remove: { json: [key] }, add: { json: { [key]: value } } });
        const parsed = JSON.parse(out.body.toString()) as Record<string, unknown>;
        expect(parsed[key]).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 100 },
    );
  });
});

describe('GIVEN any captured segment', () => {
  it('WHEN a rewrite returns a path THEN no decoded segment of it climbs or carries a control character', () => {
    const segment = fc.oneof(
      fc.string({ minLength: 1, maxLength: 6 }).map(encodeURIComponent),
      fc.constantFrom('..', '.', '%2e%2e', '%2E.', '%2f', '%5c', '%0d%0a', '%00', '..;x', 'a', '%zz'),
    );
    const rules = [{ match: '/files/{rest+}', to: '/store/{rest}' }];
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), (segments) => {
        let rewritten: string | undefined;
        try {
          rewritten = rewritePath(`/files/${segments.join('/')}`, rules);
        } catch (error) {
          expect(error).toBeInstanceOf(PathRewriteError);
          return;
        }
        for (const part of (rewritten ?? '').split('/').slice(1)) {
          const decoded = decodeURIComponent(part);
          expect(['.', '..']).not.toContain(decoded.split(';')[0]);
          expect(decoded).not.toMatch(/[/\\]/);
          expect([...decoded].every((character) => character >= ' ' && character !== '\u007f')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('GIVEN any value of a route parameter {id}', () => {
  it('WHEN a rewrite puts {path.id} in a segment THEN it is exactly one segment that decodes back to the value, or the value is refused', () => {
    const rules = [{ match: '/api/users/{uid}', to: '/accounts/{path.id}/profile' }];
    const value = fc.oneof(
      fc.string({ minLength: 1, maxLength: 12 }),
      fc.string({ minLength: 1, maxLength: 4, unit: 'binary' }),
      fc.constantFrom('..', '.', 'a/b', '../x', '%2e%2e', '\r\n', 'a?b#c', '\ud800'),
    );
    fc.assert(
      fc.property(value, (id) => {
        let rewritten: string | undefined;
        try {
          rewritten = rewritePath('/api/users/7', rules, { id: { value: id, greedy: false } });
        } catch (error) {
          expect(error).toBeInstanceOf(PathRewriteError);
          // eslint-disable-next-line no-control-regex -- the property is exactly "control characters are refused"
          expect(['.', '..'].includes(id) || /[\u0000-\u001f\u007f]/.test(id) || /[\ud800-\udfff]/.test(id)).toBe(true);
          return;
        }
        const parts = (rewritten ?? '').split('/');
        expect(parts).toHaveLength(4);
        expect(parts[3]).toBe('profile');
        expect(decodeURIComponent(parts[2]!)).toBe(id);
      }),
      { numRuns: 300 },
    );
  });
});
