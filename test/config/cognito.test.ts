// Issue 14 item 3: a Cognito user pool as a trusted issuer, in the spec (defaults, every validation branch at file:line) and in the plan.
import { describe, expect, it } from 'vitest';
import { explainPlan } from '../../lib/plan/explain';
import { planSpec } from '../../lib/plan/plan';
import { parseConfig, validateConfig } from '../../lib/config/load';
import { expectOnlyIssue, specWith } from './fixtures';
import { asHttp } from '../support/flavors';

const gw = ['gateways', 'public'] as const;
const POOL = 'eu-west-1_AbCdEf123';
const CLIENT = '1example23456789abcdefghijk';
const withIssuer = (issuer: Record<string, unknown>, gateway: Record<string, unknown> = {}) =>
  specWith(
    [[...gw, 'auth'], { jwt: { issuers: [issuer] } }],
    [[...gw, 'routes', 0, 'auth'], { jwt: { scopes: ['orders/read'] } }],
    ...Object.entries(gateway).map(([k, v]) => [[...gw, k], v] as const),
  );
const issuerAt = 'gateways.public.auth.jwt.issuers[0]';

describe('GIVEN a Cognito user pool as an issuer', () => {
  it('WHEN validated THEN it expands to the pool issuer URL of the region the pool id starts with, and its app clients as the audience', () => {
    const spec = validateConfig(withIssuer({ cognito: { userPoolId: POOL, clientIds: [CLIENT] } }));
    const issuer = spec.gateways.public!.auth!.jwt!.issuers[0]!;
    expect(issuer.issuer).toBe(`https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`);
    expect(issuer.audience).toEqual([CLIENT]);
    expect(issuer.cognito).toEqual({ userPoolId: POOL, region: 'eu-west-1', clientIds: [CLIENT] });
    expect(issuer.jwksUri).toBeUndefined();
  });

  it('WHEN given as a pool object and client objects (TypeScript) THEN their ids are used, clients after clientIds', () => {
    const spec = validateConfig(
      withIssuer({ cognito: { userPool: { userPoolId: POOL }, clients: [{ userPoolClientId: 'webclient' }], clientIds: [CLIENT] } }),
    );
    expect(spec.gateways.public!.auth!.jwt!.issuers[0]!.cognito).toEqual({
      userPoolId: POOL,
      region: 'eu-west-1',
      clientIds: [CLIENT, 'webclient'],
    });
    expect(spec.gateways.public!.auth!.jwt!.issuers[0]!.audience).toEqual([CLIENT, 'webclient']);
  });

  it('WHEN the region is given and agrees with the pool id THEN it is accepted', () => {
    const spec = validateConfig(withIssuer({ cognito: { userPoolId: POOL, region: 'eu-west-1', clientIds: [CLIENT] } }));
    expect(spec.gateways.public!.auth!.jwt!.issuers[0]!.issuer).toBe(`https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`);
  });

  it('WHEN planned on a REST API THEN the authorizer reads the pool JWKS directly and matches client_id when a token has no aud', () => {
    const plan = planSpec(validateConfig(withIssuer({ name: 'staff', cognito: { userPoolId: POOL, clientIds: [CLIENT, 'otherclient'] } })));
    expect(plan.gateways[0]!.authorizer!.config.issuers).toEqual([
      {
        issuer: `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`,
        audiences: [CLIENT, 'otherclient'],
        jwksUri: `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}/.well-known/jwks.json`,
        audienceFromClientId: true,
        name: 'staff',
      },
    ]);
    expect(explainPlan(plan)).toContain(
      `staff = https://cognito-idp.eu-west-1.amazonaws.com/${POOL} (aud, or client_id when absent, ${CLIENT},otherclient)`,
    );
  });

  it('WHEN planned on an HTTP API THEN the native JWT authorizer serves it: it checks client_id when aud is absent', () => {
    const plan = planSpec(validateConfig(withIssuer({ cognito: { userPoolId: POOL, clientIds: [CLIENT] } }, { flavor: 'http' })));
    const g = plan.gateways[0]!;
    expect(g.authorizer).toBeUndefined();
    expect(asHttp(g).nativeJwtAuthorizer).toMatchObject({
      issuer: `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`,
      audiences: [CLIENT],
    });
    expect(explainPlan(plan)).toContain(
      `issuer: https://cognito-idp.eu-west-1.amazonaws.com/${POOL} (aud, or client_id when absent, ${CLIENT})`,
    );
  });

  it('WHEN a plain issuer is planned THEN its audience is checked against aud only (no client_id fallback)', () => {
    const plan = planSpec(validateConfig(withIssuer({ issuer: 'https://login.example.com/', audience: ['api'] })));
    expect(plan.gateways[0]!.authorizer!.config.issuers[0]).not.toHaveProperty('audienceFromClientId');
  });
});

