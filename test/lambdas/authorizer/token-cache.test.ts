// The verified-token cache: bounded, least recently used first out, never past an entry's expiry, keyed by hash.
import { describe, expect, it } from 'vitest';
import { MAX_CACHED_TOKENS, VerifiedTokenCache } from '../../../lambdas/authorizer/token-cache';

describe('GIVEN a verified-token cache', () => {
  it('WHEN an entry reaches its expiry THEN it is no longer returned', () => {
    let now = 1_000;
    const cache = new VerifiedTokenCache<string>(10, () => now);
    cache.set('token-a', 'claims-a', 2_000);
    now = 1_999;
    expect(cache.get('token-a')).toBe('claims-a');
    now = 2_000;
    expect(cache.get('token-a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('WHEN an entry would already be expired THEN it is not stored', () => {
    const cache = new VerifiedTokenCache<string>(10, () => 5_000);
    cache.set('token-a', 'claims-a', 5_000);
    expect(cache.size).toBe(0);
  });

  it('WHEN it is full THEN the least recently used entry makes room', () => {
    const cache = new VerifiedTokenCache<string>(2, () => 0);
    cache.set('a', 'A', 10);
    cache.set('b', 'B', 10);
    cache.get('a'); // b is now the least recently used
    cache.set('c', 'C', 10);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual(['A', undefined, 'C']);
    expect(cache.size).toBe(2);
  });

  it(`WHEN more than ${MAX_CACHED_TOKENS} tokens arrive THEN it holds ${MAX_CACHED_TOKENS} by default`, () => {
    const cache = new VerifiedTokenCache<number>(undefined, () => 0);
    for (let i = 0; i < MAX_CACHED_TOKENS + 50; i += 1) cache.set(`token-${i}`, i, 1);
    expect(cache.size).toBe(MAX_CACHED_TOKENS);
    expect(cache.get('token-0')).toBeUndefined();
    expect(cache.get(`token-${MAX_CACHED_TOKENS + 49}`)).toBe(MAX_CACHED_TOKENS + 49);
  });

  it('WHEN tokens differ in one character THEN they are different entries', () => {
    const cache = new VerifiedTokenCache<string>(10, () => 0);
    cache.set('eyJ.a.b', 'first', 10);
    expect(cache.get('eyJ.a.c')).toBeUndefined();
  });

  it('WHEN its size is 0 THEN nothing is kept', () => {
    const cache = new VerifiedTokenCache<string>(0, () => 0);
    cache.set('a', 'A', 10);
    expect(cache.get('a')).toBeUndefined();
  });
});
