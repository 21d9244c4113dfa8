import { describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { openApiErrors } from '../support/openapi';
import { operations, restBody, type Json } from '../support/rest-definition';
import { baseSpec, synthSpec } from '../support/synth';

const httpProxy = (uri: string) => expect.objectContaining({ type: 'http_proxy', httpMethod: 'ANY', uri });
const integrationOf = (op: Json | undefined) => op?.['x-amazon-apigateway-integration'] as Json;

describe('RestGateway: routes', () => {
  const s = synthSpec(baseSpec());
  const body = restBody(s);
  const ops = operations(body);

  it('renders the whole API as one RestApi whose Body is a valid Swagger 2.0 document, and no resource or method resources', async () => {
    expect(body.swagger).toBe('2.0');
    expect(await openApiErrors(body)).toEqual([]);
    for (const type of ['Resource', 'Method', 'GatewayResponse', 'RequestValidator', 'Model', 'Authorizer'])
      s.template.resourceCountIs(`AWS::ApiGateway::${type}`, 0);
    s.template.resourceCountIs('AWS::CloudFormation::Stack', 0);
    // Routes removed from the config must disappear from the API.
    s.template.hasResourceProperties('AWS::ApiGateway::RestApi', { Mode: 'overwrite' });
  });

  it('has the exact path and a greedy {proxy+} path for each prefix route, and no path for shared parents', () => {
    expect(Object.keys(body.paths)).toEqual(['/api/orders', '/api/orders/{proxy+}', '/api/users', '/api/users/{proxy+}']);
    expect(ops['ANY /api/orders/{proxy+}']!.parameters).toEqual([{ name: 'proxy', in: 'path', required: true, type: 'string' }]);
  });

  it('strips the matched prefix when stripPath is on, and keeps the path otherwise', () => {
    expect(integrationOf(ops['GET /api/users'])).toEqual(httpProxy('https://users.internal:8080/'));
    expect(integrationOf(ops['GET /api/users/{proxy+}'])).toEqual(httpProxy('https://users.internal:8080/{proxy}'));
    expect(integrationOf(ops['ANY /api/orders'])).toEqual(httpProxy('https://orders.internal/base/api/orders'));
    expect(integrationOf(ops['ANY /api/orders/{proxy+}'])).toEqual(httpProxy('https://orders.internal/base/api/orders/{proxy}'));
  });

  it('serves only the methods a route lists: no ANY, and no resource policy denying the others', () => {
    expect(
      Object.keys(ops)
        .filter((k) => k.includes('/api/users'))
        .sort(),
    ).toEqual(['GET /api/users', 'GET /api/users/{proxy+}', 'POST /api/users', 'POST /api/users/{proxy+}']);
    s.template.hasResourceProperties('AWS::ApiGateway::RestApi', { Policy: Match.absent() });
    expect(body['x-amazon-apigateway-gateway-responses']).toBeUndefined();
  });

  it('forwards the greedy path and the gateway request id, and uses the default 10 s timeout', () => {
    expect(integrationOf(ops['GET /api/users/{proxy+}'])).toMatchObject({
      timeoutInMillis: 10_000,
      requestParameters: {
        'integration.request.path.proxy': 'method.request.path.proxy',
        'integration.request.header.X-Gateway-Request-ID': 'context.requestId',
      },
    });
  });

  it('adds no Lambda permissions and no CloudWatch account role by default', () => {
    s.template.resourceCountIs('AWS::Lambda::Permission', 0);
    s.template.resourceCountIs('AWS::ApiGateway::Account', 0);
    s.template.resourceCountIs('AWS::IAM::Role', 0);
  });

  it('has no preflights and no CORS gateway responses when CORS is not configured', () => {
    expect(Object.keys(ops).filter((k) => k.startsWith('OPTIONS'))).toEqual([]);
    expect(body['x-amazon-apigateway-api-key-source']).toBe('HEADER');
    expect(body['x-amazon-apigateway-binary-media-types']).toBeUndefined();
  });

  it('exposes the API, its definition, deployment and stage', () => {
    const gw = s.stack.gatehouse.gateways.public!;
    expect(gw.api.restApiName).toBe('Test-public');
    expect(s.stack.resolve(gw.definition)).toEqual(body);
    expect(gw.definitionLocation).toBe('inline');
    expect(gw.deployment).toBeDefined();
    expect(gw.stage).toBeDefined();
    expect(gw.accessLogGroup).toBeDefined();
  });

  it('uses the configured timeout and correlation header name', () => {
    const t = synthSpec(
      {
        ...baseSpec({ correlationId: { gatewayHeader: 'X-Edge-Request-Id' } }),
        services: { users: { url: 'https://u', timeoutMs: 2500 }, orders: { url: 'https://o' } },
      },
      { nag: false },
    );
    expect(integrationOf(operations(restBody(t))['GET /api/users'])).toMatchObject({
      timeoutInMillis: 2500,
      requestParameters: expect.objectContaining({ 'integration.request.header.X-Edge-Request-Id': 'context.requestId' }),
    });
  });

  it('maps the root path "/" to the root and one greedy path', () => {
    const t = synthSpec(
      { services: { a: { url: 'https://a' } }, gateways: { g: { routes: [{ service: 'a', paths: ['/'], methods: ['GET'] }] } } },
      { nag: false },
    );
    const o = operations(restBody(t, 'g'));
    expect(Object.keys(o)).toEqual(['GET /', 'GET /{proxy+}']);
    expect(integrationOf(o['GET /'])).toEqual(httpProxy('https://a/'));
    expect(integrationOf(o['GET /{proxy+}'])).toEqual(httpProxy('https://a/{proxy}'));
  });
});

describe('RestGateway: endpoint types', () => {
  it('is REGIONAL by default, named after its stack and gateway', () => {
    synthSpec(baseSpec(), { nag: false }).template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: 'Test-public',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
  });

  it('makes a PRIVATE API callable only through the listed VPC endpoints, and answers denials without the API ARN', () => {
    const s = synthSpec(baseSpec({ endpoint: { type: 'PRIVATE', vpcEndpointIds: ['vpce-0abc'] } }), { nag: false });
    s.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['PRIVATE'], VpcEndpointIds: ['vpce-0abc'] },
      Policy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0abc'] } } }),
        ]),
      },
    });
    expect(restBody(s)['x-amazon-apigateway-gateway-responses'].ACCESS_DENIED).toEqual({
      statusCode: '403',
      responseTemplates: { 'application/json': '{"message":"Forbidden"}' },
    });
  });
});

