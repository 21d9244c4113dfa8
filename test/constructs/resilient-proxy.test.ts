// ResilientProxy in the template: one function and one permission per proxied service, AWS_PROXY methods, binary media types, the state table and its narrow grant.
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { planSpec } from '../../lib/plan/plan';
import { validateConfig } from '../../lib/config/load';
import { openApiErrors } from '../support/openapi';
import { operations, restBody } from '../support/rest-definition';
import { resourcesOfType, synthSpec, type Synthesized } from '../support/synth';

const spec = (orders: Record<string, unknown>, stage: Record<string, unknown> = {}) => ({
  services: {
    users: { url: 'https://users.internal:8080' },
    orders: {
      url: 'https://orders.internal',
      timeoutMs: 2000,
      circuitBreaker: {},
      retries: { attempts: 1 },
      proxy: { memoryMb: 512, reservedConcurrency: 7, vpc: { subnetIds: ['subnet-0a1'], securityGroupIds: ['sg-0b2'] } },
      ...orders,
    },
  },
  gateways: {
    public: {
      stage,
      cors: { origins: ['https://app.example.com'] },
      routes: [
        { service: 'users', paths: ['/api/users'], methods: ['GET'] },
        { service: 'orders', paths: ['/api/orders'], methods: ['GET', 'POST'] },
        { service: 'orders', paths: ['/v2/orders'], methods: ['GET'] },
      ],
    },
  },
});

/** Functions of the stack that are resilient proxies (the only functions these specs create). */
const proxyFunctions = (s: Synthesized) => resourcesOfType(s, 'AWS::Lambda::Function');

describe('a gateway with a proxied service', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthSpec(spec({}));
  });

  it('creates one proxy function for the service, however many routes use it, on Node.js 22 arm64 with its settings', () => {
    expect(proxyFunctions(s)).toHaveLength(1);
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      ReservedConcurrentExecutions: 7,
      VpcConfig: { SubnetIds: ['subnet-0a1'], SecurityGroupIds: ['sg-0b2'] },
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: Match.objectLike({
          GATEHOUSE_BREAKER_TABLE: { Ref: Match.anyValue() },
          POWERTOOLS_SERVICE_NAME: 'gatehouse-proxy-Test-public-orders',
        }),
      },
    });
  });

  it('sets the function timeout a second past the integration timeout (2 attempts of 2 s, 50 ms backoff, 2 × 200 ms shared-state budget, 1 s to answer)', () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 7 });
  });

  it('gives the role the VPC access managed policy', () => {
    s.template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.arrayWith([
        { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('AWSLambdaVPCAccessExecutionRole')])] },
      ]),
    });
  });

  it('adds exactly one invoke permission for the whole API, scoped to the API, not one per method', () => {
    const permissions = resourcesOfType(s, 'AWS::Lambda::Permission');
    expect(permissions).toHaveLength(1);
    const [apiId] = Object.keys(s.template.findResources('AWS::ApiGateway::RestApi'));
    expect(JSON.stringify(permissions[0]![1].Properties!.SourceArn)).toContain(`{"Ref":"${apiId}"}`);
    expect(JSON.stringify(permissions[0]![1].Properties)).toMatch(/\/\*\/\*\/\*"\]\]/);
  });

  it('integrates every method of the proxied routes as AWS_PROXY to the named function with the planned timeout, and the direct route as HTTP_PROXY', () => {
    const ops = Object.entries(operations(restBody(s))).filter(([key]) => !key.startsWith('OPTIONS'));
    const types = ops.map(([, op]) => op['x-amazon-apigateway-integration'].type);
    // /api/users: 2 paths × GET; /api/orders: 2 × GET, POST; /v2/orders: 2 × GET
    expect(types.filter((t) => t === 'http_proxy')).toHaveLength(2);
    expect(types.filter((t) => t === 'aws_proxy')).toHaveLength(6);
    const [fn] = proxyFunctions(s);
    const name = fn![1].Properties!.FunctionName as string;
    expect(name).toBe('Test-public-proxy-orders');
    for (const [, op] of ops.filter(([, o]) => o['x-amazon-apigateway-integration'].type === 'aws_proxy')) {
      // 4050 ms of attempts, 400 ms for the shared breaker's table waits, 1 s to answer.
      expect(op['x-amazon-apigateway-integration']).toMatchObject({ httpMethod: 'POST', timeoutInMillis: 5450 });
      expect(JSON.stringify(op['x-amazon-apigateway-integration'].uri)).toContain(`:function:${name}/invocations`);
    }
  });

  it('declares every media type binary so bodies reach the proxy base64-encoded and return byte for byte', async () => {
    const body = restBody(s);
    expect(body['x-amazon-apigateway-binary-media-types']).toEqual(['*/*']);
    expect(await openApiErrors(body)).toEqual([]);
  });

  it('converts the preflight mock payload to text, without which binary media types make preflights fail with 500', () => {
    const preflights = Object.entries(operations(restBody(s))).filter(([key]) => key.startsWith('OPTIONS'));
    expect(preflights.length).toBeGreaterThan(0);
    for (const [, p] of preflights) {
      expect(p['x-amazon-apigateway-integration']).toMatchObject({
        type: 'mock',
        contentHandling: 'CONVERT_TO_TEXT',
        responses: { default: { contentHandling: 'CONVERT_TO_TEXT' } },
      });
    }
  });

  it('creates the state table keyed by pk with TTL on expiresAt, billed per request', () => {
    s.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('grants the proxy only GetItem and PutItem, on the state table only', () => {
    const statements = resourcesOfType(s, 'AWS::IAM::Policy').flatMap(
      ([, p]) => (p.Properties as { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } }).PolicyDocument.Statement,
    );
    const dynamo = statements.filter((st) => JSON.stringify(st.Action).includes('dynamodb'));
    expect(dynamo).toEqual([
      {
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/StateTable/), 'Arn'] },
      },
    ]);
  });

  it('holds as many resources as the plan estimated', () => {
    const plan = planSpec(validateConfig(spec({})));
    expect(Object.keys(s.templates['Test.template.json']!.Resources!).length).toBe(plan.stackResources);
  });
});

