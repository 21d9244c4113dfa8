import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainPlan } from '../../lib/plan/explain';
import { planSpec } from '../../lib/plan/plan';
import { validateConfig } from '../../lib/config/load';
import type { RoutePlan } from '../../lib/plan/types';
import { asHttp } from '../support/flavors';

const spec = (extra: Record<string, unknown> = {}) => ({
  services: { a: { url: 'https://a' } },
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
const gateway = (s = spec()) => planSpec(validateConfig(s)).gateways[0]!;

describe('planAuthorizer', () => {
  const g = gateway();

  it('plans one authorizer for the gateway with its issuers, TTL and the reason', () => {
    expect(g.authorizer!.cacheTtlSeconds).toBe(120);
    expect(g.authorizer!.config.issuers).toEqual([{ issuer: 'https://id.example.com/', audiences: ['api'], jwksUri: undefined }]);
    expect(g.authorizer!.reason).toMatch(/REQUEST Lambda authorizer/);
    expect(g.authorizer!.config.jwks).toEqual({ timeoutMs: 1500, cacheMaxAgeMs: 600_000, cooldownMs: 30_000 });
  });

  it('gives its function a timeout that covers a JWKS fetch and discovery with room to answer', () => {
    expect(g.authorizer!.timeoutSeconds).toBe(5);
    const slow = spec({
      auth: { jwt: { issuers: [{ issuer: 'https://id.example.com/', audience: ['api'] }], jwks: { timeoutMs: 4000 } } },
    });
    expect(gateway(slow).authorizer!.timeoutSeconds).toBe(10);
  });

  it('reads a jwksFile once, at planning: the config it bakes holds the public keys, and rendering reads no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-jwks-'));
    const keys = {
      keys: [
        {
          kty: 'EC',
          crv: 'P-256',
          kid: 'k1',
          x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
          y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
        },
      ],
    };
    const file = join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify(keys));
    const baked = gateway(
      spec({ auth: { jwt: { issuers: [{ issuer: 'https://id.example.com/', audience: ['api'], jwksFile: file }] } } }),
    ).authorizer!;
    expect(baked.config.issuers[0]!.jwks).toEqual(keys);
    expect(baked.jwksFiles).toEqual({ 'https://id.example.com/': file });
    rmSync(dir, { recursive: true, force: true });
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
    expect(directHeaders(health!)).toMatchObject({
      'X-User-Id': "'-'",
      'X-User-Roles': "'-'",
      'X-User-Scopes': "'-'",
      'X-Client-Id': "'-'",
    });
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
    const p = planSpec(validateConfig(s));
    expect(p.gateways[0]!.authorizer!.cacheTtlSeconds).toBe(0);
    expect(p.warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'AUTHORIZER_CACHE_OFF', where: 'gateways.g.auth.jwt.cacheTtlSeconds' })]),
    );
    expect(g.authorizer!.cacheOffReason).toBeUndefined();
  });

  it('shows auth per route and how long a revoked token keeps working in explain', () => {
    const text = explainPlan(planSpec(validateConfig(spec())));
    expect(text).toMatch(/\/orders\/\*.*auth:jwt\(orders:read,role:clerk\)/);
    expect(text).toMatch(/\/me\/\*.*auth:jwt iss:https:\/\/id.example.com\/ key:/);
    expect(text).toMatch(/\/health\/\*.*auth:none/);
    expect(text).toMatch(/token keeps working up to 120 s after it expires or is revoked/);
  });
});

/** Integration headers of a route that API Gateway proxies directly. */
function directHeaders(route: RoutePlan): Readonly<Record<string, string>> {
  if (route.integration.kind !== 'http-proxy') throw new Error(`${route.path} is not a direct route`);
  return route.integration.headers;
}

