// The auth sections: every validation branch of auth-schema.ts and the auth rules, and every default.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig, validateConfig } from '../../lib/config/load';
import { expectOnlyIssue, specWith } from './fixtures';

const gw = ['gateways', 'public'] as const;
const issuer = { issuer: 'https://login.example.com/', audience: ['orders-api'] };
const withJwt = (jwt: Record<string, unknown>, routeAuth: unknown = 'jwt') =>
  specWith([[...gw, 'auth'], { jwt }], [[...gw, 'routes', 0, 'auth'], routeAuth]);

describe('auth defaults', () => {
  const spec = validateConfig(withJwt({ issuers: [issuer] }));
  const jwt = spec.gateways.public!.auth!.jwt!;

  it('GIVEN only issuers WHEN validated THEN algorithms default to RS256 and ES256, clock tolerance to 30 s, cache TTL to 300 s', () => {
    expect(jwt.algorithms).toEqual(['RS256', 'ES256']);
    expect(jwt.clockToleranceSeconds).toBe(30);
    expect(jwt.cacheTtlSeconds).toBe(300);
    expect(jwt.maxTokenAgeSeconds).toBeUndefined();
    expect(jwt.requiredClaims).toEqual([]);
  });

  it('GIVEN only issuers WHEN validated THEN claims default to scope/scp, roles/cognito:groups and client_id/azp/cid', () => {
    expect(jwt.scopeClaims).toEqual(['scope', 'scp']);
    expect(jwt.roleClaims).toEqual(['roles', 'cognito:groups']);
    expect(jwt.clientIdClaims).toEqual(['client_id', 'azp', 'cid']);
  });

  it('GIVEN only issuers WHEN validated THEN JWKS fetches time out at 1500 ms, cache for 600 s and refetch at most every 30 s', () => {
    expect(jwt.jwks).toEqual({ timeoutMs: 1500, cacheMaxAgeSeconds: 600, cooldownSeconds: 30 });
  });

  it('GIVEN only issuers WHEN validated THEN identity headers are X-User-Id, X-User-Roles, X-User-Scopes and X-Client-Id', () => {
    expect(jwt.identityHeaders).toEqual({ userId: 'X-User-Id', roles: 'X-User-Roles', scopes: 'X-User-Scopes', clientId: 'X-Client-Id' });
  });

  it('GIVEN auth: jwt on a route WHEN validated THEN it means any valid token: no scopes, no roles', () => {
    expect(spec.gateways.public!.routes[0]!.auth).toEqual({ jwt: { scopes: [], roles: [] } });
  });

  it('GIVEN auth: { jwt: { scopes } } WHEN validated THEN roles default to none', () => {
    const s = validateConfig(withJwt({ issuers: [issuer] }, { jwt: { scopes: ['orders:read'] } }));
    expect(s.gateways.public!.routes[0]!.auth).toEqual({ jwt: { scopes: ['orders:read'], roles: [] } });
  });
});

