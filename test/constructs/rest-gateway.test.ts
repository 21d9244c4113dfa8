import { describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { baseSpec, resourcesOfType, synthSpec } from '../support/synth';

const httpProxy = (uri: string) =>
  Match.objectLike({ Type: 'HTTP_PROXY', IntegrationHttpMethod: 'ANY', Uri: uri });

describe('RestGateway: routes', () => {
  const s = synthSpec(baseSpec());

  it('creates the exact path and a greedy {proxy+} child for each prefix route', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'users' });
    s.template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'orders' });
    s.template.resourcePropertiesCountIs('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' }, 2);
    // /api is shared by both routes and created once
    s.template.resourcePropertiesCountIs('AWS::ApiGateway::Resource', { PathPart: 'api' }, 1);
  });

  it('strips the matched prefix when stripPath is on, and keeps the path otherwise', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::Method', { Integration: httpProxy('https://users.internal:8080/') });
    s.template.hasResourceProperties('AWS::ApiGateway::Method', {
      Integration: httpProxy('https://users.internal:8080/{proxy}'),
      RequestParameters: { 'method.request.path.proxy': true },
    });
    s.template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'ANY', Integration: httpProxy('https://orders.internal/base/api/orders') });
    s.template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'ANY', Integration: httpProxy('https://orders.internal/base/api/orders/{proxy}') });
  });

  it('collapses a route listing several methods into one ANY per resource, denying the other verbs in the resource policy', () => {
    s.template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'ANY' }, 4);
    s.template.resourceCountIs('AWS::ApiGateway::Method', 4);
    s.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: {
        Statement: [
          {
            Sid: 'MethodsNotServed',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'execute-api:Invoke',
            // CDK sorts policy resources
            Resource: ['PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].flatMap((m) => [`execute-api:/prod/${m}/api/users`, `execute-api:/prod/${m}/api/users/*`]).sort(),
          },
          { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
        ],
      },
    });
  });

  it('answers a denied verb with a generic 403 that does not name the API ARN', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'ACCESS_DENIED',
      StatusCode: '403',
      ResponseTemplates: { 'application/json': '{"message":"Forbidden"}' },
    });
  });

  it('keeps one method per verb, and no policy, when another route sits below the route', () => {
    const t = synthSpec({
      services: { a: { url: 'https://a' } },
      gateways: { g: { routes: [{ service: 'a', paths: ['/api'], methods: ['GET', 'POST'] }, { service: 'a', paths: ['/api/x'] }] } },
    }).template;
    t.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'GET' }, 2);
    t.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'POST' }, 2);
    t.hasResourceProperties('AWS::ApiGateway::RestApi', { Policy: Match.absent() });
    t.resourceCountIs('AWS::ApiGateway::GatewayResponse', 0);
  });

  it('keeps a single listed method as it is', () => {
    const t = synthSpec({ services: { a: { url: 'https://a' } }, gateways: { g: { routes: [{ service: 'a', paths: ['/x'], methods: ['GET'] }] } } }).template;
    t.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'GET' }, 2);
    t.hasResourceProperties('AWS::ApiGateway::RestApi', { Policy: Match.absent() });
  });

  it('forwards the greedy path and the gateway request id, and uses the default 10 s timeout', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::Method', {
      Integration: Match.objectLike({
        TimeoutInMillis: 10_000,
        RequestParameters: {
          'integration.request.path.proxy': 'method.request.path.proxy',
          'integration.request.header.X-Gateway-Request-ID': 'context.requestId',
        },
      }),
    });
  });

  it('adds no Lambda permissions and no CloudWatch account role by default', () => {
    s.template.resourceCountIs('AWS::Lambda::Permission', 0);
    s.template.resourceCountIs('AWS::ApiGateway::Account', 0);
    s.template.resourceCountIs('AWS::IAM::Role', 0);
  });

  it('creates no preflight methods and no CORS gateway responses when CORS is not configured', () => {
    s.template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS' }, 0);
    s.template.resourcePropertiesCountIs('AWS::ApiGateway::GatewayResponse', { ResponseType: 'DEFAULT_4XX' }, 0);
    s.template.resourcePropertiesCountIs('AWS::ApiGateway::GatewayResponse', { ResponseType: 'DEFAULT_5XX' }, 0);
  });

  it('exposes the created resources as public properties', () => {
    const gw = s.stack.gatehouse.gateways.public!;
    expect(gw.api.restApiName).toBe('public');
    expect([...gw.resources.keys()]).toEqual(expect.arrayContaining(['/', '/api', '/api/users', '/api/users/{proxy+}']));
    expect(gw.routeMethods.get('0-api-users')).toHaveLength(2);
    expect(gw.routeStacks).toHaveLength(0);
    expect(gw.accessLogGroup).toBeDefined();
  });

  it('uses the configured timeout and a per-route correlation header name', () => {
    const t = synthSpec({
      ...baseSpec({ correlationId: { gatewayHeader: 'X-Edge-Request-Id' } }),
      services: { users: { url: 'https://u', timeoutMs: 2500 }, orders: { url: 'https://o' } },
    }).template;
    t.hasResourceProperties('AWS::ApiGateway::Method', {
      Integration: Match.objectLike({ TimeoutInMillis: 2500, RequestParameters: Match.objectLike({ 'integration.request.header.X-Edge-Request-Id': 'context.requestId' }) }),
    });
  });

  it('maps the root path "/" to the root resource and one greedy child', () => {
    const t = synthSpec({ services: { a: { url: 'https://a' } }, gateways: { g: { routes: [{ service: 'a', paths: ['/'], methods: ['GET'] }] } } }).template;
    t.resourceCountIs('AWS::ApiGateway::Resource', 1);
    t.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'GET', Integration: httpProxy('https://a/') });
    t.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'GET', Integration: httpProxy('https://a/{proxy}') });
  });
});

