// `{path.name}` in a service's request transform: every route path using the service must have that parameter (path-parameter-rules.ts).
import { describe, expect, it } from 'vitest';
import { checkRouteParameterUses } from '../../lib/config/path-parameter-rules';
import type { GatehouseSpec } from '../../lib/config/schema';
import { validateConfig } from '../../lib/config/load';
import { expectOnlyIssue, specWith } from './fixtures';

const transform = ['services', 'users', 'transform'] as const;

describe('{path.x} in a request transform', () => {
  it('GIVEN a header set to {path.id} WHEN the route path has no parameters THEN a ConfigError names the route path and the fix', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...transform], { request: { set: { headers: { 'X-User': '{path.id}' } } } }])),
      'gateways.public.routes[0].paths[0]',
      /services\.users\.transform\.request uses \{path\.id\}, but \/api\/users has no parameters: add the parameter to the path \(e\.g\. \/api\/users\/\{id\}\)/,
    );
  });

  it('GIVEN a rewrite to /accounts/{path.id} WHEN the route path has no parameters THEN a ConfigError names the route path', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...transform], { request: { path: [{ match: '/api/users/{uid}', to: '/accounts/{path.id}' }] } }])),
      'gateways.public.routes[0].paths[0]',
      /uses \{path\.id\}/,
    );
  });

  it('GIVEN a rewrite using only its own captures WHEN validated THEN it is accepted (captures need no route parameter)', () => {
    expect(() =>
      validateConfig(specWith([[...transform], { request: { path: [{ match: '/api/users/{uid}', to: '/accounts/{uid}' }] } }])),
    ).not.toThrow();
  });

  // Route path templates come from the routes' schema; the rule itself reads any path.
  const ruleOn = (paths: string[], value: string) =>
    checkRouteParameterUses({
      services: { users: { transform: { request: { set: { headers: { 'X-User': value } } } } } },
      gateways: { public: { routes: [{ service: 'users', paths }] } },
    } as unknown as GatehouseSpec);

  it('GIVEN templated paths that all have {id} WHEN checked THEN there is no issue', () => {
    expect(ruleOn(['/api/users/{id}', '/v2/users/{id}/{rest+}'], '{path.id}')).toEqual([]);
  });

  it('GIVEN one of two paths without {org} WHEN checked THEN only that path is reported, naming the parameters it has', () => {
    expect(ruleOn(['/orgs/{org}/users/{id}', '/users/{id}'], 'org:{path.org}')).toEqual([
      {
        path: ['gateways', 'public', 'routes', 0, 'paths', 1],
        message: expect.stringMatching(/uses \{path\.org\}, but \/users\/\{id\} has only \{id\}/),
      },
    ]);
  });
});
