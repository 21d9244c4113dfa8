// HttpGateway: the HTTP API flavor rendered from the same GatewayPlan, and the shipped configs forced to flavor: http.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { SpecError } from '../../lib/spec/errors';
import { loadSpec, parseSpec } from '../../lib/spec/load';
import { planSpec } from '../../lib/plan/plan';
import { resourcesOfType, synthSpec, type Synthesized } from '../support/synth';

const root = join(__dirname, '../..');

describe('HttpGateway: examples/http.yaml', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthSpec(loadSpec(join(root, 'examples/http.yaml')));
  });

  it('creates an HTTP API with native CORS and no REST API resources', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: { AllowOrigins: ['https://app.example.com'], MaxAge: 600, AllowCredentials: false },
    });
    expect(resourcesOfType(s, 'AWS::ApiGateway::RestApi')).toHaveLength(0);
    expect(resourcesOfType(s, 'AWS::ApiGateway::Method')).toHaveLength(0);
  });

  it('serves on an auto-deployed $default stage with the stage throttle, per-route and per-aggregate throttles and JSON access logs', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
      RouteSettings: {
        'ANY /api/users': { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        'ANY /api/users/{proxy+}': { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        // The aggregate's own throttle: each request fans out to two services.
        'GET /api/dashboard': { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      },
      AccessLogSettings: { Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId".*"route":"\\$context.routeKey"') },
    });
  });

  it('routes each listed method on the path and its greedy child, with stripPath in the integration URI', () => {
    for (const key of ['GET /api/catalog', 'HEAD /api/catalog', 'GET /api/catalog/{proxy+}', 'HEAD /api/catalog/{proxy+}', 'ANY /api/users', 'ANY /api/users/{proxy+}', 'GET /api/dashboard']) {
      s.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key });
    }
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'ANY',
      IntegrationUri: 'https://catalog.internal:8080/{proxy}',
      PayloadFormatVersion: '1.0',
      TimeoutInMillis: 10_000,
      RequestParameters: Match.objectLike({ 'overwrite:header.X-Gateway-Request-ID': '$context.requestId', 'remove:header.X-User-Id': "''" }),
    });
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationUri: 'https://user-svc.internal:8080/api/users/{proxy}',
      RequestParameters: Match.objectLike({ 'overwrite:header.X-User-Id': '$context.authorizer.claims.sub', 'remove:header.X-User-Roles': "''" }),
    });
  });

  it('puts JWT routes behind the native JWT authorizer, with the route scopes', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: 'https://login.example.com/', Audience: ['shop-api'] },
    });
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /api/users', AuthorizationType: 'JWT', AuthorizationScopes: ['users:read'] });
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /api/catalog', AuthorizationType: 'NONE' });
  });

  it('invokes the proxy and the aggregator through one payload 2.0 integration and one permission per function', () => {
    const lambdaIntegrations = resourcesOfType(s, 'AWS::ApiGatewayV2::Integration').filter(([, r]) => r.Properties?.IntegrationType === 'AWS_PROXY');
    expect(lambdaIntegrations).toHaveLength(2);
    for (const [, r] of lambdaIntegrations) expect(r.Properties?.PayloadFormatVersion).toBe('2.0');
    const permissions = resourcesOfType(s, 'AWS::Lambda::Permission').filter(([, r]) => r.Properties?.Principal === 'apigateway.amazonaws.com');
    expect(permissions).toHaveLength(2);
  });

  it("bakes the order route's body schema into its proxy, which validates what the HTTP API cannot", () => {
    const proxy = s.stack.gatehouse.plan.gateways[0]!.proxies[0]!;
    expect(proxy.config.routes['POST /api/orders']!.validate).toEqual({ body: expect.objectContaining({ required: ['sku', 'quantity'] }), query: [], headers: [] });
  });

  it('alarms on the v2 metrics by ApiId and Stage', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: '5xx', Namespace: 'AWS/ApiGateway', Dimensions: Match.arrayWith([{ Name: 'Stage', Value: '$default' }]) }) }) }),
      ]),
    });
  });

  it('costs what the plan estimated', () => {
    expect(Object.keys(s.templates['Test.template.json']!.Resources!)).toHaveLength(s.stack.gatehouse.plan.stackResources);
  });
});

describe('HttpGateway: JWT routes that need roles', () => {
  let s: Synthesized;
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
  });

  it('uses the Gatehouse Lambda authorizer with simple responses, cached per token and route key', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization', '$context.routeKey'],
      AuthorizerResultTtlInSeconds: 300,
    });
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /admin/users/{proxy+}', AuthorizationType: 'CUSTOM', AuthorizationScopes: Match.absent() });
    s.template.resourceCountIs('AWS::Lambda::Permission', 1);
  });

  it('forwards the identity the authorizer returned', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      RequestParameters: Match.objectLike({ 'overwrite:header.X-User-Id': '$context.authorizer.sub', 'overwrite:header.X-User-Roles': '$context.authorizer.roles' }),
    });
  });

  it('costs what the plan estimated', () => {
    expect(Object.keys(s.templates['Test.template.json']!.Resources!)).toHaveLength(s.stack.gatehouse.plan.stackResources);
  });
});

/** Every shipped config with each gateway forced to flavor: http: it synthesizes, or fails naming what HTTP APIs lack. */
describe('shipped configs as HTTP APIs', () => {
  const configs = ['gatehouse.yaml', ...readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.yaml') && f !== 'http.yaml').map((f) => `examples/${f}`)];
  const keys = /HTTP APIs have no usage plans or API keys: switch the gateway to flavor: rest, or use a per-consumer rateLimit/;
  const expected: Record<string, 'synthesizes' | Record<string, RegExp>> = {
    'gatehouse.yaml': { 'gateways.public.plans': keys, 'gateways.public.routes[1].apiKey': keys },
    'examples/bff.yaml': { 'gateways.partner.plans': keys, 'gateways.partner.consumers': keys },
    // CloudFront, its WAF, the cached route and the validated route (served by the proxy) all work on an HTTP API.
    'examples/edge.yaml': 'synthesizes',
    'examples/http-edge.yaml': 'synthesizes',
    'examples/kong.yaml': { 'gateways.kong.plans': keys },
    'examples/multi-gateway.yaml': { 'gateways.public.endpoint.type': /REGIONAL only/, 'gateways.internal.endpoint.type': /cannot be PRIVATE/, 'gateways.partner.plans': keys },
    'examples/resilient.yaml': 'synthesizes',
    'examples/sam.yaml': { 'gateways.api.plans': keys, 'gateways.api.routes[0].apiKey': keys },
  };

  it('has an expectation for every config', () => {
    expect(Object.keys(expected).sort()).toEqual([...configs].sort());
  });

  it.each(configs)('%s', (config) => {
    const raw = parse(readFileSync(join(root, config), 'utf8')) as { gateways: Record<string, Record<string, unknown>> };
    for (const gateway of Object.values(raw.gateways)) gateway.flavor = 'http';
    const load = () => parseSpec(stringify(raw), join(root, config));
    const want = expected[config]!;
    if (want === 'synthesizes') {
      const s = synthSpec(load());
      expect(resourcesOfType(s, 'AWS::ApiGatewayV2::Api').length).toBe(Object.keys(raw.gateways).length);
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
    expect(error).toBeInstanceOf(SpecError);
    const issues = (error as SpecError).issues;
    for (const [where, message] of Object.entries(want)) {
      expect(issues.find((i) => i.where === where)?.message, `${config} ${where}: ${issues.map((i) => i.where).join(', ')}`).toMatch(message);
    }
  });
});