describe('RestGateway: endpoint types', () => {
  it('is REGIONAL by default', () => {
    synthSpec(baseSpec()).template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: 'public',
      ApiKeySourceType: 'HEADER',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
  });

  it('supports EDGE', () => {
    synthSpec(baseSpec({ endpoint: { type: 'EDGE' } })).template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['EDGE'] },
    });
  });

  it('makes a PRIVATE API callable only through the listed VPC endpoints', () => {
    const t = synthSpec(baseSpec({ endpoint: { type: 'PRIVATE', vpcEndpointIds: ['vpce-0abc'] } })).template;
    t.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['PRIVATE'], VpcEndpointIds: ['vpce-0abc'] },
      Policy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0abc'] } } }),
        ]),
      },
    });
  });
});

describe('RestGateway: CORS', () => {
  const cors = { origins: ['https://app.example.com'], credentials: true };
  const s = synthSpec(baseSpec({ cors }));

  it('answers preflights on both resources of every route with a mock, without auth or API key', () => {
    s.template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS' }, 4);
    s.template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      AuthorizationType: 'NONE',
      ApiKeyRequired: false,
      Integration: Match.objectLike({
        Type: 'MOCK',
        IntegrationResponses: [
          Match.objectLike({
            ResponseParameters: Match.objectLike({
              'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
              'method.response.header.Access-Control-Allow-Credentials': "'true'",
              'method.response.header.Access-Control-Max-Age': "'600'",
            }),
          }),
        ],
      }),
    });
  });

  it('puts no preflight on intermediate paths that carry no route', () => {
    const options = resourcesOfType(s, 'AWS::ApiGateway::Method').filter(([, r]) => r.Properties?.HttpMethod === 'OPTIONS');
    expect(options).toHaveLength(4); // users, users/{proxy+}, orders, orders/{proxy+}; not /api, not /
  });

  it('adds CORS headers to DEFAULT_4XX and DEFAULT_5XX so browsers can read gateway errors', () => {
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      s.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseParameters: Match.objectLike({
          'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
          'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
          'gatewayresponse.header.Access-Control-Expose-Headers': "'X-Request-ID'",
          'gatewayresponse.header.Vary': "'Origin'",
        }),
      });
    }
  });

  it('echoes the Origin in gateway responses when several origins are allowed', () => {
    synthSpec(baseSpec({ cors: { origins: ['https://a.example.com', 'https://b.example.com'] } })).template.hasResourceProperties(
      'AWS::ApiGateway::GatewayResponse',
      { ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin' }) },
    );
  });

  it('leaves OPTIONS to the upstream when a route lists OPTIONS itself', () => {
    const t = synthSpec({
      services: { a: { url: 'https://a' } },
      gateways: { g: { cors: { origins: ['*'] }, routes: [{ service: 'a', paths: ['/x'], methods: ['GET', 'OPTIONS'] }] } },
    }).template;
    // GET and OPTIONS collapse into ANY, which forwards OPTIONS upstream; no mock preflight is added.
    t.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'ANY', Integration: Match.objectLike({ Type: 'HTTP_PROXY' }) }, 2);
    t.resourcePropertiesCountIs('AWS::ApiGateway::Method', { Integration: Match.objectLike({ Type: 'MOCK' }) }, 0);
    const policy = JSON.stringify(t.findResources('AWS::ApiGateway::RestApi'));
    expect(policy).toContain('execute-api:/prod/POST/x');
    expect(policy).not.toContain('/OPTIONS/');
  });
});

