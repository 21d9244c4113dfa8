// HttpGateway: the HTTP API flavor rendered as one OpenAPI body from the same GatewayPlan, and the shipped configs forced to flavor: http.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ConfigError } from '../../lib/config/errors';
import { loadConfig, parseConfig } from '../../lib/config/load';
import { planSpec } from '../../lib/plan/plan';
import { httpDefinition, integrationOf, operations, type Doc } from '../support/http-definition';
import { openApiErrors } from '../support/openapi';
import { resourcesOfType, synthSpec, type Synthesized } from '../support/synth';

const root = join(__dirname, '../..');

describe('HttpGateway: examples/http.yaml', () => {
  let s: Synthesized;
  let doc: Doc;
  beforeAll(() => {
    s = synthSpec(loadConfig(join(root, 'examples/http.yaml')));
    doc = httpDefinition(s, 'public');
  });

  it('creates one HTTP API whose inline OpenAPI body is a valid OpenAPI 3.0 document, and no route, integration or authorizer resources', async () => {
    s.template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Name: 'Test-public',
      FailOnWarnings: true,
      Body: Match.objectLike({ openapi: '3.0.1' }),
    });
    expect(await openApiErrors(doc)).toEqual([]);
    for (const type of ['Route', 'Integration', 'Authorizer', 'Deployment']) s.template.resourceCountIs(`AWS::ApiGatewayV2::${type}`, 0);
    expect(resourcesOfType(s, 'AWS::ApiGateway::RestApi')).toHaveLength(0);
    expect(s.stack.gatehouse.httpGateways.public!.body.placement).toBe('inline');
  });

  it("answers CORS from the document's x-amazon-apigateway-cors", () => {
    expect(doc['x-amazon-apigateway-cors']).toEqual({
      allowOrigins: ['https://app.example.com'],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Authorization', 'X-Api-Key', 'X-Request-ID'],
      exposeHeaders: ['X-Request-ID'],
      allowCredentials: false,
      maxAge: 600,
    });
  });

  it('serves on an auto-deployed $default stage with the stage throttle, per-route and per-aggregate throttles keyed by route key, and JSON access logs', () => {
    const users = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'].flatMap((m) => [`${m} /api/users`, `${m} /api/users/{proxy+}`]);
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
      RouteSettings: {
        ...Object.fromEntries(users.map((key) => [key, { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }])),
        // The aggregate's own throttle: each request fans out to two services.
        'GET /api/dashboard': { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      },
      AccessLogSettings: { Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId".*"route":"\\$context.routeKey"') },
    });
    // Every route key a stage setting names exists in the body.
    const keys = new Set(operations(doc).map((o) => o.key));
    const settings = Object.values(s.template.findResources('AWS::ApiGatewayV2::Stage'))[0]!.Properties.RouteSettings as Record<
      string,
      unknown
    >;
    for (const key of Object.keys(settings)) expect(keys.has(key), key).toBe(true);
  });

  it('routes each listed method on the path and its greedy child, with stripPath in the integration URI', () => {
    const keys = operations(doc).map((o) => o.key);
    for (const key of [
      'GET /api/catalog',
      'HEAD /api/catalog',
      'GET /api/catalog/{proxy+}',
      'HEAD /api/catalog/{proxy+}',
      'GET /api/dashboard',
    ])
      expect(keys).toContain(key);
    expect(keys).not.toContain('POST /api/catalog');
    const catalog = integrationOf(doc, doc.paths['/api/catalog/{proxy+}']!.get!);
    expect(catalog).toEqual({
      type: 'http_proxy',
      httpMethod: 'ANY',
      uri: 'https://catalog.internal:8080/{proxy}',
      connectionType: 'INTERNET',
      payloadFormatVersion: '1.0',
      timeoutInMillis: 10_000,
      requestParameters: expect.objectContaining({
        'overwrite:header.X-Gateway-Request-ID': '$context.requestId',
        'remove:header.X-User-Id': "''",
      }),
    });
    expect(doc.paths['/api/catalog/{proxy+}']!.parameters).toEqual([
      { name: 'proxy+', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    const users = integrationOf(doc, doc.paths['/api/users/{proxy+}']!.get!);
    expect(users.uri).toBe('https://user-svc.internal:8080/api/users/{proxy}');
    expect(users.requestParameters).toMatchObject({
      'overwrite:header.X-User-Id': '$context.authorizer.claims.sub',
      'remove:header.X-User-Roles': "''",
    });
  });

  it('routes the ANY route with an authorizer as explicit verbs, so no route matches a preflight and the API answers it (issue 22)', () => {
    const users = operations(doc).filter((o) => o.key.endsWith(' /api/users'));
    expect(users.map((o) => o.key.split(' ')[0]).sort()).toEqual(['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT']);
    expect(operations(doc).filter((o) => o.key.startsWith('OPTIONS ') || o.key.startsWith('ANY '))).toEqual([]);
  });

  it('puts JWT routes behind the native JWT authorizer, with the route scopes', () => {
    expect(doc.components.securitySchemes).toEqual({
      'public-jwt': {
        type: 'oauth2',
        flows: {},
        'x-amazon-apigateway-authorizer': {
          type: 'jwt',
          jwtConfiguration: { issuer: 'https://login.example.com/', audience: ['shop-api'] },
          identitySource: '$request.header.Authorization',
        },
      },
    });
    expect(doc.paths['/api/users']!.get!.security).toEqual([{ 'public-jwt': ['users:read'] }]);
    expect(doc.paths['/api/orders']!.post!.security).toEqual([{ 'public-jwt': [] }]);
    expect(doc.paths['/api/catalog']!.get!.security).toBeUndefined();
  });

  it('invokes the proxy and the two aggregators through one shared payload 2.0 integration each and one permission per function, scoped to this API', () => {
    const lambdaIntegrations = Object.values(doc.components['x-amazon-apigateway-integrations']!).filter((i) => i.type === 'aws_proxy');
    expect(lambdaIntegrations).toHaveLength(3);
    for (const i of lambdaIntegrations) expect(i).toMatchObject({ httpMethod: 'POST', payloadFormatVersion: '2.0' });
    expect(integrationOf(doc, doc.paths['/api/orders']!.get!)).toBe(integrationOf(doc, doc.paths['/api/orders/{proxy+}']!.post!));
    const permissions = resourcesOfType(s, 'AWS::Lambda::Permission').filter(
      ([, r]) => r.Properties?.Principal === 'apigateway.amazonaws.com',
    );
    expect(permissions).toHaveLength(3);
    for (const [, p] of permissions) expect(JSON.stringify(p.Properties!.SourceArn)).toMatch(/"Ref":"GatehousePublic[0-9A-F]{8}"/);
  });

  it('serves the order summary aggregate on its templated path, declaring {id} (issue 21)', () => {
    const item = doc.paths['/api/order-summary/{id}'] as Record<string, unknown>;
    expect(item.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/order-summary'))).toEqual(['/api/order-summary/{id}']);
  });

  it("bakes the order route's body schema into its proxy, which validates what the HTTP API cannot", () => {
    const proxy = s.stack.gatehouse.plan.gateways[0]!.proxies[0]!;
    expect(proxy.config.routes['POST /api/orders']!.validate).toEqual({
      body: expect.objectContaining({ required: ['sku', 'quantity'] }),
      query: [],
      headers: [],
    });
  });

  it('alarms on the v2 metrics by ApiId and Stage', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              MetricName: '5xx',
              Namespace: 'AWS/ApiGateway',
              Dimensions: Match.arrayWith([{ Name: 'Stage', Value: '$default' }]),
            }),
          }),
        }),
      ]),
    });
  });

  it('costs what the plan estimated', () => {
    expect(Object.keys(s.templates['Test.template.json']!.Resources!)).toHaveLength(s.stack.gatehouse.plan.stackResources);
  });
});

