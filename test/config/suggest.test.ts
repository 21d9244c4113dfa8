// "Did you mean" hints: closest() picks the nearest candidate within a third of the longer word (at least 2 edits).
import { describe, expect, it } from 'vitest';
import { closest, didYouMean } from '../../lib/config/suggest';

const SERVICE_FIELDS = ['url', 'timeoutMs', 'description'];

describe('closest', () => {
  it('GIVEN "timout" and the service fields WHEN closest runs THEN it returns "timeoutMs"', () => {
    expect(closest('timout', SERVICE_FIELDS)).toBe('timeoutMs');
  });

  it('GIVEN a word within two edits of a short candidate WHEN closest runs THEN it returns that candidate', () => {
    expect(closest('ur', SERVICE_FIELDS)).toBe('url');
  });

  it('GIVEN an exact match WHEN closest runs THEN it returns the match itself', () => {
    expect(closest('description', SERVICE_FIELDS)).toBe('description');
  });

  it('GIVEN a word in a different case WHEN closest runs THEN it matches case-insensitively and returns the candidate as written', () => {
    expect(closest('MANAGECLOUDWATCHROLE', ['manageCloudWatchRole', 'quotas'])).toBe('manageCloudWatchRole');
  });

  it('GIVEN several close candidates WHEN closest runs THEN it returns the nearest one', () => {
    expect(closest('rat', ['rates', 'rate', 'burst'])).toBe('rate');
  });

  it('GIVEN two candidates at the same distance WHEN closest runs THEN it returns the first one listed', () => {
    expect(closest('plan', ['plane', 'plans'])).toBe('plane');
    expect(closest('plan', ['plans', 'plane'])).toBe('plans');
  });

  it('GIVEN "url" and the candidate "plans" WHEN closest runs THEN it returns undefined (too far)', () => {
    expect(closest('url', ['plans'])).toBeUndefined();
  });

  it('GIVEN a word unlike every candidate WHEN closest runs THEN it returns undefined', () => {
    expect(closest('retries', SERVICE_FIELDS)).toBeUndefined();
    expect(closest('billing', ['users', 'orders'])).toBeUndefined();
  });

  it('GIVEN a 9-letter word WHEN closest runs THEN 3 edits are tolerated but 4 are not', () => {
    expect(closest('timeoutMs', ['timeXXXMs'])).toBe('timeXXXMs');
    expect(closest('timeoutMs', ['tXXXXutMs'])).toBeUndefined();
  });

  it('GIVEN a 6-letter word WHEN closest runs THEN 2 edits are tolerated but 3 are not', () => {
    expect(closest('origin', ['orXXin'])).toBe('orXXin');
    expect(closest('origin', ['oXXXin'])).toBeUndefined();
  });

  it('GIVEN no candidates WHEN closest runs THEN it returns undefined', () => {
    expect(closest('anything', [])).toBeUndefined();
  });
});

describe('didYouMean', () => {
  it('GIVEN a close candidate WHEN didYouMean runs THEN it returns the hint in parentheses with a leading space', () => {
    expect(didYouMean('standrd', ['standard', 'premium'])).toBe(' (did you mean "standard"?)');
  });

  it('GIVEN no close candidate WHEN didYouMean runs THEN it returns an empty string', () => {
    expect(didYouMean('gold', ['standard', 'premium'])).toBe('');
  });
});