describe('issuer restrictions', () => {
  const MAIN = { issuer: 'https://id.example.com/', audience: ['api'], name: 'main' };
  const PARTNER = { issuer: 'https://partner.example.com/', audience: ['api'], name: 'partner' };
  const restricted = (issuers: unknown[], routes: unknown[], flavor: 'rest' | 'http' = 'rest') => ({
    services: { a: { url: 'https://a.example.com' } },
    gateways: { g: { flavor, auth: { jwt: { issuers } }, routes } },
  });
  const plan = (s: ReturnType<typeof restricted>) => planSpec(validateConfig(s));
  const adminRoute = { service: 'a', paths: ['/admin'], methods: ['GET'], auth: { jwt: { scopes: ['admin'], issuers: ['main'] } } };
  const ordersRoute = { service: 'a', paths: ['/orders'], methods: ['GET'], auth: { jwt: { scopes: ['orders:read'] } } };

  it('bakes route issuers as `iss` values and issuer names and grants into the authorizer config', () => {
    const g = plan(restricted([MAIN, { ...PARTNER, grants: { scopes: ['orders:read'], roles: [] } }], [adminRoute, ordersRoute]))
      .gateways[0]!;
    expect(g.authorizer!.config.issuers).toEqual([
      { issuer: MAIN.issuer, audiences: ['api'], jwksUri: undefined, name: 'main' },
      { issuer: PARTNER.issuer, audiences: ['api'], jwksUri: undefined, name: 'partner', grants: { scopes: ['orders:read'], roles: [] } },
    ]);
    expect(g.authorizer!.config.routes).toEqual([
      { method: 'GET/admin', scopes: ['admin'], roles: [], issuers: [MAIN.issuer] },
      { method: 'GET/admin/*', scopes: ['admin'], roles: [], issuers: [MAIN.issuer] },
      { method: 'GET/orders', scopes: ['orders:read'], roles: [] },
      { method: 'GET/orders/*', scopes: ['orders:read'], roles: [] },
    ]);
  });

  it('explain shows per route the issuers it accepts, and what each issuer may grant', () => {
    const text = explainPlan(plan(restricted([MAIN, { ...PARTNER, grants: { scopes: ['orders:read'] } }], [adminRoute, ordersRoute])));
    expect(text).toMatch(/\/admin\/\*.*auth:jwt\(admin\) iss:main /);
    expect(text).toMatch(/\/orders\/\*.*auth:jwt\(orders:read\) iss:main,partner /);
    expect(text).toContain('partner = https://partner.example.com/ (aud api, grants scopes orders:read, roles any)');
    expect(text).toMatch(/a withdrawn key is refused within 600 s/);
  });

  it('warns when several issuers may each grant anything and a scoped route accepts them all', () => {
    const warnings = plan(
      restricted([MAIN, PARTNER], [adminRoute, ordersRoute, { service: 'a', paths: ['/me'], methods: ['GET'], auth: 'jwt' }]),
    ).warnings;
    const unrestricted = warnings.filter((w) => w.code === 'ISSUER_UNRESTRICTED');
    expect(unrestricted).toHaveLength(1);
    expect(unrestricted[0]!.where).toBe('gateways.g.auth.jwt.issuers');
    // /admin names its issuer and /me needs no scope: only /orders is exposed.
    expect(unrestricted[0]!.message).toMatch(
      /2 trusted issuers \(main, partner\) may each grant any scope or role, and the scoped routes \/orders accept all of them/,
    );
  });

  it.each([
    ['one issuer has grants', [MAIN, { ...PARTNER, grants: { scopes: ['orders:read'] } }], [ordersRoute]],
    ['every scoped route names its issuers', [MAIN, PARTNER], [adminRoute]],
    ['only one issuer is trusted', [MAIN], [ordersRoute]],
  ])('does not warn when %s', (_when, issuers, routes) => {
    expect(plan(restricted(issuers, routes)).warnings.map((w) => w.code)).not.toContain('ISSUER_UNRESTRICTED');
  });

  it('on an HTTP API, several issuers take the Lambda authorizer, whose baked routes keep the restriction', () => {
    const g = plan(restricted([MAIN, PARTNER], [adminRoute, ordersRoute], 'http')).gateways[0]!;
    expect(asHttp(g).nativeJwtAuthorizer).toBeUndefined();
    expect(g.authorizer!.config.routes).toContainEqual({ method: 'GET/admin', scopes: ['admin'], roles: [], issuers: [MAIN.issuer] });
  });

  it("on an HTTP API served by the native JWT authorizer, grants are refused: it cannot filter the token's scopes", () => {
    expect(() => plan(restricted([{ ...MAIN, grants: { scopes: ['orders:read'] } }], [ordersRoute], 'http'))).toThrow(
      /gateways\.g\.auth\.jwt\.issuers\[0\]\.grants.*native JWT authorizer cannot enforce grants/s,
    );
  });

  it('on an HTTP API served by the native JWT authorizer, a route naming the only issuer is planned as is', () => {
    const g = plan(restricted([MAIN], [adminRoute], 'http')).gateways[0]!;
    expect(asHttp(g).nativeJwtAuthorizer?.issuer).toBe(MAIN.issuer);
    expect(g.routes[0]!.features.issuers).toEqual(['main']);
  });

  it("carries an aggregate's issuers into its route features", () => {
    const s = restricted([MAIN, PARTNER], [ordersRoute]);
    (s.gateways.g as Record<string, unknown>).aggregates = [
      { path: '/dash', auth: { jwt: { issuers: ['partner'] } }, parts: { o: { service: 'a', path: '/o' } } },
    ];
    const g = plan(s).gateways[0]!;
    expect(g.routes.find((r) => r.path === '/dash')!.features.issuers).toEqual(['partner']);
    expect(g.authorizer!.config.routes).toContainEqual({ method: 'GET/dash', scopes: [], roles: [], issuers: [PARTNER.issuer] });
  });
});

