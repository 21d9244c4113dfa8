// HttpGateway's OpenAPI body: inline or an S3 asset (function ARNs from fixed names and import variables) by size, logical ids that ignore route order, and 1,000 routes in one API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { HttpGateway } from '../../lib/constructs/http-gateway';
import { INLINE_BODY_MAX_BYTES } from '../../lib/constructs/openapi-body';
import { planSpec } from '../../lib/plan/plan';
import { validateConfig } from '../../lib/config/load';
import { httpDefinition, operations } from '../support/http-definition';
import { openApiErrors } from '../support/openapi';
import { synthSpec } from '../support/synth';
import { asHttp } from '../support/flavors';

const services = {
  users: { url: 'https://users.internal:8080' },
  orders: { url: 'https://orders.internal:8080', retries: { attempts: 2 } },
};
const route = (path: string, service = 'users') => ({ service, paths: [path], methods: ['GET', 'POST'] });

function gatewayPlan(routes: unknown[]) {
  return asHttp(
    planSpec(validateConfig({ services, gateways: { api: { flavor: 'http', cors: { origins: ['https://app.example.com'] }, routes } } }))
      .gateways[0],
  );
}

function render(routes: unknown[], inlineBodyMaxBytes?: number) {
  const stack = new Stack(new App(), 'Body');
  const gateway = new HttpGateway(stack, 'Api', { plan: gatewayPlan(routes), inlineBodyMaxBytes });
  return { gateway, template: Template.fromStack(stack) };
}

describe('where the OpenAPI body goes', () => {
  it(`GIVEN a body under ${INLINE_BODY_MAX_BYTES} bytes WHEN synthesized THEN it is inline in Body`, () => {
    const { gateway, template } = render([route('/a')]);
    expect(gateway.body.placement).toBe('inline');
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Body: Match.objectLike({ openapi: '3.0.1' }),
      BodyS3Location: Match.absent(),
    });
  });

  it('GIVEN a body over the threshold that refers to nothing WHEN synthesized THEN it is an S3 asset in BodyS3Location', () => {
    const { gateway, template } = render([route('/a'), route('/b')], 1_000);
    expect(gateway.body.placement).toBe('s3');
    expect(gateway.body.bytes).toBeGreaterThan(1_000);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Body: Match.absent(),
      BodyS3Location: { Bucket: Match.anyValue(), Key: Match.stringLikeRegexp('^[0-9a-f]{64}\\.json$') },
    });
  });

  it("GIVEN a body over the threshold that holds functions' ARNs WHEN synthesized THEN the S3 file names them by their fixed names and API Gateway's import variables, with no CloudFormation reference", () => {
    const { gateway, template } = render([route('/a'), route('/orders', 'orders')], 1_000);
    expect(gateway.body.placement).toBe('s3');
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Body: Match.absent(),
      BodyS3Location: { Bucket: Match.anyValue(), Key: Match.stringLikeRegexp('^[0-9a-f]{64}\\.json$') },
    });
    const proxy = gateway.functionNames.proxies.orders!;
    expect(proxy).toBe('Body-api-proxy-orders');
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: proxy });
    const file = readFileSync(join((gateway.node.root as App).outdir, gateway.body.asset!.assetPath), 'utf8');
    expect(file).not.toMatch(/"Ref"|"Fn::/);
    const doc = JSON.parse(file) as { components: { 'x-amazon-apigateway-integrations': Record<string, { uri?: string }> } };
    expect(doc.components['x-amazon-apigateway-integrations']['proxy-orders']!.uri).toBe(
      `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${proxy}/invocations`,
    );
  });

  it("GIVEN a body over the threshold with a JWT Lambda authorizer WHEN synthesized THEN the S3 file's authorizer names the authorizer function by its fixed name", () => {
    const plan = asHttp(
      planSpec(
        validateConfig({
          services,
          gateways: {
            api: {
              flavor: 'http',
              auth: { jwt: { issuers: [{ issuer: 'https://login.example.com/', audience: ['api'] }] } },
              routes: [{ service: 'users', paths: ['/admin'], auth: { jwt: { roles: ['admin'] } } }, route('/a'), route('/b')],
            },
          },
        }),
      ).gateways[0],
    );
    const stack = new Stack(new App(), 'Body');
    const gateway = new HttpGateway(stack, 'Api', { plan, inlineBodyMaxBytes: 1_000 });
    const template = Template.fromStack(stack);
    expect(gateway.body.placement).toBe('s3');
    expect(gateway.functionNames.authorizer).toBe('Body-api-authorizer');
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'Body-api-authorizer' });
    const file = readFileSync(join((stack.node.root as App).outdir, gateway.body.asset!.assetPath), 'utf8');
    expect(file).not.toMatch(/"Ref"|"Fn::/);
    const doc = JSON.parse(file) as {
      components: { securitySchemes: Record<string, { 'x-amazon-apigateway-authorizer'?: { authorizerUri?: string } }> };
    };
    const uris = Object.values(doc.components.securitySchemes).map((s) => s['x-amazon-apigateway-authorizer']?.authorizerUri);
    expect(uris).toContain(
      'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:Body-api-authorizer/invocations',
    );
  });

  it('GIVEN a body over the threshold WHEN synthesized THEN the API is created after the functions its S3 file names', () => {
    const { template } = render([route('/a'), route('/orders', 'orders')], 1_000);
    const [, api] = Object.entries(template.findResources('AWS::ApiGatewayV2::Api'))[0]!;
    const [proxyId] = Object.entries(
      template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'Body-api-proxy-orders' } }),
    )[0]!;
    expect(api.DependsOn).toContain(proxyId);
  });

  it('GIVEN two HTTP gateways of one name in one stack WHEN synthesized THEN the second is refused, naming the Lambda both would deploy', () => {
    const stack = new Stack(new App(), 'Twice');
    const plan = gatewayPlan([route('/orders', 'orders')]);
    new HttpGateway(stack, 'One', { plan });
    expect(() => new HttpGateway(stack, 'Two', { plan })).toThrow(
      /HttpGateway "api": stack Twice already has a gateway named "api" whose Lambda is named Twice-api-proxy-orders/,
    );
  });
});

