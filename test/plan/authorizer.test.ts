import { describe, expect, it } from 'vitest';
import { explainPlan } from '../../lib/plan/explain';
import { planSpec } from '../../lib/plan/plan';
import { validateSpec } from '../../lib/spec/load';
import type { RoutePlan } from '../../lib/plan/types';

const spec = (extra: Record<string, unknown> = {}) => ({
  services: { a: { url: 'http://a' } },
  gateways: {
    g: {
      auth: { jwt: { issuers: [{ issuer: 'https://id.example.com/', audience: ['api'] }], cacheTtlSeconds: 120 } },
      routes: [
        { service: 'a', paths: ['/orders'], methods: ['GET', 'POST'], auth: { jwt: { scopes: ['orders:read'], roles: ['clerk'] } } },
        { service: 'a', paths: ['/me'], methods: ['GET'], auth: 'jwt' },
        { service: 'a', paths: ['/health'], methods: ['GET'] },
      ],
      ...extra,
    },
  },
});
const gateway = (s = spec()) => planSpec(validateSpec(s)).gateways[0]!;

describe('planAuthorizer', () => {
  const g = gateway();

  it('plans one authorizer for the gateway with its issuers, TTL and the reason', () => {
    expect(g.authorizer!.cacheTtlSeconds).toBe(120);
    expect(g.authorizer!.config.issuers).toEqual([{ issuer: 'https://id.example.com/', audiences: ['api'], jwksUri: undefined }]);
    expect(g.authorizer!.reason).toMatch(/REQUEST Lambda authorizer/);
    expect(g.authorizer!.config.jwks).toEqual({ timeoutMs: 1500, cacheMaxAgeMs: 600_000, cooldownMs: 30_000 });
  });

  it('bakes the route table in method-ARN form: every method of every JWT route, greedy paths as /*', () => {
    expect(g.authorizer!.config.routes).toEqual([
      { method: 'GET/orders', scopes: ['orders:read'], roles: ['clerk'] },
      { method: 'POST/orders', scopes: ['orders:read'], roles: ['clerk'] },
      { method: 'GET/orders/*', scopes: ['orders:read'], roles: ['clerk'] },
      { method: 'POST/orders/*', scopes: ['orders:read'], roles: ['clerk'] },
      { method: 'GET/me', scopes: [], roles: [] },
      { method: 'GET/me/*', scopes: [], roles: [] },
    ]);
  });

  it('maps identity headers from the authorizer on JWT routes and overwrites them with the non-empty sentinel on the others', () => {
    const [orders, , health] = g.routes;
    expect(directHeaders(orders!)).toMatchObject({
      'X-User-Id': 'context.authorizer.sub',
      'X-User-Roles': 'context.authorizer.roles',
      'X-User-Scopes': 'context.authorizer.scopes',
      'X-Client-Id': 'context.authorizer.clientId',
    });
    expect(directHeaders(health!)).toMatchObject({ 'X-User-Id': "'-'", 'X-User-Roles': "'-'", 'X-User-Scopes': "'-'", 'X-Client-Id': "'-'" });
  });

  it('uses configured identity header names', () => {
    const s = spec();
    (s.gateways.g.auth.jwt as Record<string, unknown>).identityHeaders = { userId: 'X-Sub' };
    expect(directHeaders(gateway(s).routes[0]!)['X-Sub']).toBe('context.authorizer.sub');
  });

  it('plans no authorizer when no route requires a JWT', () => {
    const s = spec();
    s.gateways.g.routes = [{ service: 'a', paths: ['/health'], methods: ['GET'] }];
    const plain = gateway(s);
    expect(plain.authorizer).toBeUndefined();
    // Identity headers are still blanked: the gateway trusts an issuer, so upstreams may trust the headers.
    expect(directHeaders(plain.routes[0]!)['X-User-Id']).toBe("'-'");
  });

  it('changes the deployment fingerprint when a route starts requiring a JWT or the TTL changes', () => {
    const s = spec();
    s.gateways.g.routes[2] = { ...s.gateways.g.routes[2]!, auth: 'jwt' } as never;
    expect(gateway(s).deploymentFingerprint).not.toBe(g.deploymentFingerprint);
    const t = spec();
    (t.gateways.g.auth.jwt as Record<string, unknown>).cacheTtlSeconds = 0;
    expect(gateway(t).deploymentFingerprint).not.toBe(g.deploymentFingerprint);
  });

  it('turns the policy cache off, with a warning, for nested routes no single cached policy can express', () => {
    const s = spec();
    s.gateways.g.routes = [
      { service: 'a', paths: ['/api'], auth: { jwt: { scopes: ['api'] } } },
      { service: 'a', paths: ['/api/admin'], auth: { jwt: { scopes: ['admin'] } } },
      { service: 'a', paths: ['/api/admin/public'], auth: { jwt: { scopes: ['api'] } } },
    ] as never;
    const p = planSpec(validateSpec(s));
    expect(p.gateways[0]!.authorizer!.cacheTtlSeconds).toBe(0);
    expect(p.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'AUTHORIZER_CACHE_OFF', where: 'gateways.g.auth.jwt.cacheTtlSeconds' })]));
    expect(g.authorizer!.cacheOffReason).toBeUndefined();
  });

  it('shows auth per route and how long a revoked token keeps working in explain', () => {
    const text = explainPlan(planSpec(validateSpec(spec())));
    expect(text).toMatch(/\/orders\/\*.*auth:jwt\(orders:read,role:clerk\)/);
    expect(text).toMatch(/\/me\/\*.*auth:jwt key:/);
    expect(text).toMatch(/\/health\/\*.*auth:none/);
    expect(text).toMatch(/token keeps working up to 120 s after it expires or is revoked/);
  });
});

/** Integration headers of a route that API Gateway proxies directly. */
function directHeaders(route: RoutePlan): Readonly<Record<string, string>> {
  if (route.integration.kind !== 'http-proxy') throw new Error(`${route.path} is not a direct route`);
  return route.integration.headers;
}