describe('the authorizer cache on templated routes (#21)', () => {
  const jwtSpec = (match: 'prefix' | 'exact') => ({
    services: { u: { url: 'https://u.internal' } },
    gateways: {
      g: {
        auth: { jwt: { issuers: [{ issuer: 'https://idp.example.com/', audience: ['api'] }] } },
        routes: [
          { service: 'u', paths: ['/users/{id}'], match, methods: ['GET'], auth: { jwt: {} } },
          { service: 'u', paths: ['/users/{id}/keys'], methods: ['GET'], auth: { jwt: { scopes: ['admin'] } } },
        ],
      },
    },
  });

  it('GIVEN /users/{id} as a prefix route above a scoped /users/{id}/keys WHEN planned THEN the cache goes off with a warning naming match: exact', () => {
    const p = planSpec(validateConfig(jwtSpec('prefix')));
    expect(p.gateways[0]!.authorizer!.cacheTtlSeconds).toBe(0);
    expect(p.warnings.find((w) => w.code === 'AUTHORIZER_CACHE_OFF')?.message).toMatch(/path parameter.*match: exact/);
  });

  it('GIVEN /users/{id} with match: exact WHEN planned THEN the cached policy is exact and the cache stays on', () => {
    const p = planSpec(validateConfig(jwtSpec('exact')));
    expect(p.gateways[0]!.authorizer!.cacheTtlSeconds).toBeGreaterThan(0);
    expect(p.warnings.map((w) => w.code)).not.toContain('AUTHORIZER_CACHE_OFF');
  });
});

describe('planAuthorizer on a table whose whole-API policy can outgrow the authorizer result', () => {
  const manyRoutes = (count: number) => ({
    services: { u: { url: 'https://u.internal' } },
    gateways: {
      g: {
        auth: { jwt: { issuers: [{ issuer: 'https://idp.example.com/', audience: ['api'] }] } },
        routes: Array.from({ length: count }, (_, i) => ({
          service: 'u',
          paths: [`/resource${i}/{id}`],
          match: 'exact',
          methods: ['GET', 'PUT'],
          auth: { jwt: { scopes: [`r${i}`] } },
        })),
      },
    },
  });

  it('GIVEN 40 JWT routes of two methods (a token holding every scope could get a 7.3 KB document) WHEN planned THEN the cache goes off with a warning naming the size', () => {
    const p = planSpec(validateConfig(manyRoutes(40)));
    expect(p.gateways[0]!.authorizer!.cacheTtlSeconds).toBe(0);
    expect(p.warnings.find((w) => w.code === 'AUTHORIZER_CACHE_OFF')?.message).toMatch(/exceed 6144 bytes/);
  });

  it('GIVEN 20 such routes (3.7 KB at most) WHEN planned THEN the cache stays on', () => {
    const p = planSpec(validateConfig(manyRoutes(20)));
    expect(p.gateways[0]!.authorizer!.cacheTtlSeconds).toBeGreaterThan(0);
    expect(p.warnings.map((w) => w.code)).not.toContain('AUTHORIZER_CACHE_OFF');
  });
});