describe('HttpGateway: JWT routes that need roles', () => {
  let s: Synthesized;
  let doc: Doc;
  beforeAll(() => {
    s = synthSpec({
      services: { users: { url: 'https://users.internal:8080' } },
      gateways: {
        admin: {
          flavor: 'http',
          auth: { jwt: { issuers: [{ issuer: 'https://login.example.com/', audience: ['admin-api'] }] } },
          routes: [{ service: 'users', paths: ['/admin/users'], auth: { jwt: { scopes: ['users:write'], roles: ['admin'] } } }],
        },
      },
    });
    doc = httpDefinition(s, 'admin');
  });

  it('uses the Gatehouse Lambda authorizer with simple responses, cached per token and route key', async () => {
    expect(await openApiErrors(doc)).toEqual([]);
    const authorizer = doc.components.securitySchemes!['admin-jwt']!['x-amazon-apigateway-authorizer'];
    expect(authorizer).toMatchObject({
      type: 'request',
      authorizerPayloadFormatVersion: '2.0',
      enableSimpleResponses: true,
      identitySource: '$request.header.Authorization, $context.routeKey',
      authorizerResultTtlInSeconds: 300,
    });
    expect(JSON.stringify(authorizer.authorizerUri)).toMatch(/lambda:path\/2015-03-31\/functions\/.*GetAtt.*Arn.*\/invocations/);
    // The Lambda authorizer checks scopes and roles itself: the route names no scopes.
    expect(doc.paths['/admin/users/{proxy+}']!['x-amazon-apigateway-any-method']!.security).toEqual([{ 'admin-jwt': [] }]);
    s.template.resourceCountIs('AWS::Lambda::Permission', 1);
    s.template.hasResourceProperties('AWS::Lambda::Permission', {
      SourceArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/authorizers/\\*$')])] }),
    });
  });

  it('forwards the identity the authorizer returned', () => {
    const integration = integrationOf(doc, doc.paths['/admin/users']!['x-amazon-apigateway-any-method']!);
    expect(integration.requestParameters).toMatchObject({
      'overwrite:header.X-User-Id': '$context.authorizer.sub',
      'overwrite:header.X-User-Roles': '$context.authorizer.roles',
    });
  });

  it('costs what the plan estimated', () => {
    expect(Object.keys(s.templates['Test.template.json']!.Resources!)).toHaveLength(s.stack.gatehouse.plan.stackResources);
  });
});

