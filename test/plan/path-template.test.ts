// Path templates in API Gateway's match order.
import { describe, expect, it } from 'vitest';
import { compareMatchOrder } from '../../lib/plan/path-template';

describe('compareMatchOrder', () => {
  it('puts a literal before a parameter before a greedy parameter, segment by segment', () => {
    const paths = ['/users/{proxy+}', '/users/{id}', '/users/me', '/users', '/users/{id}/keys', '/{proxy+}'];
    expect([...paths].sort(compareMatchOrder)).toEqual([
      '/users/me',
      '/users/{id}/keys',
      '/users/{id}',
      '/users',
      '/users/{proxy+}',
      '/{proxy+}',
    ]);
  });

  it('decides at the leftmost difference', () => {
    expect(compareMatchOrder('/a/{x}/c', '/{y}/b/c')).toBeLessThan(0);
    expect(compareMatchOrder('/a/b', '/a/b')).toBe(0);
    expect(['/users/me', '/orders/{id}', '/orders'].sort(compareMatchOrder)).toEqual(['/orders/{id}', '/orders', '/users/me']);
  });
});
