// The suite generated from each shipped example's plan, and the pure pieces checks are built on.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../lib/cli/check-config';
import { greedyUpstreamPrefix, upstreamPrefix, resolvePath } from '../../lib/verify/checks/paths';
import { parseConfig } from '../../lib/config/load';
import { planSpec } from '../../lib/plan/plan';
import { badBodyFor } from '../../lib/verify/checks/validation';
import type { CheckContext } from '../../lib/verify/context';
import { echoedRequest } from '../../lib/verify/echo';
import { generateChecks } from '../../lib/verify/generate';
import { isNoRouteAnswer } from '../../lib/verify/no-route';
import { templateMatches, unservedMethod } from '../../lib/verify/route-requests';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));

const contextFor = (gateway: CheckContext['gateway']): CheckContext => ({
  gateway,
  credentials: {},
  includeRateLimits: false,
  maxRateLimitRequests: 30,
  noRoute: {},
});

describe.each(examples)('the suite generated for examples/%s', (file) => {
  const { plan } = checkConfig(join(EXAMPLES, file));
  it.each(plan.gateways.map((g) => [g.name, g] as const))(
    'gateway %s: checks with unique ids, each described, starting with the unknown-path check',
    (_name, gateway) => {
      const checks = generateChecks(contextFor(gateway));
      const ids = checks.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids[0]).toBe('routes.unknown-path-refused');
      for (const check of checks) {
        expect(check.id).toMatch(/^[a-z-]+\.[a-z0-9.-]+(@[\w.{}+-]+(\/[A-Z]+)?)?$/);
        expect(check.description.length).toBeGreaterThan(10);
        if (check.skip !== undefined) expect(check.skip.length).toBeGreaterThan(5);
      }
      // Every route is checked for its methods.
      for (const route of gateway.routes) expect(ids.some((id) => id.startsWith(`methods.answers@${route.id}/`))).toBe(true);
    },
  );
});

describe('route templates', () => {
  it.each([
    ['/api/users', '/api/users', true],
    ['/api/users', '/api/users/', true],
    ['/api/users', '/api/users/1', false],
    ['/api/users/{proxy+}', '/api/users/1/2', true],
    ['/api/users/{proxy+}', '/api/users', false],
    ['/api/users/{id}', '/api/users/1', true],
    ['/api/users/{id}', '/api/users/1/orders', false],
    ['/{proxy+}', '/anything/at/all', true],
    ['/a.b', '/aXb', false],
  ])('%s matches %s: %s', (template, path, expected) => {
    expect(templateMatches(template, path)).toBe(expected);
  });

  it('picks a method no route serves at the path, none under an ANY route', () => {
    const { plan } = checkConfig(join(__dirname, 'support', 'configs', 'rest.yaml'));
    const gateway = plan.gateways[0]!;
    expect(unservedMethod(gateway, '/api/users')).toBe('DELETE');
    const any = { ...gateway, routes: gateway.routes.map((r) => ({ ...r, apiMethods: ['ANY' as const] })) };
    expect(unservedMethod(any, '/api/users')).toBeUndefined();
  });
});

describe('bad bodies for a schema', () => {
  it('leaves out the required properties, else sends the wrong top-level type, else gives up', () => {
    expect(badBodyFor({ type: 'object', required: ['sku', 'qty'] })).toEqual({ body: '{}', why: 'no sku, qty' });
    expect(badBodyFor({ type: 'object' })).toEqual({ body: '[]', why: 'an array where an object is required' });
    expect(badBodyFor({ type: 'array' })).toEqual({ body: '{}', why: 'an object where an array is required' });
    expect(badBodyFor({})).toBeUndefined();
  });
});

describe('dot segments', () => {
  it('reads the upstream prefix from the greedy URI and resolves what the upstream received', () => {
    expect(upstreamPrefix('https://svc.example.com/base/api/{proxy}')).toBe('/base/api/');
    expect(upstreamPrefix('https://svc.example.com/files/{rest}', '{rest}')).toBe('/files/');
    expect(upstreamPrefix('https://svc.example.com/files')).toBeUndefined();
    expect(resolvePath('/base/api/x/%2e%2e/%2E%2E/%2e%2e/out?q=1')).toBe('/out');
    expect(resolvePath('/base/api/x/../y')).toBe('/base/api/y');
    expect(resolvePath('/base/api/%zz/../x')).toBe('/base/api/x');
  });
});