describe('auth validation', () => {
  const jwtAt = 'gateways.public.auth.jwt';

  it.each([
    ['no issuers', { issuers: [] }, `${jwtAt}.issuers`, /list at least one issuer/],
    [
      'an issuer that is not a URL',
      { issuers: [{ ...issuer, issuer: 'login' }] },
      `${jwtAt}.issuers[0].issuer`,
      /issuer must be the issuer URL exactly as in the tokens' "iss"/,
    ],
    ['an empty audience list', { issuers: [{ ...issuer, audience: [] }] }, `${jwtAt}.issuers[0].audience`, /list at least one audience/],
    [
      'a jwksUri that is not http(s)',
      { issuers: [{ ...issuer, jwksUri: 'ftp://x/jwks' }] },
      `${jwtAt}.issuers[0].jwksUri`,
      /jwksUri must be an http\(s\) URL/,
    ],
    ['HS256 in algorithms', { issuers: [issuer], algorithms: ['HS256'] }, `${jwtAt}.algorithms[0]`, /HS\* and none are never accepted/],
    ['none in algorithms', { issuers: [issuer], algorithms: ['none'] }, `${jwtAt}.algorithms[0]`, /HS\* and none are never accepted/],
    [
      'a clock tolerance over 300 s',
      { issuers: [issuer], clockToleranceSeconds: 301 },
      `${jwtAt}.clockToleranceSeconds`,
      /accepts long-expired tokens/,
    ],
    ['a cache TTL over 3600 s', { issuers: [issuer], cacheTtlSeconds: 3601 }, `${jwtAt}.cacheTtlSeconds`, /at most 3600 s/],
    ['a negative cache TTL', { issuers: [issuer], cacheTtlSeconds: -1 }, `${jwtAt}.cacheTtlSeconds`, />=0/],
    [
      'a bad identity header name',
      { issuers: [issuer], identityHeaders: { userId: 'X User' } },
      `${jwtAt}.identityHeaders.userId`,
      /a header name uses letters, digits and "-"/,
    ],
    ['an unknown field', { issuers: [issuer], audiences: ['x'] }, `${jwtAt}.audiences`, /unknown field "audiences"/],
  ])('GIVEN %s WHEN validated THEN the field is named with its fix', (_given, jwt, where, message) => {
    expectOnlyIssue(() => validateConfig(withJwt(jwt)), where, message);
  });

  it('GIVEN a route auth that is neither "jwt" nor { jwt } WHEN validated THEN it shows both forms', () => {
    expectOnlyIssue(
      () => validateConfig(withJwt({ issuers: [issuer] }, 'oauth')),
      'gateways.public.routes[0].auth',
      /auth is "jwt" or \{ jwt: \{ scopes/,
    );
  });

  it('GIVEN a route requiring a JWT on a gateway without auth WHEN validated THEN it asks for auth.jwt.issuers', () => {
    expectOnlyIssue(
      () => validateConfig(specWith([[...gw, 'routes', 0, 'auth'], { jwt: { scopes: ['a'] } }])),
      'gateways.public.routes[0].auth',
      /requires a JWT but the gateway trusts no issuer: add auth\.jwt\.issuers/,
    );
  });

  it('GIVEN the same issuer twice WHEN validated THEN the second is reported', () => {
    expectOnlyIssue(
      () => validateConfig(withJwt({ issuers: [issuer, issuer] })),
      `${jwtAt}.issuers[1].issuer`,
      /listed twice; merge their audiences/,
    );
  });

  describe('baked JWKS files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-jwks-'));
    const file = (name: string, body: string) => {
      const path = join(dir, name);
      writeFileSync(path, body);
      return path;
    };
    const withFile = (jwksFile: string) => withJwt({ issuers: [{ ...issuer, jwksFile }] });

    it("GIVEN a missing file WHEN validated THEN it says not found, relative to the config file's directory", () => {
      expectOnlyIssue(
        () => validateConfig(withFile(join(dir, 'nope.json'))),
        `${jwtAt}.issuers[0].jwksFile`,
        /nope.json not found \(paths are relative to the config file's directory: /,
      );
    });

    describe('a relative path', () => {
      const configDir = mkdtempSync(join(tmpdir(), 'gatehouse-config-'));
      const pub = JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }] });
      const yaml = (jwksFile: string) =>
        `services: { users: { url: "https://users.internal" } }\ngateways:\n  public:\n    auth: { jwt: { issuers: [{ issuer: "https://login.example.com/", audience: [api], jwksFile: ${jwksFile} }] } }\n    routes: [{ service: users, paths: [/u], auth: jwt }]\n`;
      const issuerFile = (spec: ReturnType<typeof parseConfig>) => spec.gateways.public!.auth!.jwt!.issuers[0]!.jwksFile;

      it('GIVEN a file next to the config WHEN loaded from another working directory THEN it is found there and made absolute', () => {
        mkdirSync(join(configDir, 'keys'), { recursive: true });
        writeFileSync(join(configDir, 'keys', 'idp.json'), pub);
        expect(issuerFile(parseConfig(yaml('keys/idp.json'), join(configDir, 'gatehouse.yaml')))).toBe(join(configDir, 'keys', 'idp.json'));
      });

      it('GIVEN a file only relative to the working directory (as configs were written before) WHEN loaded THEN it is still found there', () => {
        const cwdFile = relative(process.cwd(), file('cwd-only.json', pub));
        expect(issuerFile(parseConfig(yaml(cwdFile), join(configDir, 'gatehouse.yaml')))).toBe(resolve(cwdFile));
      });

      it('GIVEN a file in neither place WHEN loaded THEN the error names the config directory', () => {
        expectOnlyIssue(
          () => parseConfig(yaml('keys/none.json'), join(configDir, 'gatehouse.yaml')),
          `${jwtAt}.issuers[0].jwksFile`,
          new RegExp(`keys/none.json not found \\(paths are relative to the config file's directory: ${configDir}\\)`),
        );
      });
    });

    it('GIVEN a file that is not JSON WHEN validated THEN it says so', () => {
      expectOnlyIssue(() => validateConfig(withFile(file('bad.json', '{'))), `${jwtAt}.issuers[0].jwksFile`, /is not readable JSON/);
    });

    it('GIVEN JSON without keys WHEN validated THEN it describes a JWKS', () => {
      expectOnlyIssue(
        () => validateConfig(withFile(file('empty.json', '{"keys":[]}'))),
        `${jwtAt}.issuers[0].jwksFile`,
        /expected \{ "keys": \[ \.\.\. \] \}/,
      );
    });

    it('GIVEN a JWKS holding a private key WHEN validated THEN it refuses to bake it', () => {
      const priv = file('priv.json', JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'secret' }] }));
      expectOnlyIssue(() => validateConfig(withFile(priv)), `${jwtAt}.issuers[0].jwksFile`, /contains a private key \("d"\)/);
    });

    it('GIVEN a public JWKS WHEN validated THEN it is accepted', () => {
      const pub = file('pub.json', JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }] }));
      expect(() => validateConfig(withFile(pub))).not.toThrow();
    });
  });
});