describe('RestGateway: stage, logs and tracing', () => {
  it('defaults to stage prod, 1000 rps / 2000 burst, X-Ray on, ERROR execution logs, JSON access logs kept 30 days', () => {
    const t = synthSpec(baseSpec()).template;
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000, LoggingLevel: 'ERROR', DataTraceEnabled: false }),
      ]),
      AccessLogSetting: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId".*"sourceIp".*"caller".*"route".*"status".*"latencyMs".*"integrationLatencyMs".*"integrationError".*"errorMessage"'),
      },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('applies the configured stage name, throttle, tracing, retention and log level', () => {
    const t = synthSpec(
      baseSpec({ stage: { name: 'v1', throttle: { rate: 50, burst: 60 }, tracing: false, accessLogs: { retentionDays: 7 }, executionLogs: 'INFO' } }),
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
    const t = synthSpec(spec).template;
    for (const [path, method, rate] of [
      ['/~1api~1users', '*', 5],
      ['/~1api~1users~1{proxy+}', '*', 5],
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
    consumers: { acme: { plans: ['standard', 'free'] }, globex: { plans: ['free'], enabled: false } },
  });
  (spec.gateways as { public: { routes: Record<string, unknown>[] } }).public.routes[1]!.apiKey = true;
  const s = synthSpec(spec);

  it('requires an API key only on keyed routes', () => {
    s.template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'ANY', ApiKeyRequired: true }, 2);
    s.template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'ANY', ApiKeyRequired: false }, 2);
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
    s.template.hasResourceProperties('AWS::ApiGateway::UsagePlan', { UsagePlanName: 'public-free', Throttle: Match.absent(), Quota: Match.absent() });
  });

  it('creates a key per consumer without a value in the template, attached to each of its plans', () => {
    s.template.resourceCountIs('AWS::ApiGateway::ApiKey', 2);
    s.template.hasResourceProperties('AWS::ApiGateway::ApiKey', { Name: 'public-acme', Enabled: true, Value: Match.absent() });
    s.template.hasResourceProperties('AWS::ApiGateway::ApiKey', { Name: 'public-globex', Enabled: false, Value: Match.absent() });
    s.template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 3);
    expect(Object.keys(s.stack.gatehouse.gateways.public!.usagePlans)).toEqual(['standard', 'free']);
    expect(Object.keys(s.stack.gatehouse.gateways.public!.apiKeys)).toEqual(['acme', 'globex']);
  });
});