describe('logical ids come from names and route keys, never from positions', () => {
  it("keeps the Api at the construct path earlier releases' HttpApi used, so an upgrade updates the API in place instead of replacing it (new id, new URL)", () => {
    const { gateway, template } = render([route('/a')]);
    expect(gateway.resource.node.path).toBe('Body/Api/Resource/Resource');
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP', Name: 'api' });
  });

  it('GIVEN routes reordered and one inserted at the top WHEN synthesized THEN no logical id changes and the body has the new route', async () => {
    const before = synthSpec(
      { services, gateways: { api: { flavor: 'http', routes: [route('/a'), route('/b'), route('/orders', 'orders')] } } },
      { nag: false },
    );
    const after = synthSpec(
      { services, gateways: { api: { flavor: 'http', routes: [route('/new'), route('/orders', 'orders'), route('/b'), route('/a')] } } },
      { nag: false },
    );
    const ids = (s: typeof before) => Object.keys(s.templates['Test.template.json']!.Resources!).sort();
    expect(ids(after)).toEqual(ids(before));
    expect(operations(httpDefinition(after, 'api')).map((o) => o.key)).toContain('GET /new');
    expect(operations(httpDefinition(before, 'api')).map((o) => o.key)).not.toContain('GET /new');
    expect(await openApiErrors(httpDefinition(after, 'api'))).toEqual([]);
  });
});

describe('an HTTP gateway of 1,000 three-verb routes', () => {
  it('GIVEN the quotas raised WHEN synthesized THEN one API holds 6,000 route keys in an S3 body and the stack stays at the size of a small gateway', async () => {
    const spec = (n: number) => ({
      account: { quotas: { routesPerApi: 6 * n, integrationsPerApi: 2 * n } },
      services: { a: { url: 'https://a.internal' } },
      gateways: {
        big: {
          flavor: 'http',
          cors: { origins: ['https://app.example.com'] },
          routes: Array.from({ length: n }, (_, i) => ({ service: 'a', paths: [`/svc${i % 4}/r${i}`], methods: ['GET', 'POST', 'PUT'] })),
        },
      },
    });
    const big = synthSpec(spec(1000), { nag: false });
    const small = synthSpec(spec(10), { nag: false });
    const resources = (s: typeof big) => Object.keys(s.templates['Test.template.json']!.Resources!).length;
    expect(resources(big)).toBe(resources(small));
    expect(resources(big)).toBe(big.stack.gatehouse.plan.stackResources);
    const gateway = big.stack.gatehouse.httpGateways.big!;
    expect(gateway.body.placement).toBe('s3');
    const doc = httpDefinition(big, 'big');
    expect(operations(doc)).toHaveLength(6000);
    expect(Object.keys(doc.components['x-amazon-apigateway-integrations']!)).toHaveLength(2000);
    expect(await openApiErrors(doc)).toEqual([]);
  });
});
