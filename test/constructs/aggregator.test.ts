// AggregatorFunction in the template: one function and one permission per aggregate, its baked config, the AWS_PROXY GET, binary media types, preflight text conversion and the state table grant.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AggregatorFunction } from '../../lib/constructs/aggregator-function';
import { ResilientProxy } from '../../lib/constructs/resilient-proxy';
import { planSpec } from '../../lib/plan/plan';
import { validateConfig } from '../../lib/config/load';
import { openApiErrors } from '../support/openapi';
import { operations, restBody } from '../support/rest-definition';
import { resourcesOfType, synthSpec, type Synthesized } from '../support/synth';

const jwt = { jwt: { issuers: [{ issuer: 'https://id.example.com/', audience: ['web'] }] } };

const spec = (orders: Record<string, unknown> = { circuitBreaker: {} }) => ({
  services: {
    users: { url: 'https://users.internal:8080', timeoutMs: 2000 },
    orders: { url: 'https://orders.internal', timeoutMs: 3000, ...orders },
  },
  gateways: {
    web: {
      auth: jwt,
      cors: { origins: ['https://app.example.com'] },
      routes: [{ service: 'users', paths: ['/api/users'], methods: ['GET'], auth: 'jwt' }],
      aggregates: [
        {
          path: '/api/dashboard',
          auth: 'jwt',
          parts: {
            profile: { service: 'users', path: '/users/{claims.sub}' },
            orders: { service: 'orders', path: '/orders?user={claims.sub}', optional: true, fallback: [] },
          },
          aggregator: { memoryMb: 512, reservedConcurrency: 5 },
          throttle: { rate: 20, burst: 40 },
        },
      ],
    },
    mobile: {
      auth: jwt,
      aggregates: [{ path: '/api/dashboard', auth: 'jwt', from: 'web.dashboard', select: ['profile.name'] }],
    },
  },
});

type Fn = {
  Properties: { Environment: { Variables: Record<string, unknown> }; Code: unknown; Timeout: number; MemorySize: number };
  Metadata?: Record<string, unknown>;
};

/** Aggregator functions by their POWERTOOLS_SERVICE_NAME. */
function aggregatorFunctions(s: Synthesized): Record<string, Fn> {
  return Object.fromEntries(
    resourcesOfType(s, 'AWS::Lambda::Function')
      .map(([, r]) => r as unknown as Fn)
      .filter((r) => String(r.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).startsWith('gatehouse-aggregator-'))
      .map((r) => [String(r.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME), r]),
  );
}