describe('variants', () => {
  it('GIVEN only local breakers WHEN synthesized THEN there is no state table, no table variable and no DynamoDB grant', () => {
    const s = synthSpec(spec({ circuitBreaker: { state: 'local' }, proxy: {} }, { tracing: false }), { nag: false });
    s.template.resourceCountIs('AWS::DynamoDB::Table', 0);
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ GATEHOUSE_BREAKER_TABLE: Match.absent() }) },
      MemorySize: 256,
    });
    // Without tracing and without the table, the role needs no inline policy.
    s.template.resourceCountIs('AWS::IAM::Policy', 0);
    expect(Object.keys(s.templates['Test.template.json']!.Resources!).length).toBe(
      planSpec(validateConfig(spec({ circuitBreaker: { state: 'local' }, proxy: {} }, { tracing: false }))).stackResources,
    );
  });

  it('GIVEN no proxied service WHEN synthesized THEN there is no function, no table and no binary media types', () => {
    const s = synthSpec(spec({ circuitBreaker: undefined, retries: undefined, proxy: undefined }), { nag: false });
    s.template.resourceCountIs('AWS::Lambda::Function', 0);
    s.template.resourceCountIs('AWS::DynamoDB::Table', 0);
    s.template.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: Match.absent() });
  });

  it('GIVEN a rate-limited route WHEN synthesized THEN the proxy gets the counter table in GATEHOUSE_RATE_LIMIT_TABLE and only UpdateItem and GetItem on it', () => {
    const limited = spec({ circuitBreaker: undefined, retries: undefined, proxy: {} });
    (limited.gateways.public.routes[0] as Record<string, unknown>).rateLimit = { minute: 100, by: 'ip' };
    const s = synthSpec(limited, { nag: false });
    s.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ GATEHOUSE_RATE_LIMIT_TABLE: { Ref: Match.anyValue() }, GATEHOUSE_BREAKER_TABLE: Match.absent() }),
      },
    });
    const statements = resourcesOfType(s, 'AWS::IAM::Policy').flatMap(
      ([, p]) => (p.Properties as { PolicyDocument: { Statement: { Action: unknown }[] } }).PolicyDocument.Statement,
    );
    expect(statements.filter((st) => JSON.stringify(st.Action).includes('dynamodb')).map((st) => st.Action)).toEqual([
      ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    ]);
    expect(Object.keys(s.templates['Test.template.json']!.Resources!).length).toBe(planSpec(validateConfig(limited)).stackResources);
  });
});
