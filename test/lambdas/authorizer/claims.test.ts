// Scopes, roles and client id read from the claims the config names, whatever shape the issuer uses.
import { describe, expect, it } from 'vitest';
import { readClientId, readIdentity, readRoles, readScopes } from '../../../lambdas/authorizer/claims';

describe('GIVEN verified claims', () => {
  it('WHEN scope is a space-separated string and scp an array THEN the scopes are their union, deduplicated in order', () => {
    expect(readScopes({ scope: 'a  b', scp: ['b', 'c d', 7] }, ['scope', 'scp'])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('WHEN a scope claim is neither string nor array THEN it gives no scopes', () => {
    expect(readScopes({ scope: { a: 1 }, scp: null }, ['scope', 'scp'])).toEqual([]);
  });

  it('WHEN roles come from cognito:groups and roles THEN commas are refused and a string is one role', () => {
    expect(readRoles({ 'cognito:groups': ['admin', 'a,b'], roles: 'ops team' }, ['roles', 'cognito:groups'])).toEqual([
      'ops team',
      'admin',
    ]);
  });

  it('WHEN several client id claims are named THEN the first non-empty string wins', () => {
    expect(readClientId({ client_id: '', azp: 'spa', cid: 'x' }, ['client_id', 'azp', 'cid'])).toBe('spa');
    expect(readClientId({ client_id: 42 }, ['client_id'])).toBe('');
  });

  it('WHEN the config names no claims THEN the identity is empty', () => {
    expect(readIdentity({ scope: 'a', roles: ['r'] }, { scopeClaims: [], roleClaims: [], clientIdClaims: [] })).toEqual({
      scopes: [],
      roles: [],
      clientId: '',
    });
  });

  const claimNames = { scopeClaims: ['scope'], roleClaims: ['roles'], clientIdClaims: ['client_id'] };

  it('WHEN scopes are separated by a no-break space, U+3000 or a form of Unicode space THEN only ASCII spaces split them (RFC 6749 §3.3)', () => {
    expect(readScopes({ scope: 'a\u00a0b c\u3000d' }, ['scope'])).toEqual(['a\u00a0b', 'c\u3000d']);
  });

  it('WHEN the issuer has grants THEN scopes and roles outside them are dropped; a list left out restricts nothing', () => {
    const claims = { scope: 'orders:read admin', roles: ['auditor', 'root'], client_id: 'cli' };
    expect(readIdentity(claims, claimNames, { scopes: ['orders:read'], roles: [] })).toEqual({
      scopes: ['orders:read'],
      roles: [],
      clientId: 'cli',
    });
    expect(readIdentity(claims, claimNames, { roles: ['auditor'] })).toEqual({
      scopes: ['orders:read', 'admin'],
      roles: ['auditor'],
      clientId: 'cli',
    });
  });

  it.each([
    ['sub', { sub: 'a\rb' }],
    ['scope', { scope: 'a\u0085' }],
    ['roles', { roles: ['ok', 'x\u2029'] }],
    ['client_id', { client_id: '\u001b[31m' }],
  ])('WHEN %s carries a control character THEN claim_invalid, even for a value grants would drop', (claim, claims) => {
    expect(() => readIdentity(claims, claimNames, { scopes: [], roles: [] })).toThrow(
      expect.objectContaining({ code: 'claim_invalid', message: `claim "${claim}" contains a control character` }),
    );
  });
});
