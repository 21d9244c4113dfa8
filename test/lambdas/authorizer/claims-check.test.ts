// The registered-claim checks (claims-check.ts): each rule, its boundary and its code.
import { describe, expect, it } from 'vitest';
import { checkClaims, type ClaimRules } from '../../../lambdas/authorizer/claims-check';

const NOW = 1_800_000_000;
const rules: ClaimRules = {
  issuer: 'https://idp.example',
  audiences: ['api'],
  clockToleranceSeconds: 5,
  requiredClaims: ['sub', 'exp'],
  nowSeconds: NOW,
};
const valid = { iss: 'https://idp.example', aud: 'api', sub: 'u', iat: NOW - 10, exp: NOW + 300 };

const codeOf = (claims: Record<string, unknown>, overrides: Partial<ClaimRules> = {}): string => {
  try {
    checkClaims(claims, { ...rules, ...overrides });
    return 'ok';
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe('GIVEN the claims of a verified token', () => {
  it('WHEN every claim is in order THEN they pass', () => {
    expect(codeOf(valid)).toBe('ok');
  });

  it.each([
    ['exp is now minus the tolerance', { exp: NOW - 5 }, 'token_expired'],
    ['exp is one second inside the tolerance', { exp: NOW - 4 }, 'ok'],
    ['nbf is now plus the tolerance', { nbf: NOW + 5 }, 'ok'],
    ['nbf is one second past the tolerance', { nbf: NOW + 6 }, 'token_not_yet_valid'],
    ['exp is a string', { exp: String(NOW + 300) }, 'token_malformed'],
    ['nbf is a string', { nbf: 'soon' }, 'token_malformed'],
    ['iat is a string', { iat: 'then' }, 'token_malformed'],
    ['iss is another issuer', { iss: 'https://evil.example' }, 'issuer_untrusted'],
    ['aud is an array holding the audience', { aud: ['other', 'api'] }, 'ok'],
    ['aud names another API', { aud: ['other'] }, 'audience_mismatch'],
    ['aud is a number', { aud: 1 }, 'audience_mismatch'],
  ])('WHEN %s THEN %s', (_case, change, code) => {
    expect(codeOf({ ...valid, ...change })).toBe(code);
  });

  it.each(['iss', 'aud', 'sub', 'exp'])('WHEN the required claim %s is absent THEN claim_missing', (claim) => {
    const { [claim as keyof typeof valid]: _absent, ...rest } = valid;
    expect(codeOf(rest)).toBe('claim_missing');
  });

  it('WHEN no audiences are given THEN aud is neither required nor checked', () => {
    const { aud: _absent, ...rest } = valid;
    expect(codeOf(rest, { audiences: undefined })).toBe('ok');
    expect(codeOf({ ...valid, aud: 'other' }, { audiences: undefined })).toBe('ok');
  });

  it('WHEN a max token age is set THEN iat is required, bounded in age with the tolerance, and not in the future', () => {
    const { iat: _absent, ...noIat } = valid;
    expect(codeOf(noIat, { maxTokenAgeSeconds: 60 })).toBe('claim_missing');
    expect(codeOf({ ...valid, iat: NOW - 65 }, { maxTokenAgeSeconds: 60 })).toBe('ok');
    expect(codeOf({ ...valid, iat: NOW - 66 }, { maxTokenAgeSeconds: 60 })).toBe('token_too_old');
    expect(codeOf({ ...valid, iat: NOW + 6 }, { maxTokenAgeSeconds: 60 })).toBe('token_not_yet_valid');
  });
});
