// The planner on templated and exact routes: which resources each path owns, the upstream URI, and what redeploys.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planSpec } from '../../lib/plan/plan';
import { loadConfig, validateConfig } from '../../lib/config/load';
import { asRest } from '../support/flavors';

const gateway = (routes: Record<string, unknown>[], flavor: 'rest' | 'http' = 'rest') =>
  planSpec(validateConfig({ services: { users: { url: 'https://users.internal/api' } }, gateways: { g: { flavor, routes } } }))
    .gateways[0]!;

describe('planRoutes with templates', () => {
  it('GIVEN a route without match WHEN planned THEN it owns its path and the implicit {proxy+} child (prefix, the default)', () => {
    expect(gateway([{ service: 'users', paths: ['/users/{id}'] }]).routes[0]!.resourcePaths).toEqual([
      '/users/{id}',
      '/users/{id}/{proxy+}',
    ]);
  });

  it('GIVEN match: exact WHEN planned THEN it owns its path alone', () => {
    expect(gateway([{ service: 'users', paths: ['/users/{id}'], match: 'exact' }]).routes[0]!.resourcePaths).toEqual(['/users/{id}']);
  });

  it('GIVEN a path ending in {rest+} WHEN planned THEN it owns that path alone, prefix or not', () => {
    expect(gateway([{ service: 'users', paths: ['/files/{rest+}'] }]).routes[0]!.resourcePaths).toEqual(['/files/{rest+}']);
  });

  it('GIVEN a direct templated route WHEN planned THEN the upstream URIs keep the parameters for API Gateway to fill', () => {
    expect(gateway([{ service: 'users', paths: ['/users/{id}'] }]).routes[0]!.integration).toMatchObject({
      kind: 'http-proxy',
      uri: 'https://users.internal/api/users/{id}',
      greedyUri: 'https://users.internal/api/users/{id}/{proxy}',
    });
    expect(gateway([{ service: 'users', paths: ['/files/{rest+}'] }]).routes[0]!.integration).toMatchObject({
      uri: 'https://users.internal/api/files/{rest}',
    });
  });

  it("GIVEN the same route as prefix and as exact WHEN planned THEN the deployment fingerprints differ (the API's resources do)", () => {
    const prefix = gateway([{ service: 'users', paths: ['/users'] }]);
    expect(gateway([{ service: 'users', paths: ['/users'], match: 'exact' }]).deploymentFingerprint).not.toBe(prefix.deploymentFingerprint);
    expect(gateway([{ service: 'users', paths: ['/users'], match: 'prefix' }]).deploymentFingerprint).toBe(prefix.deploymentFingerprint);
  });

  it('GIVEN exact routes WHEN planned THEN the REST resource estimate counts one resource per path (plus shared parents)', () => {
    expect(asRest(gateway([{ service: 'users', paths: ['/users/{id}'], match: 'exact' }])).estimate.apiResources).toBe(2);
    expect(asRest(gateway([{ service: 'users', paths: ['/users/{id}'] }])).estimate.apiResources).toBe(3);
    expect(gateway([{ service: 'users', paths: ['/users/{id}'] }], 'http').estimate).not.toHaveProperty('apiResources');
  });
});

describe('examples/routing.yaml', () => {
  const plan = planSpec(loadConfig(join(__dirname, '../../examples/routing.yaml')));

  it('GIVEN the routing example WHEN planned THEN the REST authorizer keeps its policy cache (exact outer routes) and no warning is raised about it', () => {
    const rest = plan.gateways.find((g) => g.name === 'rest')!;
    expect(rest.authorizer!.cacheTtlSeconds).toBeGreaterThan(0);
    expect(plan.warnings.map((w) => w.code)).not.toContain('AUTHORIZER_CACHE_OFF');
  });

  it("GIVEN the CQRS /orders routes WHEN planned THEN GET goes straight to the read service and POST through the write service's proxy", () => {
    const orders = plan.gateways.find((g) => g.name === 'rest')!.routes.filter((r) => r.path === '/orders');
    expect(orders.map((r) => [r.methods, r.integration.kind, r.service])).toEqual([
      [['GET'], 'http-proxy', 'orders-read'],
      [['POST', 'PUT'], 'lambda-proxy', 'orders-write'],
    ]);
  });
});
