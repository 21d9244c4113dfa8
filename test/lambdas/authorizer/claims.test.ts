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
    expect(readRoles({ 'cognito:groups': ['admin', 'a,b'], roles: 'ops team' }, ['roles', 'cognito:groups'])).toEqual(['ops team', 'admin']);
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
});