describe('dot segments per kind of greedy route', () => {
  const config = `
services:
  files: { url: https://files.example.com/store }
gateways:
  main:
    flavor: http
    routes:
      - { service: files, paths: [/docs] }
      - { service: files, paths: ["/files/{rest+}"] }
      - { service: files, paths: [/exact], match: exact }
`;
  const [gateway] = planSpec(parseConfig(config)).gateways;
  const route = (path: string) => gateway!.routes.find((r) => r.path === path)!;
  const prefixOf = (path: string) => {
    const r = route(path);
    return r.integration.kind === 'http-proxy' ? greedyUpstreamPrefix(r, r.integration) : 'not http-proxy';
  };

  it('reads the prefix of an implicit {proxy+} child from greedyUri, of a path that ends greedy from its own uri, and none for an exact path', () => {
    expect(prefixOf('/docs')).toMatch(/^\/store\/docs\/?$/);
    expect(prefixOf('/files/{rest+}')).toMatch(/^\/store\/files\/?$/);
    expect(prefixOf('/exact')).toBeUndefined();
  });

  it('generates the dot-segment check for both greedy kinds and not for the exact path', () => {
    const ids = generateChecks(contextFor(gateway!))
      .map((c) => c.id)
      .filter((id) => id.startsWith('paths.dot-segments@'));
    expect(ids).toEqual(
      expect.arrayContaining([`paths.dot-segments@${route('/docs').id}`, `paths.dot-segments@${route('/files/{rest+}').id}`]),
    );
    expect(ids).not.toContain(`paths.dot-segments@${route('/exact').id}`);
  });
});

describe('echo answers', () => {
  const response = (body: unknown, type = 'application/json') => ({
    status: 200,
    headers: { 'content-type': type },
    body: JSON.stringify(body),
  });

  it('reads method, url or path, and headers with single or repeated values', () => {
    expect(echoedRequest(response({ method: 'GET', url: '/x', headers: { 'X-User-Id': '-', a: ['1', '2'] } }))).toEqual({
      method: 'GET',
      path: '/x',
      headers: { 'x-user-id': '-', a: '1, 2' },
    });
    expect(echoedRequest(response({ method: 'GET', path: '/y', headers: {} }))?.path).toBe('/y');
  });

  it.each([
    ['not JSON', { status: 200, headers: { 'content-type': 'text/plain' }, body: 'GET /x' }],
    ['a JSON body of another shape', response({ ok: true })],
    ['headers that are not strings', response({ method: 'GET', url: '/x', headers: { a: 1 } })],
    ['headers as a list', response({ method: 'GET', url: '/x', headers: [] })],
    ['JSON typed as text', response({ method: 'GET', url: '/x', headers: {} }, 'text/plain')],
  ])('is no echo: %s', (_what, res) => {
    expect(echoedRequest(res)).toBeUndefined();
  });
});

describe("the gateway's no-route answer", () => {
  const res = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, body: JSON.stringify(body) });

  it("is recognised by API Gateway's bodies and error type until the run has learnt the gateway's own", () => {
    expect(isNoRouteAnswer(res(403, { message: 'Missing Authentication Token' }), {})).toBe(true);
    expect(isNoRouteAnswer(res(404, { message: 'Not Found' }), {})).toBe(true);
    expect(isNoRouteAnswer(res(403, {}, { 'x-amzn-errortype': 'MissingAuthenticationTokenException' }), {})).toBe(true);
    expect(isNoRouteAnswer(res(403, { message: 'Forbidden' }), {})).toBe(false);
    expect(isNoRouteAnswer(res(401, { message: 'Not Found' }), {})).toBe(false);
  });

  it('compares with the learnt signature, so an upstream 404 with another body is a routed answer', () => {
    const memory = { signature: { status: 404, body: '{"message":"Not Found"}' } };
    expect(isNoRouteAnswer(res(404, { message: 'Not Found' }), memory)).toBe(true);
    expect(isNoRouteAnswer(res(404, { error: 'no such user' }), memory)).toBe(false);
  });
});