describe('gateways with aggregates', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthSpec(spec());
  });

  it('creates one aggregator function per aggregate, named by gateway and route, with its settings', () => {
    const fns = aggregatorFunctions(s);
    expect(Object.keys(fns).sort()).toEqual([
      'gatehouse-aggregator-Test-mobile-api-dashboard',
      'gatehouse-aggregator-Test-web-api-dashboard',
    ]);
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      ReservedConcurrentExecutions: 5,
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'gatehouse-aggregator-Test-web-api-dashboard',
          GATEHOUSE_BREAKER_TABLE: { Ref: Match.anyValue() },
        }),
      },
    });
  });

  it('sets the function timeout a second past the integration timeout (3 s deadline of the orders part, 2 × 200 ms breaker-table budget, 1 s to answer)', () => {
    expect(aggregatorFunctions(s)['gatehouse-aggregator-Test-web-api-dashboard']!.Properties.Timeout).toBe(6);
  });

  it("bakes each aggregate's config into its bundle, the projection only into the mobile one", () => {
    const assets = readdirSync(s.outdir).filter((d) => d.startsWith('asset.') && existsSync(join(s.outdir, d, 'index.js')));
    // esbuild inlines the JSON as a minified object literal: keys may lose their quotes.
    const bundles = assets
      .map((d) => readFileSync(join(s.outdir, d, 'index.js'), 'utf8'))
      .filter((code) => /"?route"?:"\/api\/dashboard"/.test(code));
    expect(bundles).toHaveLength(2);
    expect(bundles.filter((code) => /"?select"?:\["profile\.name"\]/.test(code))).toHaveLength(1);
    expect(bundles.every((code) => /"?pathTemplate"?:"\/users\/\{claims\.sub\}"/.test(code))).toBe(true);
  });

  it('adds exactly one invoke permission per aggregator for the whole API', () => {
    const aggregatorPermissions = resourcesOfType(s, 'AWS::Lambda::Permission').filter(([id]) => /Aggregator/.test(id));
    expect(aggregatorPermissions).toHaveLength(2);
    for (const [, p] of aggregatorPermissions) expect(JSON.stringify(p.Properties)).toMatch(/\/\*\/\*\/\*"\]\]/);
  });

  it("integrates the aggregate's GET as AWS_PROXY with the planned timeout, behind the JWT authorizer, on the exact path only", () => {
    const bodies = ['web', 'mobile'].map((name) => restBody(s, name));
    const aggregateOps = bodies
      .flatMap((b) => Object.entries(operations(b)))
      .filter(([, op]) => op['x-amazon-apigateway-integration'].type === 'aws_proxy');
    expect(aggregateOps.map(([key]) => key)).toEqual(['GET /api/dashboard', 'GET /api/dashboard']);
    for (const [, op] of aggregateOps) {
      expect(op['x-amazon-apigateway-integration']).toMatchObject({ httpMethod: 'POST', timeoutInMillis: 4400 });
      expect(op.security).toHaveLength(1);
      expect(Object.keys(op.security[0])).toEqual([expect.stringMatching(/-jwt$/)]);
    }
    expect(Object.keys(bodies[0]!.paths).filter((p) => p.endsWith('{proxy+}'))).toEqual(['/api/users/{proxy+}']);
  });

  it('declares every media type binary on both APIs and converts the preflight mock payload to text', async () => {
    const bodies = ['web', 'mobile'].map((name) => restBody(s, name));
    for (const b of bodies) {
      expect(b['x-amazon-apigateway-binary-media-types']).toEqual(['*/*']);
      expect(await openApiErrors(b)).toEqual([]);
    }
    const preflights = bodies.flatMap((b) => Object.entries(operations(b))).filter(([key]) => key.startsWith('OPTIONS'));
    // web: /api/users and its greedy path, /api/dashboard; mobile has no CORS.
    expect(preflights).toHaveLength(3);
    for (const [, p] of preflights)
      expect(p['x-amazon-apigateway-integration']).toMatchObject({ type: 'mock', contentHandling: 'CONVERT_TO_TEXT' });
  });

  it('grants each aggregator only GetItem and PutItem on the state table', () => {
    const statements = resourcesOfType(s, 'AWS::IAM::Policy')
      .filter(([id]) => /Aggregator/.test(id))
      .flatMap(
        ([, p]) => (p.Properties as { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } }).PolicyDocument.Statement,
      );
    const dynamo = statements.filter((st) => JSON.stringify(st.Action).includes('dynamodb'));
    expect(dynamo).toHaveLength(2);
    for (const st of dynamo)
      expect(st).toEqual({
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/StateTable/), 'Arn'] },
      });
  });

  it("throttles the aggregate's GET on the stage with its own throttle, and only where one is set", () => {
    const stages = Object.values(s.template.findResources('AWS::ApiGateway::Stage')).map((r) => r.Properties);
    const settings = stages.flatMap((p) =>
      (p.MethodSettings as { ResourcePath: string; HttpMethod: string; ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number }[]).map(
        (m) => ({ ...m, stage: p.RestApiId.Ref }),
      ),
    );
    const dashboard = settings.filter((m) => m.ResourcePath === '/~1api~1dashboard' && m.HttpMethod === 'GET');
    expect(dashboard).toEqual([
      expect.objectContaining({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40, stage: expect.stringMatching(/^GatehouseWeb/) }),
    ]);
  });

  it('holds as many resources as the plan estimated', () => {
    const plan = planSpec(validateConfig(spec()));
    expect(Object.keys(s.templates['Test.template.json']!.Resources!).length).toBe(plan.stackResources);
  });
});

describe('variants', () => {
  it('GIVEN only local breakers WHEN synthesized THEN no state table, no table variable and the plan estimate still holds', () => {
    const local = spec({ circuitBreaker: { state: 'local' } });
    const s = synthSpec(local, { nag: false });
    s.template.resourceCountIs('AWS::DynamoDB::Table', 0);
    for (const fn of Object.values(aggregatorFunctions(s)))
      expect(fn.Properties.Environment.Variables).not.toHaveProperty('GATEHOUSE_BREAKER_TABLE');
    expect(Object.keys(s.templates['Test.template.json']!.Resources!).length).toBe(planSpec(validateConfig(local)).stackResources);
  });
});

describe('a function that shares state but is given no table', () => {
  it('GIVEN plans whose breakers share state WHEN the aggregator or the proxy is built without the state table THEN it throws naming the construct', () => {
    const withProxy = spec();
    (withProxy.gateways.web.routes as unknown[]).push({ service: 'orders', paths: ['/api/orders'] });
    const g = planSpec(validateConfig(withProxy)).gateways[0]!;
    const stack = new Stack(new App(), 'Guard');
    const api = new apigw.RestApi(stack, 'Api');
    api.root.addMethod('GET');
    expect(() => new AggregatorFunction(stack, 'Agg', { plan: g.aggregators[0]!, api })).toThrow(
      /AggregatorFunction "dashboard": plan.stateUses needs a stateTable/,
    );
    expect(() => new ResilientProxy(stack, 'Proxy', { plan: g.proxies.find((p) => p.service === 'orders')!, api })).toThrow(
      /ResilientProxy "orders": plan.stateUses needs a stateTable/,
    );
  });
});
