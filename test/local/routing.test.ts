// Route selection as each API Gateway flavor does it: REST resources then method; HTTP route keys, ANY and $default.
import { describe, expect, it } from 'vitest';
import { ANY_METHOD, matchHttpRoute, matchRestOperation } from '../../lib/local/routing';

const op = (name: string) => ({ summary: name });

describe('REST resource selection', () => {
  const paths = {
    '/users': { get: op('list') },
    '/users/me': { get: op('me') },
    '/users/{id}': { get: op('one'), [ANY_METHOD]: op('any-one') },
    '/users/{proxy+}': { get: op('greedy') },
    '/files/{proxy+}': { [ANY_METHOD]: op('files') },
  };

  it('GIVEN a literal, a {param} and a {proxy+} resource that all match WHEN routed THEN the literal wins', () => {
    expect(matchRestOperation(paths, 'GET', '/users/me')?.operation).toEqual(op('me'));
  });

  it('GIVEN a {param} and a {proxy+} that match one segment WHEN routed THEN the {param} wins, with its value decoded', () => {
    const m = matchRestOperation(paths, 'GET', '/users/a%20b');
    expect(m?.resourcePath).toBe('/users/{id}');
    expect(m?.pathParameters).toEqual({ id: 'a b' });
  });

  it('GIVEN several segments under a greedy resource WHEN routed THEN {proxy+} takes them all', () => {
    const m = matchRestOperation(paths, 'GET', '/users/1/orders/2');
    expect(m?.resourcePath).toBe('/users/{proxy+}');
    expect(m?.pathParameters).toEqual({ proxy: '1/orders/2' });
  });

  it('GIVEN a method the chosen resource lacks WHEN routed THEN its ANY method answers, and without ANY nothing does (no fallback to a less specific resource)', () => {
    expect(matchRestOperation(paths, 'DELETE', '/users/1')?.operationKey).toBe(ANY_METHOD);
    expect(matchRestOperation(paths, 'DELETE', '/users/me')).toBeUndefined();
    expect(matchRestOperation(paths, 'POST', '/users')).toBeUndefined();
  });

  it('GIVEN a greedy resource WHEN its own path is called without a segment THEN it does not match', () => {
    expect(matchRestOperation(paths, 'GET', '/files')).toBeUndefined();
    expect(matchRestOperation(paths, 'PUT', '/files/a/b')?.pathParameters).toEqual({ proxy: 'a/b' });
  });
});

describe('HTTP API route selection', () => {
  const paths = {
    '/orders': { get: op('get-orders'), [ANY_METHOD]: op('any-orders') },
    '/orders/{proxy+}': { [ANY_METHOD]: op('orders-greedy') },
    '/orders/{id}': { get: op('order') },
    $default: { [ANY_METHOD]: op('default') },
  };

  it('GIVEN a route with the request method and an ANY route on the same path WHEN routed THEN the exact method wins', () => {
    expect(matchHttpRoute(paths, 'GET', '/orders')?.routeKey).toBe('GET /orders');
    expect(matchHttpRoute(paths, 'POST', '/orders')?.routeKey).toBe('ANY /orders');
  });

  it('GIVEN a {param} route and a greedy route WHEN routed THEN the more specific path wins, whatever the method', () => {
    expect(matchHttpRoute(paths, 'GET', '/orders/7')?.routeKey).toBe('GET /orders/{id}');
    expect(matchHttpRoute(paths, 'DELETE', '/orders/7')?.routeKey).toBe('ANY /orders/{proxy+}');
  });

  it('GIVEN no route matches WHEN a $default route exists THEN it answers; without one THEN nothing does (404)', () => {
    expect(matchHttpRoute(paths, 'GET', '/elsewhere')?.routeKey).toBe('$default');
    const { $default: _ignored, ...withoutDefault } = paths;
    expect(matchHttpRoute(withoutDefault, 'GET', '/elsewhere')).toBeUndefined();
  });
});
