// Rate-limited routes in the plan: only they go through the proxy, with one limiter per spec route, and the planner warns about limits that cannot bite.
import { describe, expect, it } from 'vitest';
import { planSpec } from '../../lib/plan/plan';
import { validateConfig } from '../../lib/config/load';

type Json = Record<string, unknown>;
const spec = (users: Json = {}, stage: Json = {}) => ({
  services: { users: { url: 'https://users.internal' } },
  gateways: {
    public: {
      stage,
      auth: { jwt: { issuers: [{ issuer: 'https://id.example.com/', audience: ['api'] }] } },
      routes: [
        {
          name: 'user-routes',
          service: 'users',
          paths: ['/api/users', '/v2/users'],
          methods: ['GET', 'POST'],
          auth: 'jwt',
          rateLimit: { minute: 100, hour: 5000 },
          ...users,
        },
        { service: 'users', paths: ['/api/health'], methods: ['GET'] },
      ],
    },
  },
});
const plan = (s: Json) => planSpec(validateConfig(s));

describe('rate-limited routes', () => {
  const p = plan(spec());
  const g = p.gateways[0]!;

  it('sends the limited route through the service proxy, says why, and leaves the other route of the service direct', () => {
    expect(g.routes.map((r) => [r.path, r.integration.kind])).toEqual([
      ['/api/users', 'lambda-proxy'],
      ['/v2/users', 'lambda-proxy'],
      ['/api/health', 'http-proxy'],
    ]);
    expect(g.routes[0]!.reason).toMatch(/exact rate limit \(100\/minute, 5000\/hour per consumer\)/);
  });

  it('bakes one limiter per spec route, shared by its paths and methods, scoped by gateway and route name', () => {
    const routes = Object.values(g.proxies[0]!.config.routes);
    expect(routes).toHaveLength(8);
    const scopes = new Set(routes.map((r) => r.rateLimit?.scope));
    expect([...scopes]).toEqual(['public#user-routes']);
    expect(routes[0]!.rateLimit).toEqual({
      windows: [
        { seconds: 60, limit: 100 },
        { seconds: 3600, limit: 5000 },
      ],
      by: { kind: 'consumer' },
      failOpen: true,
      hideHeaders: false,
      scope: 'public#user-routes',
    });
  });

  it('needs the state table for the counters, and not for breakers', () => {
    expect(p.stateTable).toBe(true);
    expect(g.proxies[0]!.stateUses).toEqual({ breaker: false, rateLimit: true });
  });

  it('names an unnamed route by its index in the scope', () => {
    const unnamed = plan(spec({ name: undefined }));
    expect(Object.values(unnamed.gateways[0]!.proxies[0]!.config.routes)[0]!.rateLimit!.scope).toBe('public#routes[0]');
  });
});

describe('rate-limit warnings', () => {
  it('GIVEN a per-second limit above what the stage throttle lets through WHEN planned THEN RATE_LIMIT_ABOVE_THROTTLE names the window', () => {
    const p = plan(spec({ rateLimit: { second: 50 } }, { throttle: { rate: 10, burst: 20 } }));
    expect(p.warnings).toContainEqual(
      expect.objectContaining({
        code: 'RATE_LIMIT_ABOVE_THROTTLE',
        where: 'gateways.public.routes[0].rateLimit.second',
        message: expect.stringMatching(/at most 30 requests per second/),
      }),
    );
  });

  it('GIVEN a route throttle WHEN the limit fits it THEN no throttle warning', () => {
    const p = plan(spec({ rateLimit: { minute: 100 }, throttle: { rate: 2, burst: 10 } }));
    expect(p.warnings.map((w) => w.code)).not.toContain('RATE_LIMIT_ABOVE_THROTTLE');
  });

  it('GIVEN by: consumer on a route without auth or key WHEN planned THEN RATE_LIMIT_BY_IP says callers are counted by IP', () => {
    const p = plan(spec({ auth: undefined }));
    expect(p.warnings).toContainEqual(
      expect.objectContaining({ code: 'RATE_LIMIT_BY_IP', where: 'gateways.public.routes[0].rateLimit.by' }),
    );
  });

  it('GIVEN by: ip on an anonymous route WHEN planned THEN no IP warning', () => {
    const p = plan(spec({ auth: undefined, rateLimit: { minute: 10, by: 'ip' } }));
    expect(p.warnings.map((w) => w.code)).not.toContain('RATE_LIMIT_BY_IP');
  });
});

describe('rate limits by API key', () => {
  it("GIVEN by: apiKey above a plan's per-key throttle WHEN planned THEN the warning names the plan", () => {
    const s = {
      services: { users: { url: 'https://users.internal' } },
      gateways: {
        public: {
          routes: [{ service: 'users', paths: ['/api/users'], apiKey: true, rateLimit: { second: 100, by: 'apiKey' } }],
          plans: { basic: { throttle: { rate: 5, burst: 10 } } },
          consumers: { acme: { plans: ['basic'] } },
        },
      },
    };
    expect(plan(s).warnings).toContainEqual(
      expect.objectContaining({
        code: 'RATE_LIMIT_ABOVE_THROTTLE',
        message: expect.stringMatching(/plan "basic" throttle .* at most 15 requests per second through per key/),
      }),
    );
  });
});
