// renderHttpOpenApi on plans alone: the deployed form (identity headers, integrations shared by key) and the clean form for docs and clients.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHttpOpenApi } from '../../lib/openapi/http/document';
import type { HttpFunctionRefs } from '../../lib/openapi/http/integrations';
import { planSpec } from '../../lib/plan/plan';
import { loadConfig, validateConfig } from '../../lib/config/load';
import { integrationOf, operations, type Doc } from '../support/http-definition';
import { openApiErrors } from '../support/openapi';
import { asHttp } from '../support/flavors';
import type { HttpGatewayPlan } from '../../lib/plan/types';

const refs: HttpFunctionRefs = {
  partition: 'aws',
  region: 'eu-west-1',
  account: '123456789012',
  proxyArn: (s) => `arn:aws:lambda:eu-west-1:123456789012:function:proxy-${s}`,
  aggregatorArn: (a) => `arn:aws:lambda:eu-west-1:123456789012:function:aggregator-${a}`,
  authorizerArn: 'arn:aws:lambda:eu-west-1:123456789012:function:authorizer',
  originVerifyAuthorizerArn: 'arn:aws:lambda:eu-west-1:123456789012:function:origin-verify',
};

const IDENTITY_HEADERS = ['X-User-Id', 'X-User-Roles', 'X-User-Scopes', 'X-Client-Id'];

function jwtGateway(roles: boolean) {
  return validateConfig({
    services: { users: { url: 'https://users.internal:8080' }, orders: { url: 'https://orders.internal:8080', retries: { attempts: 2 } } },
    gateways: {
      public: {
        flavor: 'http',
        auth: { jwt: { issuers: [{ issuer: 'https://login.example.com/', audience: ['api'] }] } },
        routes: [
          { service: 'users', paths: ['/public'] },
          { service: 'users', paths: ['/me'], auth: roles ? { jwt: { roles: ['admin'] } } : 'jwt' },
          { service: 'orders', paths: ['/orders'], auth: 'jwt' },
        ],
      },
    },
  });
}

describe('identity headers on a gateway with JWT auth (issue 22 item 5)', () => {
  it.each([
    ['the native JWT authorizer', false],
    ['the Lambda authorizer', true],
  ])(
    'GIVEN %s WHEN rendered THEN every direct integration overwrites or removes every identity header, so a client-sent one never reaches an upstream',
    async (_what, roles) => {
      const doc = renderHttpOpenApi(asHttp(planSpec(jwtGateway(roles)).gateways[0]), { refs }) as Doc;
      expect(await openApiErrors(doc)).toEqual([]);
      const direct = Object.values(doc.components['x-amazon-apigateway-integrations']!).filter((i) => i.type === 'http_proxy');
      expect(direct).toHaveLength(4); // /public and /me, each exact and greedy
      for (const integration of direct) {
        for (const header of IDENTITY_HEADERS) {
          const keys = Object.keys(integration.requestParameters).filter((k) =>
            k.toLowerCase().endsWith(`:header.${header.toLowerCase()}`),
          );
          expect(keys, `${integration.uri} ${header}`).toHaveLength(1);
          expect(keys[0], `${integration.uri} ${header}`).toMatch(/^(overwrite|remove):header\./);
        }
      }
      // The public route has no identity: every identity header is removed, with the documented '' value.
      const publicRoute = integrationOf(doc, operations(doc).find((o) => o.key === 'ANY /public')!.op);
      for (const header of IDENTITY_HEADERS) expect(publicRoute.requestParameters[`remove:header.${header}`]).toBe("''");
    },
  );
});

describe('renderHttpOpenApi', () => {
  it('GIVEN routes listed in another order WHEN rendered THEN the paths and integrations are the same (keys come from paths and names, never positions)', () => {
    const spec = jwtGateway(false);
    const reordered = { ...spec, gateways: { public: { ...spec.gateways.public!, routes: [...spec.gateways.public!.routes].reverse() } } };
    const a = renderHttpOpenApi(asHttp(planSpec(spec).gateways[0]), { refs }) as Doc;
    const b = renderHttpOpenApi(asHttp(planSpec(reordered).gateways[0]), { refs }) as Doc;
    expect(Object.keys(b.paths)).toEqual(Object.keys(a.paths));
    expect(b.paths).toEqual(a.paths);
    expect(b.components).toEqual(a.components);
  });

  it('GIVEN a REST plan WHEN rendered as an HTTP API THEN it refuses', () => {
    const rest = planSpec(
      validateConfig({ services: { a: { url: 'https://a.internal' } }, gateways: { g: { routes: [{ service: 'a', paths: ['/a'] }] } } }),
    ).gateways[0]!;
    // A caller without the types can still hand over a REST plan.
    expect(() => renderHttpOpenApi(rest as unknown as HttpGatewayPlan, { refs })).toThrow(/the plan is for flavor "rest"/);
  });
});

describe('the clean document (gatehouse export openapi without --aws-extensions)', () => {
  const plan = asHttp(planSpec(loadConfig(join(__dirname, '../../examples/http.yaml'))).gateways[0]);
  const doc = renderHttpOpenApi(plan) as Doc;

  it('is a valid OpenAPI 3.0 document without any x-amazon extension', async () => {
    expect(await openApiErrors(doc)).toEqual([]);
    expect(JSON.stringify(doc)).not.toMatch(/x-amazon-apigateway/);
  });

  it('describes the JWT issuer as an OpenID Connect scheme with the route scopes, and gives every operation an id', () => {
    expect(doc.components.securitySchemes).toEqual({
      'public-jwt': { type: 'openIdConnect', openIdConnectUrl: 'https://login.example.com/.well-known/openid-configuration' },
    });
    expect(doc.paths['/api/users']!.get!.security).toEqual([{ 'public-jwt': ['users:read'] }]);
    const ids = operations(doc).map((o) => (o.op as { operationId?: string }).operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("carries the validated route's body schema as its request body", () => {
    const post = doc.paths['/api/orders']!.post as { requestBody?: unknown };
    expect(post.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: expect.objectContaining({ required: ['sku', 'quantity'] }) } },
    });
    expect((doc.paths['/api/orders']!.get as Record<string, unknown>).requestBody).toBeUndefined();
  });
});

describe('an aggregate on a templated path', () => {
  it('GIVEN an aggregate on /api/orders/{id}/summary WHEN rendered for an HTTP API THEN the path declares id once and the document is valid OpenAPI', async () => {
    const plan = asHttp(
      planSpec(
        validateConfig({
          services: { orders: { url: 'https://orders.internal:8080' } },
          gateways: {
            web: {
              flavor: 'http',
              aggregates: [{ path: '/api/orders/{id}/summary', parts: { order: { service: 'orders', path: '/orders/{path.id}' } } }],
            },
          },
        }),
      ).gateways[0],
    );
    const doc = renderHttpOpenApi(plan, { refs }) as Doc;
    expect(doc.paths['/api/orders/{id}/summary']!.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    expect(await openApiErrors(doc)).toEqual([]);
  });
});
