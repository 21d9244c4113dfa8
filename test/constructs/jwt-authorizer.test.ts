import { describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { openApiErrors } from '../support/openapi';
import { operations, restBody } from '../support/rest-definition';
import { synthSpec } from '../support/synth';

const spec = (extra: Record<string, unknown> = {}) => ({
  services: { users: { url: 'https://users.internal:8080' } },
  gateways: {
    public: {
      cors: { origins: ['https://app.example.com'] },
      auth: { jwt: { issuers: [{ issuer: 'https://login.example.com/', audience: ['users-api'] }], cacheTtlSeconds: 120 } },
      routes: [
        { service: 'users', paths: ['/api/users'], methods: ['GET', 'POST'], auth: { jwt: { scopes: ['users:read'] } } },
        { service: 'users', paths: ['/health'], methods: ['GET'] },
      ],
      ...extra,
    },
  },
});

describe('JwtAuthorizer', () => {
  const s = synthSpec(spec());
  const body = restBody(s);
  const ops = operations(body);
  const integration = (key: string) => ops[key]!['x-amazon-apigateway-integration'];

  it('describes one REQUEST authorizer on the Authorization header with the configured TTL, invoking the named function', async () => {
    s.template.resourceCountIs('AWS::ApiGateway::Authorizer', 0);
    const [fn] = Object.values(s.template.findResources('AWS::Lambda::Function'));
    expect(body.securityDefinitions['public-jwt']).toEqual({
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': {
        type: 'request',
        identitySource: 'method.request.header.Authorization',
        authorizerUri: expect.anything(),
        authorizerResultTtlInSeconds: 120,
      },
    });
    expect(fn!.Properties.FunctionName).toBe('Test-public-authorizer');
    expect(JSON.stringify(body.securityDefinitions['public-jwt']['x-amazon-apigateway-authorizer'].authorizerUri)).toContain(
      ':function:Test-public-authorizer/invocations',
    );
    expect(await openApiErrors(body)).toEqual([]);
  });

  it('runs the bundled handler on Node.js 22, arm64, with X-Ray and its own log group', () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogGroup: Match.anyValue() }),
      Environment: {
        Variables: { POWERTOOLS_SERVICE_NAME: 'gatehouse-authorizer-Test-public', POWERTOOLS_METRICS_NAMESPACE: 'Gatehouse' },
      },
    });
    expect(s.stack.gatehouse.gateways.public!.jwtAuthorizer!.bundleBytes).toBeGreaterThan(1000);
  });

  it("grants API Gateway one invoke permission, scoped to this API's authorizers", () => {
    const [apiId] = Object.keys(s.template.findResources('AWS::ApiGateway::RestApi'));
    s.template.resourceCountIs('AWS::Lambda::Permission', 1);
    s.template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'apigateway.amazonaws.com',
      SourceArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ Ref: apiId }, '/authorizers/*'])] }),
    });
  });

  it('puts the authorizer on every method of JWT routes and on no other', () => {
    const secured = Object.entries(ops)
      .filter(([, op]) => op.security)
      .map(([key, op]) => [key, op.security]);
    expect(secured).toEqual([
      ['GET /api/users', [{ 'public-jwt': [] }]],
      ['POST /api/users', [{ 'public-jwt': [] }]],
      ['GET /api/users/{proxy+}', [{ 'public-jwt': [] }]],
      ['POST /api/users/{proxy+}', [{ 'public-jwt': [] }]],
    ]);
    expect(ops['GET /health']!.security).toBeUndefined();
    expect(Object.keys(ops).filter((k) => k.startsWith('OPTIONS'))).toHaveLength(4);
  });

  it('maps the identity headers from the authorizer context on JWT routes', () => {
    for (const key of ['GET /api/users', 'POST /api/users/{proxy+}']) {
      expect(integration(key).requestParameters).toMatchObject({
        'integration.request.header.X-User-Id': 'context.authorizer.sub',
        'integration.request.header.X-User-Roles': 'context.authorizer.roles',
        'integration.request.header.X-User-Scopes': 'context.authorizer.scopes',
        'integration.request.header.X-Client-Id': 'context.authorizer.clientId',
      });
    }
  });

  it("never lets a client's X-User-Id through: every route of a JWT gateway overwrites the identity headers, with a non-empty static value where no one is authenticated", () => {
    const upstream = Object.entries(ops).filter(([, op]) => op['x-amazon-apigateway-integration'].type === 'http_proxy');
    expect(upstream.length).toBe(6);
    for (const [key, op] of upstream) {
      const params = op['x-amazon-apigateway-integration'].requestParameters;
      for (const header of ['X-User-Id', 'X-User-Roles', 'X-User-Scopes', 'X-Client-Id']) {
        const value = params[`integration.request.header.${header}`];
        expect(value, `${key} ${header}`).toMatch(op.security ? /^context\.authorizer\.\w+$/ : /^'[^']+'$/);
      }
    }
    expect(integration('GET /health').requestParameters).toMatchObject({
      'integration.request.header.X-User-Id': "'-'",
      'integration.request.header.X-Client-Id': "'-'",
    });
    expect(JSON.stringify(body)).not.toContain(`"''"`);
  });

  it('answers a missing or bad token with 401 and WWW-Authenticate, a missing scope with 403, both with CORS', () => {
    const responses = body['x-amazon-apigateway-gateway-responses'];
    expect(responses.UNAUTHORIZED).toMatchObject({
      statusCode: '401',
      responseParameters: expect.objectContaining({
        'gatewayresponse.header.WWW-Authenticate': `'Bearer error="invalid_token"'`,
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      }),
    });
    expect(responses.ACCESS_DENIED).toMatchObject({
      statusCode: '403',
      responseParameters: expect.objectContaining({ 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'" }),
    });
  });

  it("matches the plan's resource estimate", () => {
    expect(Object.keys(s.templates['Test.template.json']!.Resources!)).toHaveLength(s.stack.gatehouse.plan.stackResources);
  });

  it('creates no authorizer, function or permission when no route requires a JWT', () => {
    const t = synthSpec(
      { ...spec(), gateways: { public: { ...spec().gateways.public, routes: [{ service: 'users', paths: ['/health'] }] } } },
      { nag: false },
    );
    t.template.resourceCountIs('AWS::Lambda::Function', 0);
    t.template.resourceCountIs('AWS::Lambda::Permission', 0);
    expect(restBody(t).securityDefinitions).toBeUndefined();
  });

  it("meters JWT clients as API keys: AUTHORIZER key source, key values are the consumers' client ids", () => {
    const base = spec();
    const keyed = synthSpec({
      ...base,
      gateways: {
        public: {
          ...base.gateways.public,
          auth: { jwt: { ...base.gateways.public.auth.jwt, clientIdAsApiKey: true } },
          routes: [{ service: 'users', paths: ['/api/users'], apiKey: true, auth: 'jwt' }],
          plans: { standard: { quota: { limit: 100, period: 'DAY' } } },
          consumers: { acme: { plans: ['standard'], clientId: 'acme-app' } },
        },
      },
    });
    expect(restBody(keyed)['x-amazon-apigateway-api-key-source']).toBe('AUTHORIZER');
    keyed.template.hasResourceProperties('AWS::ApiGateway::ApiKey', { Name: 'public-acme', Value: 'acme-app' });
    expect(keyed.stack.gatehouse.plan.gateways[0]!.authorizer!.config.clientIdAsApiKey).toBe(true);
  });

  it('keeps header API keys without values in the template otherwise', () => {
    expect(body['x-amazon-apigateway-api-key-source']).toBe('HEADER');
  });
});