/** Every shipped config with each gateway forced to flavor: http: it synthesizes, or fails naming what HTTP APIs lack. */
describe('shipped configs as HTTP APIs', () => {
  const configs = [
    'gatehouse.yaml',
    ...readdirSync(join(root, 'examples'))
      .filter((f) => f.endsWith('.yaml') && f !== 'http.yaml')
      .map((f) => `examples/${f}`),
  ];
  const keys = /HTTP APIs have no usage plans or API keys: switch the gateway to flavor: rest, or use a per-consumer rateLimit/;
  const expected: Record<string, 'synthesizes' | Record<string, RegExp>> = {
    'gatehouse.yaml': { 'gateways.public.plans': keys, 'gateways.public.routes[1].apiKey': keys },
    'examples/bff.yaml': { 'gateways.partner.plans': keys, 'gateways.partner.consumers': keys },
    // CloudFront, its WAF, the cached route and the validated route (served by the proxy) all work on an HTTP API.
    'examples/edge.yaml': 'synthesizes',
    'examples/http-edge.yaml': 'synthesizes',
    'examples/kong.yaml': { 'gateways.kong.plans': keys },
    'examples/multi-gateway.yaml': {
      'gateways.public.endpoint.type': /REGIONAL only/,
      'gateways.internal.endpoint.type': /cannot be PRIVATE/,
      'gateways.partner.plans': keys,
    },
    // An HTTP API reaches an NLB through one of its listeners; the example names only the NLB for its REST gateway.
    'examples/private.yaml': {
      'gateways.orders.routes[0].service': /names only its NLB \(private\.nlb\).*add private\.listener/,
      'gateways.orders.routes[1].service': /names only its NLB/,
    },
    'examples/resilient.yaml': 'synthesizes',
    // Templates, exact routes and per-method services on both flavors (README "Routing").
    'examples/routing.yaml': 'synthesizes',
    'examples/sam.yaml': { 'gateways.api.plans': keys, 'gateways.api.routes[0].apiKey': keys },
  };

  it('has an expectation for every config', () => {
    expect(Object.keys(expected).sort()).toEqual([...configs].sort());
  });

  it.each(configs)('%s', async (config) => {
    const raw = parse(readFileSync(join(root, config), 'utf8')) as { gateways: Record<string, Record<string, unknown>> };
    for (const gateway of Object.values(raw.gateways)) gateway.flavor = 'http';
    const load = () => parseConfig(stringify(raw), join(root, config));
    const want = expected[config]!;
    if (want === 'synthesizes') {
      const s = synthSpec(load());
      expect(resourcesOfType(s, 'AWS::ApiGatewayV2::Api').length).toBe(Object.keys(raw.gateways).length);
      for (const name of Object.keys(raw.gateways)) expect(await openApiErrors(httpDefinition(s, name)), `${config} ${name}`).toEqual([]);
      expect(Object.keys(s.templates['Test.template.json']!.Resources!)).toHaveLength(s.stack.gatehouse.plan.stackResources);
      const edgeStack = s.stack.gatehouse.plan.edgeStack;
      if (edgeStack) expect(Object.keys(s.templates['TestEdge.template.json']!.Resources!)).toHaveLength(edgeStack.resources);
      return;
    }
    let error: unknown;
    try {
      planSpec(load());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    for (const [where, message] of Object.entries(want)) {
      expect(issues.find((i) => i.where === where)?.message, `${config} ${where}: ${issues.map((i) => i.where).join(', ')}`).toMatch(
        message,
      );
    }
  });
});