describe('RestGateway: CORS', () => {
  const cors = { origins: ['https://app.example.com'], credentials: true };
  const s = synthSpec(baseSpec({ cors }), { nag: false });
  const body = restBody(s);
  const ops = operations(body);

  it('answers preflights on both paths of every route with a mock, without auth or API key, as text', () => {
    const preflights = Object.entries(ops).filter(([k]) => k.startsWith('OPTIONS'));
    // users, users/{proxy+}, orders, orders/{proxy+}; nothing on /api or /
    expect(preflights.map(([k]) => k).sort()).toEqual([
      'OPTIONS /api/orders',
      'OPTIONS /api/orders/{proxy+}',
      'OPTIONS /api/users',
      'OPTIONS /api/users/{proxy+}',
    ]);
    for (const [, op] of preflights) {
      expect(op.security).toBeUndefined();
      expect(integrationOf(op)).toMatchObject({
        type: 'mock',
        contentHandling: 'CONVERT_TO_TEXT',
        responses: {
          default: {
            statusCode: '204',
            contentHandling: 'CONVERT_TO_TEXT',
            responseParameters: expect.objectContaining({
              'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
              'method.response.header.Access-Control-Allow-Credentials': "'true'",
              'method.response.header.Access-Control-Max-Age': "'600'",
            }),
          },
        },
      });
      // Every mapped header is declared on the method response, as API Gateway requires.
      expect(Object.keys(op.responses['204'].headers).sort()).toEqual(
        Object.keys(integrationOf(op).responses.default.responseParameters)
          .map((k) => k.replace('method.response.header.', ''))
          .sort(),
      );
    }
  });

  it('adds CORS headers to DEFAULT_4XX and DEFAULT_5XX so browsers can read gateway errors', () => {
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      expect(body['x-amazon-apigateway-gateway-responses'][type].responseParameters).toMatchObject({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
        'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
        'gatewayresponse.header.Access-Control-Expose-Headers': "'X-Request-ID'",
        'gatewayresponse.header.Vary': "'Origin'",
      });
    }
  });

  it('echoes the Origin when several origins are allowed, in gateway responses and preflights', async () => {
    const b = restBody(synthSpec(baseSpec({ cors: { origins: ['https://a.example.com', 'https://b.example.com'] } }), { nag: false }));
    expect(
      b['x-amazon-apigateway-gateway-responses'].DEFAULT_4XX.responseParameters['gatewayresponse.header.Access-Control-Allow-Origin'],
    ).toBe('method.request.header.Origin');
    const preflight = integrationOf(operations(b)['OPTIONS /api/users']).responses.default;
    expect(preflight.responseTemplates['application/json']).toContain('$origin == "https://b.example.com"');
    expect(await openApiErrors(b)).toEqual([]);
  });

  it('leaves OPTIONS to the upstream when a route lists OPTIONS itself', () => {
    const t = synthSpec(
      {
        services: { a: { url: 'https://a' } },
        gateways: { g: { cors: { origins: ['*'] }, routes: [{ service: 'a', paths: ['/x'], methods: ['GET', 'OPTIONS'] }] } },
      },
      { nag: false },
    );
    const o = operations(restBody(t, 'g'));
    expect(integrationOf(o['OPTIONS /x'])!.type).toBe('http_proxy');
    expect(Object.values(o).filter((op) => integrationOf(op).type === 'mock')).toHaveLength(0);
    expect(o['POST /x']).toBeUndefined();
  });
});

