import { describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
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
  const [authorizerId] = Object.keys(s.template.findResources('AWS::ApiGateway::Authorizer'));

  it('creates one REQUEST authorizer on the Authorization header with the configured TTL', () => {
    s.template.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
    s.template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 120,
      AuthorizerUri: Match.anyValue(),
    });
  });

  it('runs the bundled handler on Node.js 22, arm64, with X-Ray and its own log group', () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogGroup: Match.anyValue() }),
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'gatehouse-authorizer-public', POWERTOOLS_METRICS_NAMESPACE: 'Gatehouse' } },
    });
    expect(s.stack.gatehouse.gateways.public!.jwtAuthorizer!.bundleBytes).toBeGreaterThan(1000);
  });

  it('grants API Gateway one invoke permission, scoped to this authorizer', () => {
    s.template.resourceCountIs('AWS::Lambda::Permission', 1);
    s.template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'apigateway.amazonaws.com',
      SourceArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/authorizers/$'), { Ref: authorizerId }])] }),
    });
  });

  it('puts the authorizer on every method of JWT routes and on no other', () => {
    s.template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } }, 2);
    s.template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'GET', AuthorizationType: 'NONE' }, 2);
    s.template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS', AuthorizationType: 'NONE' }, 4);
  });

  it('maps the identity headers from the authorizer context on JWT routes and blanks client copies elsewhere', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::Method', {
      AuthorizationType: 'CUSTOM',
      Integration: Match.objectLike({
        RequestParameters: Match.objectLike({
          'integration.request.header.X-User-Id': 'context.authorizer.sub',
          'integration.request.header.X-User-Roles': 'context.authorizer.roles',
          'integration.request.header.X-User-Scopes': 'context.authorizer.scopes',
          'integration.request.header.X-Client-Id': 'context.authorizer.clientId',
        }),
      }),
    });
    s.template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'NONE',
      Integration: Match.objectLike({ RequestParameters: Match.objectLike({ 'integration.request.header.X-User-Id': "''", 'integration.request.header.X-Client-Id': "''" }) }),
    });
  });

  it('answers a missing or bad token with 401 and WWW-Authenticate, a missing scope with 403, both with CORS', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.WWW-Authenticate': `'Bearer error="invalid_token"'`,
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      }),
    });
    s.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'ACCESS_DENIED',
      StatusCode: '403',
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'" }),
    });
  });

  it('matches the plan\'s resource estimate', () => {
    expect(Object.keys(s.templates['Test.template.json']!.Resources!)).toHaveLength(s.stack.gatehouse.plan.stackResources);
  });

  it('creates no authorizer, function or permission when no route requires a JWT', () => {
    const t = synthSpec({ ...spec(), gateways: { public: { ...spec().gateways.public, routes: [{ service: 'users', paths: ['/health'] }] } } }).template;
    t.resourceCountIs('AWS::ApiGateway::Authorizer', 0);
    t.resourceCountIs('AWS::Lambda::Function', 0);
    t.resourceCountIs('AWS::Lambda::Permission', 0);
  });

  it('wires JWT routes in nested route stacks to the parent\'s authorizer', () => {
    const routes = Array.from({ length: 60 }, (_, i) => ({ service: 'users', paths: [`/r${i}`], methods: ['GET', 'POST', 'PUT'], auth: 'jwt' }));
    const big = synthSpec({ ...spec(), gateways: { public: { ...spec().gateways.public, routes } } }, { nag: false });
    expect(big.stack.gatehouse.gateways.public!.routeStacks.length).toBeGreaterThan(0);
    const nested = Object.entries(big.templates).filter(([f]) => f.includes('nested'));
    const custom = nested.flatMap(([, t]) => Object.values(t.Resources ?? {}).filter((r) => r.Properties?.AuthorizationType === 'CUSTOM'));
    expect(custom.length).toBeGreaterThan(0);
    for (const m of custom) expect(JSON.stringify(m.Properties!.AuthorizerId)).toMatch(/Ref/);
    big.template.resourceCountIs('AWS::Lambda::Permission', 1);
  });

  it('meters JWT clients as API keys: AUTHORIZER key source, key values are the consumers\' client ids', () => {
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
    keyed.template.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
    keyed.template.hasResourceProperties('AWS::ApiGateway::ApiKey', { Name: 'public-acme', Value: 'acme-app' });
    expect(keyed.stack.gatehouse.plan.gateways[0]!.authorizer!.config.clientIdAsApiKey).toBe(true);
  });

  it('keeps header API keys without values in the template otherwise', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'HEADER' });
  });
});
