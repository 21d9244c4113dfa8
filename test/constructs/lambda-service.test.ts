// Lambda services in the templates: direct AWS_PROXY integrations, one invoke permission per function per API, proxy/aggregator grants on that function only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { HttpGateway } from '../../lib/constructs/http-gateway';
import { RestGateway } from '../../lib/constructs/rest-gateway';
import { explainPlan } from '../../lib/plan/explain';
import { planSpec } from '../../lib/plan/plan';
import { validateConfig } from '../../lib/config/load';
import { resourcesOfType, synthSpec } from '../support/synth';
import { asHttp, asRest } from '../support/flavors';

const ACCOUNT = '123456789012';
const USERS_ARN = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:get-users`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** users and people name one function; orders is a function by name and alias; a gateway of `flavor` routes to all three, two methods each. */
function spec(flavor: 'rest' | 'http', extra: Record<string, unknown> = {}) {
  return {
    services: {
      users: { lambda: USERS_ARN },
      people: { lambda: USERS_ARN },
      orders: { lambda: 'orders-fn:live', timeoutMs: 5000 },
      ...extra,
    },
    gateways: {
      public: {
        flavor,
        routes: [
          { service: 'users', paths: ['/api/users', '/api/admins'], methods: ['GET', 'POST'] },
          { service: 'people', paths: ['/api/people'], methods: ['GET'] },
          { service: 'orders', paths: ['/api/orders'], methods: ['GET', 'DELETE'] },
        ],
      },
    },
  };
}

const integrationsOf = (body: Json): Json[] =>
  Object.values(body.paths as Json).flatMap((item: Json) =>
    Object.values(item)
      .map((op: Json) => op['x-amazon-apigateway-integration'])
      .filter(Boolean),
  );

describe('GIVEN a REST gateway whose routes go to Lambda services', () => {
  const s = synthSpec(spec('rest'));
  const permissions = resourcesOfType(s, 'AWS::Lambda::Permission');

  it('WHEN synthesized THEN each function has one permission for the whole API, scoped to its execute-api ARN, whatever its routes, methods and services', () => {
    expect(permissions).toHaveLength(2);
    const props = permissions.map(([, p]) => p.Properties as Json);
    expect(props.map((p) => JSON.stringify(p.FunctionName)).sort()).toEqual(
      [
        JSON.stringify(USERS_ARN),
        JSON.stringify({
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':lambda:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':function:orders-fn:live',
            ],
          ],
        }),
      ].sort(),
    );
    for (const p of props) {
      expect(p).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' });
      expect(JSON.stringify(p.SourceArn)).toMatch(/execute-api.*"Ref":"GatehousePublic[0-9A-F]+".*\/\*\/\*\/\*/);
    }
    // Ids from the first service naming the function, never a position.
    expect(permissions.map(([id]) => id).sort()).toEqual([
      expect.stringMatching(/^GatehousePublicOrdersLambdaInvoke/),
      expect.stringMatching(/^GatehousePublicPeopleLambdaInvoke/),
    ]);
  });

  it("WHEN synthesized THEN every method is an AWS_PROXY POST to the function's invocation URI, with the service's timeout, and no Gatehouse Lambda exists", () => {
    const [api] = Object.values(s.template.findResources('AWS::ApiGateway::RestApi'));
    const integrations = integrationsOf(api!.Properties.Body);
    expect(integrations).toHaveLength(2 * 2 * 2 + 2 + 2 * 2);
    for (const i of integrations) expect(i).toMatchObject({ type: 'aws_proxy', httpMethod: 'POST' });
    const uris = new Set(integrations.map((i) => JSON.stringify(i.uri)));
    expect(uris.size).toBe(2);
    expect([...uris].some((u) => u.includes(`/functions/${USERS_ARN}/invocations`))).toBe(true);
    expect([...uris].some((u) => u.includes(':function:orders-fn:live/invocations'))).toBe(true);
    expect(new Set(integrations.map((i) => i.timeoutInMillis))).toEqual(new Set([10000, 5000]));
    s.template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  it('WHEN planned THEN the estimate counts the permissions exactly', () => {
    expect(Object.keys(s.templates['Test.template.json']!.Resources!).length).toBe(s.stack.gatehouse.plan.stackResources);
  });

  it('WHEN explained THEN each route shows its function, payload and timeout', () => {
    const text = explainPlan(s.stack.gatehouse.plan);
    expect(text).toContain(`lambda-function → ${USERS_ARN} (payload 1.0, 10000 ms)`);
    expect(text).toContain('lambda-function → orders-fn:live (payload 1.0, 5000 ms)');
    expect(text).toMatch(/direct Lambda proxy \(AWS_PROXY\)/);
    expect(text).toContain(
      'Correlation: X-Request-ID from the caller is forwarded unchanged; Lambda services read the gateway request id from the event (requestContext.requestId)',
    );
  });
});

describe('GIVEN an HTTP gateway whose routes go to Lambda services', () => {
  const s = synthSpec(spec('http', { orders: { lambda: 'orders-fn:live', timeoutMs: 5000, payload: '1.0' } }));

  it('WHEN synthesized THEN one shared integration per service carries its payload version, and one permission per function', () => {
    const [api] = Object.values(s.template.findResources('AWS::ApiGatewayV2::Api'));
    const integrations = api!.Properties.Body.components['x-amazon-apigateway-integrations'] as Json;
    expect(Object.keys(integrations).sort()).toEqual(['lambda-orders', 'lambda-people', 'lambda-users']);
    expect(integrations['lambda-users']).toMatchObject({
      type: 'aws_proxy',
      httpMethod: 'POST',
      payloadFormatVersion: '2.0',
      timeoutInMillis: 10000,
    });
    expect(integrations['lambda-orders']).toMatchObject({ payloadFormatVersion: '1.0', timeoutInMillis: 5000 });
    expect(JSON.stringify(integrations['lambda-users'].uri)).toContain(`/functions/${USERS_ARN}/invocations`);
    s.template.resourceCountIs('AWS::Lambda::Permission', 2);
    expect(Object.keys(s.templates['Test.template.json']!.Resources!).length).toBe(s.stack.gatehouse.plan.stackResources);
  });

  it('WHEN explained THEN the integrations count one per Lambda service', () => {
    expect(explainPlan(s.stack.gatehouse.plan)).toMatch(/ 3 of 300 integrations per API/);
  });
});

describe('GIVEN a Lambda service whose routes need the proxy', () => {
  const s = synthSpec({
    services: { users: { lambda: `${USERS_ARN}:live`, retries: { attempts: 1 } }, orders: { lambda: 'orders-fn' } },
    gateways: {
      public: {
        flavor: 'http',
        routes: [{ service: 'users', paths: ['/api/users'], methods: ['GET'] }],
        aggregates: [
          {
            path: '/api/dashboard',
            parts: { users: { service: 'users', path: '/api/users' }, orders: { service: 'orders', path: '/orders' } },
          },
        ],
      },
    },
  });
  const gateway = s.stack.gatehouse.plan.gateways[0]!;

  it("WHEN planned THEN the proxy's target and the aggregate's parts invoke the function with the gateway's payload", () => {
    expect(gateway.routes[0]!.integration.kind).toBe('lambda-proxy');
    expect(gateway.proxies[0]!.config.targets).toEqual([
      { name: 'default', url: `lambda:${USERS_ARN}:live`, lambda: { functionName: `${USERS_ARN}:live`, payload: '2.0' }, weight: 1 },
    ]);
    expect(gateway.aggregators[0]!.config.parts.orders).toMatchObject({
      url: 'lambda:orders-fn',
      lambda: { functionName: 'orders-fn', payload: '2.0' },
    });
    expect(gateway.aggregators[0]!.invokes).toEqual([`${USERS_ARN}:live`, 'orders-fn']);
  });

  it('WHEN synthesized THEN each role may invoke exactly its functions (the alias as named), and the API itself gets no permission on them', () => {
    const invokeGrants = resourcesOfType(s, 'AWS::IAM::Policy').flatMap(([id, p]) =>
      ((p.Properties as Json).PolicyDocument.Statement as Json[])
        .filter((st) => st.Action === 'lambda:InvokeFunction')
        .map((st) => [id, JSON.stringify(st.Resource)] as const),
    );
    expect(invokeGrants).toHaveLength(2);
    const [proxyGrant] = invokeGrants.filter(([id]) => id.includes('UsersProxy'));
    expect(proxyGrant![1]).toBe(JSON.stringify(`${USERS_ARN}:live`));
    const [aggregatorGrant] = invokeGrants.filter(([id]) => id.includes('Aggregator'));
    expect(aggregatorGrant![1]).toContain(`"${USERS_ARN}:live"`);
    expect(aggregatorGrant![1]).toContain(':function:orders-fn"');
    expect(aggregatorGrant![1]).not.toContain('*');
    // The only permissions are the proxy's and the aggregator's own (API Gateway invokes those, not the services).
    expect(resourcesOfType(s, 'AWS::Lambda::Permission').map(([, p]) => JSON.stringify((p.Properties as Json).FunctionName))).not.toContain(
      JSON.stringify(`${USERS_ARN}:live`),
    );
    expect(Object.keys(s.templates['Test.template.json']!.Resources!).length).toBe(s.stack.gatehouse.plan.stackResources);
  });
});

describe('GIVEN a definition too large to inline', () => {
  const plan = (fn: string, flavor: 'rest' | 'http') =>
    planSpec(
      validateConfig({
        services: { users: { lambda: fn } },
        gateways: { api: { flavor, routes: [{ service: 'users', paths: ['/a', '/b', '/c'], methods: ['GET', 'POST'] }] } },
      }),
    ).gateways[0]!;

  it("WHEN the function is a literal name THEN the S3 copy names it with API Gateway's import variables", () => {
    const stack = new Stack(new App(), 'Big');
    const gateway = new HttpGateway(stack, 'Api', { plan: asHttp(plan('get-users', 'http')), inlineBodyMaxBytes: 500 });
    expect(gateway.body.placement).toBe('s3');
    const file = readFileSync(join((gateway.node.root as App).outdir, gateway.body.asset!.assetPath), 'utf8');
    expect(file).toContain('arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:get-users/invocations');
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Permission', 1);
  });

  it.each(['rest', 'http'] as const)('WHEN the function is a CDK token on a %s gateway THEN it is an error naming the fix', (flavor) => {
    const stack = new Stack(new App(), 'Big');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    });
    const p = plan(fn.functionArn, flavor);
    const build = () =>
      flavor === 'rest'
        ? new RestGateway(stack, 'Api', { plan: asRest(p), inlineDefinitionMaxBytes: 500 })
        : new HttpGateway(stack, 'Api', { plan: asHttp(p), inlineBodyMaxBytes: 500 });
    expect(build).toThrow(
      /too large to inline and goes to S3, which CloudFormation does not resolve, but services\.users\.lambda is a function known only at deploy .*give that function a fixed functionName/,
    );
  });

  it('WHEN the function is a CDK token and the body fits inline THEN the integration refers to the function', () => {
    const stack = new Stack(new App(), 'Small');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    });
    new RestGateway(stack, 'Api', { plan: asRest(plan(fn.functionArn, 'rest')) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Permission', { FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Fn'), 'Arn'] } });
    expect(JSON.stringify(Object.values(template.findResources('AWS::ApiGateway::RestApi'))[0]!.Properties.Body)).toMatch(
      /"Fn::GetAtt":\["Fn[0-9A-F]+","Arn"\]/,
    );
  });
});