describe('JWT clients as usage-plan API keys', () => {
  const keyed = (clientIdAsApiKey: boolean, consumer: Record<string, unknown>, routeAuth: unknown = 'jwt') =>
    specWith(
      [[...gw, 'auth'], { jwt: { issuers: [issuer], clientIdAsApiKey } }],
      [[...gw, 'routes', 0], { service: 'users', paths: ['/api/users'], apiKey: true, ...(routeAuth ? { auth: routeAuth } : {}) }],
      [[...gw, 'plans'], { standard: {} }],
      [[...gw, 'consumers'], { acme: { plans: ['standard'], ...consumer } }],
    );

  it('GIVEN auth.jwt without clientIdAsApiKey WHEN validated THEN it defaults to false', () => {
    expect(validateConfig(withJwt({ issuers: [issuer] })).gateways.public!.auth!.jwt!.clientIdAsApiKey).toBe(false);
  });

  it('GIVEN clientIdAsApiKey and consumers with client ids WHEN validated THEN it is accepted', () => {
    expect(() => validateConfig(keyed(true, { clientId: 'acme-app' }))).not.toThrow();
  });

  it("GIVEN clientIdAsApiKey and a consumer without clientId WHEN validated THEN the consumer's clientId is asked for", () => {
    expectOnlyIssue(
      () => validateConfig(keyed(true, {})),
      'gateways.public.consumers.acme.clientId',
      /set the JWT client id whose calls count/,
    );
  });

  it('GIVEN a clientId without clientIdAsApiKey WHEN validated THEN it says clientId only applies with it', () => {
    expectOnlyIssue(
      () => validateConfig(keyed(false, { clientId: 'acme-app' })),
      'gateways.public.consumers.acme.clientId',
      /only applies with auth\.jwt\.clientIdAsApiKey: true/,
    );
  });

  it('GIVEN clientIdAsApiKey and a keyed route without JWT auth WHEN validated THEN the route is told it needs auth: jwt', () => {
    expectOnlyIssue(
      () => validateConfig(keyed(true, { clientId: 'acme-app' }, null)),
      'gateways.public.routes[0].apiKey',
      /a keyed route needs auth: jwt/,
    );
  });
});

