// explain's route table: every method and resource of a gateway in API Gateway's match order, with match, backend and auth.
import { describe, expect, it } from 'vitest';
import { explainPlan } from '../../lib/plan/explain';
import { planSpec } from '../../lib/plan/plan';
import { validateConfig } from '../../lib/config/load';

const text = explainPlan(
  planSpec(
    validateConfig({
      services: { reader: { url: 'https://read.internal' }, writer: { url: 'https://write.internal', retries: { attempts: 1 } } },
      gateways: {
        g: {
          // An HTTP API: its route keys let /users/{id} sit next to the prefix route's /users/{proxy+} (a REST API refuses that).
          flavor: 'http',
          auth: { jwt: { issuers: [{ issuer: 'https://idp.example.com/', audience: ['api'] }] } },
          routes: [
            { service: 'reader', paths: ['/users'] },
            { service: 'reader', paths: ['/users/{id}'], methods: ['GET'], match: 'exact', auth: { jwt: {} } },
            { service: 'writer', paths: ['/users/{id}/keys'], methods: ['POST'], match: 'exact', auth: { jwt: { scopes: ['admin'] } } },
            { service: 'reader', paths: ['/users/me'], methods: ['GET'], match: 'exact' },
            { service: 'reader', paths: ['/orders'], methods: ['GET'], match: 'exact' },
            { service: 'writer', paths: ['/orders'], methods: ['POST'], match: 'exact' },
          ],
        },
      },
    }),
  ),
);

describe('explain route table', () => {
  const table = text.slice(text.indexOf('  Match order')).split('\n').slice(1, 9);

  it('GIVEN literal, parameter and greedy routes WHEN explained THEN the rows are in match order with method, path, match, backend and auth', () => {
    expect(table.map((l) => l.trim().split(/\s{2,}/))).toEqual([
      ['METHOD', 'PATH', 'MATCH', 'BACKEND', 'AUTH'],
      ['GET', '/orders', 'exact', 'reader (direct)', 'none'],
      ['POST', '/orders', 'exact', 'writer (proxy Lambda)', 'none'],
      ['GET', '/users/me', 'exact', 'reader (direct)', 'none'],
      ['POST', '/users/{id}/keys', 'exact', 'writer (proxy Lambda)', 'jwt(admin)'],
      ['GET', '/users/{id}', 'exact', 'reader (direct)', 'jwt'],
      ['ANY', '/users', 'prefix', 'reader (direct)', 'none'],
      ['ANY', '/users/{proxy+}', 'below /users', 'reader (direct)', 'none'],
    ]);
  });

  it('GIVEN an exact route WHEN explained THEN the route row shows its path without /*', () => {
    expect(text).toMatch(/^\s+\/users\/\{id\}\s+GET\s+reader/m);
    expect(text).toMatch(/^\s+\/users\/\*\s+ANY\s+reader/m);
  });
});