describe('RestGateway: stage, logs and tracing', () => {
  it('defaults to stage prod, 1000 rps / 2000 burst, X-Ray on, ERROR execution logs, JSON access logs kept 30 days', () => {
    const t = synthSpec(baseSpec(), { nag: false }).template;
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          ResourcePath: '/*',
          HttpMethod: '*',
          ThrottlingRateLimit: 1000,
          ThrottlingBurstLimit: 2000,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ]),
      AccessLogSetting: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp(
          '"requestId":"\\$context.requestId".*"sourceIp".*"caller".*"route".*"status".*"latencyMs".*"integrationLatencyMs".*"integrationError".*"errorMessage"',
        ),
      },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('applies the configured stage name, throttle, tracing, retention and log level', () => {
    const t = synthSpec(
      baseSpec({
        stage: { name: 'v1', throttle: { rate: 50, burst: 60 }, tracing: false, accessLogs: { retentionDays: 7 }, executionLogs: 'INFO' },
      }),
    ).template;
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: false,
      MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 60, LoggingLevel: 'INFO' })]),
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  it('writes no log group and no access-log setting when access logs are off', () => {
    const t = synthSpec(baseSpec({ stage: { accessLogs: { enabled: false }, executionLogs: 'OFF' } })).template;
    t.resourceCountIs('AWS::Logs::LogGroup', 0);
    t.hasResourceProperties('AWS::ApiGateway::Stage', { AccessLogSetting: Match.absent() });
  });

  it('throttles each method of a throttled route on both of its resources', () => {
    const spec = baseSpec();
    const routes = (spec.gateways as { public: { routes: Record<string, unknown>[] } }).public.routes;
    routes[0] = { ...routes[0], throttle: { rate: 5, burst: 10 } };
    routes[1] = { ...routes[1], throttle: { rate: 7, burst: 9 } };
    const t = synthSpec(spec, { nag: false }).template;
    for (const [path, method, rate] of [
      ['/~1api~1users', 'GET', 5],
      ['/~1api~1users', 'POST', 5],
      ['/~1api~1users~1{proxy+}', 'GET', 5],
      ['/~1api~1orders', '*', 7],
      ['/~1api~1orders~1{proxy+}', '*', 7],
    ] as const) {
      t.hasResourceProperties('AWS::ApiGateway::Stage', {
        MethodSettings: Match.arrayWith([Match.objectLike({ ResourcePath: path, HttpMethod: method, ThrottlingRateLimit: rate })]),
      });
    }
  });

  it('creates the account CloudWatch role only when asked, retained, before any stage', () => {
    const s = synthSpec({ ...baseSpec(), account: { manageCloudWatchRole: true } });
    s.template.resourceCountIs('AWS::ApiGateway::Account', 1);
    s.template.hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Retain' });
    const [accountId] = Object.keys(s.template.findResources('AWS::ApiGateway::Account'));
    s.template.hasResource('AWS::ApiGateway::Stage', { DependsOn: Match.arrayWith([accountId]) });
  });
});