describe('Cognito issuer validation', () => {
  it.each([
    [
      'a pool id without its region',
      { userPoolId: 'AbCdEf123', clientIds: [CLIENT] },
      `${issuerAt}.cognito.userPoolId`,
      /a user pool id is <region>_<id>, e\.g\. eu-west-1_AbCdEf123/,
    ],
    [
      'a pool id with a bad region part',
      { userPoolId: 'europe_AbC', clientIds: [CLIENT] },
      `${issuerAt}.cognito.userPoolId`,
      /a user pool id is <region>_<id>/,
    ],
    [
      'a region the pool is not in',
      { userPoolId: POOL, region: 'us-east-1', clientIds: [CLIENT] },
      `${issuerAt}.cognito.region`,
      /user pool eu-west-1_AbCdEf123 is in eu-west-1, not us-east-1: remove region/,
    ],
    [
      'a region that is not a region code',
      { userPoolId: POOL, region: 'Ireland', clientIds: [CLIENT] },
      `${issuerAt}.cognito.region`,
      /region is an AWS region code/,
    ],
    ['no client ids', { userPoolId: POOL }, `${issuerAt}.cognito.clientIds`, /required field is missing/],
    [
      'an empty client id list',
      { userPoolId: POOL, clientIds: [] },
      `${issuerAt}.cognito.clientIds`,
      /without them any app client of the pool could call it/,
    ],
    [
      'a client id with a space',
      { userPoolId: POOL, clientIds: ['a b'] },
      `${issuerAt}.cognito.clientIds[0]`,
      /an app client id uses letters, digits/,
    ],
    [
      'an unknown field',
      { userPoolId: POOL, clientIds: [CLIENT], tokenUse: 'access' },
      `${issuerAt}.cognito.tokenUse`,
      /unknown field "tokenUse"/,
    ],
  ])('GIVEN %s WHEN validated THEN the field is named with its fix', (_given, cognito, where, message) => {
    expectOnlyIssue(() => validateConfig(withIssuer({ cognito })), where, message);
  });

  it.each([
    ['issuer', 'https://login.example.com/'],
    ['jwksUri', 'https://login.example.com/jwks'],
    ['audience', ['api']],
  ])('GIVEN cognito together with %s WHEN validated THEN that field is refused, since the pool decides it', (field, value) => {
    expectOnlyIssue(
      () => validateConfig(withIssuer({ cognito: { userPoolId: POOL, clientIds: [CLIENT] }, [field]: value })),
      `${issuerAt}.${field}`,
      new RegExp(`give either cognito or ${field}, not both`),
    );
  });

  it('GIVEN both userPoolId and userPool WHEN validated THEN one is asked for', () => {
    expectOnlyIssue(
      () => validateConfig(withIssuer({ cognito: { userPoolId: POOL, userPool: { userPoolId: POOL }, clientIds: [CLIENT] } })),
      `${issuerAt}.cognito.userPoolId`,
      /give either userPoolId or userPool, not both/,
    );
  });

  it('GIVEN neither userPoolId nor userPool WHEN validated THEN the pool id is asked for', () => {
    expectOnlyIssue(
      () => validateConfig(withIssuer({ cognito: { clientIds: [CLIENT] } })),
      `${issuerAt}.cognito.userPoolId`,
      /required field is missing \(expected string\): the user pool id/,
    );
  });

  it('GIVEN a userPool that is not a user pool (a config file cannot hold one) WHEN validated THEN it says what it takes', () => {
    expectOnlyIssue(
      () => validateConfig(withIssuer({ cognito: { userPool: 'my-pool', clientIds: [CLIENT] } })),
      `${issuerAt}.cognito.userPool`,
      /userPool is a cognito\.IUserPool \(TypeScript specs only; a config file gives userPoolId\)/,
    );
  });

  it('GIVEN a client that is not an app client WHEN validated THEN it says what it takes', () => {
    expectOnlyIssue(
      () => validateConfig(withIssuer({ cognito: { userPoolId: POOL, clients: ['web'] } })),
      `${issuerAt}.cognito.clients[0]`,
      /a client is a cognito\.IUserPoolClient/,
    );
  });

  it('GIVEN neither issuer nor cognito WHEN validated THEN the issuer is asked for, naming cognito as the alternative', () => {
    expectOnlyIssue(
      () => validateConfig(withIssuer({ audience: ['api'] })),
      `${issuerAt}.issuer`,
      /required field is missing \(expected string\): the issuer URL.*or a cognito user pool/,
    );
  });

  it('GIVEN an issuer without audience WHEN validated THEN the audience is asked for', () => {
    expectOnlyIssue(
      () => validateConfig(withIssuer({ issuer: 'https://login.example.com/' })),
      `${issuerAt}.audience`,
      /required field is missing \(expected array\)/,
    );
  });

  it('GIVEN a YAML config with a region mismatch WHEN loaded THEN the error points at the region line', () => {
    const yaml = [
      'services: { users: { url: "https://users.example.com" } }',
      'gateways:',
      '  public:',
      '    auth:',
      '      jwt:',
      '        issuers:',
      '          - cognito:',
      `              userPoolId: ${POOL}`,
      '              region: us-east-1',
      `              clientIds: [${CLIENT}]`,
      '    routes: [{ service: users, paths: [/u], auth: jwt }]',
      '',
    ].join('\n');
    const issue = expectOnlyIssue(
      () => parseConfig(yaml, 'gatehouse.yaml'),
      `${issuerAt}.cognito.region`,
      /is in eu-west-1, not us-east-1/,
    );
    expect(issue).toMatchObject({ file: 'gatehouse.yaml', line: 9 });
  });
});