describe('issuer restrictions', () => {
  const jwtAt = 'gateways.public.auth.jwt';
  const routeAt = 'gateways.public.routes[0].auth.jwt';
  const main = { ...issuer, name: 'main' };
  const partner = {
    issuer: 'https://partner.example.com/',
    audience: ['orders-api'],
    name: 'partner',
    grants: { scopes: ['orders:read'] },
  };
  const both = { issuers: [main, partner] };

  it('GIVEN no issuers on a route and no grants WHEN validated THEN the route accepts every trusted issuer and each may grant anything', () => {
    const spec = validateConfig(withJwt({ issuers: [issuer] }, { jwt: { scopes: ['a'] } }));
    expect(spec.gateways.public!.routes[0]!.auth!.jwt.issuers).toBeUndefined();
    expect(spec.gateways.public!.auth!.jwt!.issuers[0]!.grants).toBeUndefined();
    expect(spec.gateways.public!.auth!.jwt!.issuers[0]!.name).toBeUndefined();
  });

  it('GIVEN named issuers, grants and a route naming one WHEN validated THEN they are kept as written', () => {
    const spec = validateConfig(withJwt(both, { jwt: { scopes: ['orders:read'], issuers: ['partner'] } }));
    expect(spec.gateways.public!.routes[0]!.auth).toEqual({ jwt: { scopes: ['orders:read'], roles: [], issuers: ['partner'] } });
    expect(spec.gateways.public!.auth!.jwt!.issuers[1]!.grants).toEqual({ scopes: ['orders:read'] });
  });

  it.each([
    [
      'a route naming an unknown issuer',
      both,
      { jwt: { issuers: ['partnr'] } },
      `${routeAt}.issuers[0]`,
      /no trusted issuer is named "partnr" \(did you mean "partner"\?\); the gateway's issuers are named main, partner/,
    ],
    [
      'a route naming an issuer when none has a name',
      { issuers: [issuer] },
      { jwt: { issuers: ['main'] } },
      `${routeAt}.issuers[0]`,
      /give the issuer a name under the gateway's auth\.jwt\.issuers\[\]\.name/,
    ],
    [
      'a route listing an issuer twice',
      both,
      { jwt: { issuers: ['main', 'main'] } },
      `${routeAt}.issuers[1]`,
      /issuer "main" is listed twice/,
    ],
    [
      'a route with an empty issuer list',
      both,
      { jwt: { issuers: [] } },
      `${routeAt}.issuers`,
      /list at least one issuer name, or remove issuers to accept every trusted issuer/,
    ],
    [
      'two issuers with one name',
      { issuers: [main, { ...partner, name: 'main' }] },
      'jwt',
      `${jwtAt}.issuers[1].name`,
      /issuer name "main" is already used by issuers\[0\]/,
    ],
    [
      'an issuer name with a space',
      { issuers: [{ ...issuer, name: 'partner idp' }] },
      'jwt',
      `${jwtAt}.issuers[0].name`,
      /an issuer name is 1-64 letters, digits/,
    ],
    [
      'grants restricting nothing',
      { issuers: [{ ...issuer, grants: {} }] },
      'jwt',
      `${jwtAt}.issuers[0].grants`,
      /grants restricts nothing/,
    ],
    [
      'a scope only an issuer the route refuses may grant',
      both,
      { jwt: { scopes: ['admin'], issuers: ['partner'] } },
      `${routeAt}.scopes`,
      /no token can call this: none of its issuers \(partner\) may grant all of admin/,
    ],
    [
      'scopes no single issuer may grant together',
      {
        issuers: [
          { ...main, grants: { scopes: ['a'] } },
          { ...partner, grants: { scopes: ['b'] } },
        ],
      },
      { jwt: { scopes: ['a', 'b'] } },
      `${routeAt}.scopes`,
      /none of its issuers \(main, partner\) may grant all of a, b/,
    ],
    [
      'roles no accepted issuer may grant',
      { issuers: [{ ...partner, grants: { roles: ['viewer'] } }] },
      { jwt: { roles: ['admin', 'ops'] } },
      `${routeAt}.roles`,
      /may grant any of the roles admin, ops/,
    ],
  ])('GIVEN %s WHEN validated THEN the field is named with its fix', (_given, jwt, routeAuth, where, message) => {
    expectOnlyIssue(() => validateConfig(withJwt(jwt, routeAuth)), where, message);
  });

  it('GIVEN an aggregate naming an unknown issuer WHEN validated THEN the aggregate is named', () => {
    const spec = specWith(
      [[...gw, 'auth'], { jwt: both }],
      [
        [...gw, 'aggregates'],
        [{ path: '/api/me', auth: { jwt: { issuers: ['nobody'] } }, parts: { u: { service: 'users', path: '/u' } } }],
      ],
    );
    expectOnlyIssue(() => validateConfig(spec), 'gateways.public.aggregates[0].auth.jwt.issuers[0]', /no trusted issuer is named "nobody"/);
  });

  it('GIVEN a YAML config naming an unknown issuer WHEN loaded THEN the problem carries its line', () => {
    const yaml = [
      'services: { users: { url: "https://users.internal" } }',
      'gateways:',
      '  public:',
      '    auth: { jwt: { issuers: [{ issuer: "https://login.example.com/", audience: [api], name: main }] } }',
      '    routes:',
      '      - service: users',
      '        paths: [/u]',
      '        auth: { jwt: { issuers: [mian] } }',
      '',
    ].join('\n');
    const issue = expectOnlyIssue(
      () => parseConfig(yaml, join(tmpdir(), 'gatehouse.yaml')),
      `${routeAt}.issuers[0]`,
      /did you mean "main"/,
    );
    expect(issue.line).toBe(8);
  });
});