describe('RestGateway: API keys, plans and consumers', () => {
  const spec = baseSpec({
    plans: {
      standard: {
        throttle: { rate: 100, burst: 200 },
        quota: { limit: 10000, period: 'DAY' },
        routeThrottles: [{ path: '/api/orders', methods: ['ANY'], throttle: { rate: 10, burst: 20 } }],
      },
      free: {},
    },
    consumers: { acme: { plans: ['standard'] }, globex: { plans: ['free'], enabled: false } },
  });
  (spec.gateways as { public: { routes: Record<string, unknown>[] } }).public.routes[1]!.apiKey = true;
  const s = synthSpec(spec, { nag: false });
  const body = restBody(s);
  const ops = operations(body);

  it('requires an API key only on keyed routes, from the x-api-key header', () => {
    expect(body['x-amazon-apigateway-api-key-source']).toBe('HEADER');
    expect(body.securityDefinitions.api_key).toEqual({ type: 'apiKey', name: 'x-api-key', in: 'header' });
    expect(ops['ANY /api/orders']!.security).toEqual([{ api_key: [] }]);
    expect(ops['ANY /api/orders/{proxy+}']!.security).toEqual([{ api_key: [] }]);
    expect(ops['GET /api/users']!.security).toBeUndefined();
  });

  it('creates each plan with its throttle, quota and per-route throttles on the stage', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      UsagePlanName: 'public-standard',
      Throttle: { RateLimit: 100, BurstLimit: 200 },
      Quota: { Limit: 10000, Period: 'DAY' },
      ApiStages: [
        Match.objectLike({
          Throttle: { '/api/orders/ANY': { RateLimit: 10, BurstLimit: 20 }, '/api/orders/{proxy+}/ANY': { RateLimit: 10, BurstLimit: 20 } },
        }),
      ],
    });
    s.template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      UsagePlanName: 'public-free',
      Throttle: Match.absent(),
      Quota: Match.absent(),
    });
  });

  it('creates a key per consumer without a value in the template, attached to its plan', () => {
    s.template.resourceCountIs('AWS::ApiGateway::ApiKey', 2);
    s.template.hasResourceProperties('AWS::ApiGateway::ApiKey', { Name: 'public-acme', Enabled: true, Value: Match.absent() });
    s.template.hasResourceProperties('AWS::ApiGateway::ApiKey', { Name: 'public-globex', Enabled: false, Value: Match.absent() });
    s.template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 2);
    expect(Object.keys(s.stack.gatehouse.gateways.public!.usagePlans)).toEqual(['standard', 'free']);
    expect(Object.keys(s.stack.gatehouse.gateways.public!.apiKeys)).toEqual(['acme', 'globex']);
  });

  it("matches the plan's resource estimate", () => {
    expect(Object.keys(s.templates['Test.template.json']!.Resources!)).toHaveLength(s.stack.gatehouse.plan.stackResources);
  });
});
