// An HTTP API behind CloudFront (examples/http-edge.yaml): WAF at the edge, and authorizers that refuse calls skipping CloudFront.
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiUrlDescription } from '../../lib/constructs/api-url';
import { CustomDomain } from '../../lib/constructs/custom-domain';
import { EdgeProtection } from '../../lib/constructs/edge/edge-protection';
import { HttpGateway } from '../../lib/constructs/http-gateway';
import { HttpLambdaAuthorizer } from '../../lib/constructs/http-lambda-authorizer';
import { planSpec } from '../../lib/plan/plan';
import { loadConfig, validateConfig } from '../../lib/config/load';
import { httpDefinition, operations } from '../support/http-definition';
import { openApiErrors } from '../support/openapi';
import { baseSpec, resourcesOfType, synthSpec, type Synthesized } from '../support/synth';
import { asHttp } from '../support/flavors';

const secretReference = Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['{{resolve:secretsmanager:', ':SecretString:::}}'])] });

describe('HTTP API behind CloudFront (examples/http-edge.yaml)', () => {
  let s: Synthesized;
  let edge: Template;
  let secretId: string;
  beforeAll(() => {
    // cdk-nag on this example runs in nag.test.ts.
    s = synthSpec(loadConfig(join(__dirname, '../../examples/http-edge.yaml')), { nag: false });
    edge = Template.fromStack(s.stack.gatehouse.edgeStack!);
    const secrets = resourcesOfType(s, 'AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(1);
    secretId = secrets[0]![0];
  });

  it("points CloudFront at the HTTP API's host with no stage path, sending the one secret as a dynamic reference", () => {
    s.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['api.shop.example.com'],
        Origins: [
          Match.objectLike({
            DomainName: {
              'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('^GatehouseShop') }, '.execute-api.eu-west-1.', { Ref: 'AWS::URLSuffix' }]],
            },
            OriginPath: Match.absent(),
            OriginCustomHeaders: [{ HeaderName: 'X-Origin-Verify', HeaderValue: secretReference }],
          }),
        ],
      }),
    });
    const header = JSON.stringify(s.template.findResources('AWS::CloudFront::Distribution'));
    expect(header).toContain(`"Ref":"${secretId}"`);
  });

  it('outputs the URL clients use: the custom domain of the distribution', () => {
    const outputs = Object.values(s.template.toJSON().Outputs as Record<string, { Value: unknown; Description: string }>);
    expect(outputs).toContainEqual(
      expect.objectContaining({ Value: 'https://api.shop.example.com/', Description: 'URL of gateway "shop" through CloudFront' }),
    );
    // The API's own URL says it is not for clients.
    expect(outputs).toContainEqual(
      expect.objectContaining({
        Description: 'execute-api URL of gateway "shop": refuses calls that skip CloudFront; clients use the distribution\'s URL output',
      }),
    );
  });

  it('has no regional web ACL (HTTP APIs take none) and the CLOUDFRONT web ACL in us-east-1', () => {
    expect(resourcesOfType(s, 'AWS::WAFv2::WebACLAssociation')).toHaveLength(0);
    s.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    edge.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Rules: Match.arrayWith([Match.objectLike({ Name: 'GeoBlock' })]),
    });
  });

  it('guards the public route with the origin-verify authorizer: the header is its only identity source, cached 300 s, simple responses', async () => {
    const doc = httpDefinition(s, 'shop');
    expect(await openApiErrors(doc)).toEqual([]);
    expect(doc.components.securitySchemes!['shop-origin-verify']).toEqual({
      type: 'apiKey',
      name: 'X-Origin-Verify',
      in: 'header',
      'x-amazon-apigateway-authorizer': expect.objectContaining({
        type: 'request',
        authorizerPayloadFormatVersion: '2.0',
        enableSimpleResponses: true,
        identitySource: '$request.header.X-Origin-Verify',
        authorizerResultTtlInSeconds: 300,
      }),
    });
    s.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    s.template.resourceCountIs('AWS::ApiGatewayV2::Route', 0);
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(0);
    for (const { key, op } of ops)
      expect(op.security, key).toEqual([{ [key.includes('/api/catalog') ? 'shop-origin-verify' : 'shop-jwt']: [] }]);
  });

  it('serves the scoped JWT route with the Lambda authorizer instead of the native one, the origin-verify header in its cache key', () => {
    const schemes = httpDefinition(s, 'shop').components.securitySchemes!;
    expect(Object.values(schemes).map((x) => x['x-amazon-apigateway-authorizer'].type)).not.toContain('jwt');
    expect(schemes['shop-jwt']!['x-amazon-apigateway-authorizer']).toMatchObject({
      type: 'request',
      identitySource: '$request.header.Authorization, $request.header.X-Origin-Verify, $context.routeKey',
    });
    const g = s.stack.gatehouse.plan.gateways[0]!;
    expect(g.authorizer?.config.originVerify).toEqual({ header: 'X-Origin-Verify' });
    expect(g.authorizer?.reason).toMatch(/X-Origin-Verify/);
  });

  it('lets API Gateway invoke each authorizer function for this API only, through one permission each', () => {
    const permissions = Object.values(s.template.findResources('AWS::Lambda::Permission')).filter((p) =>
      JSON.stringify(p.Properties.SourceArn).includes('/authorizers/*'),
    );
    expect(permissions).toHaveLength(2);
    for (const p of permissions) {
      expect(p.Properties.Action).toBe('lambda:InvokeFunction');
      expect(JSON.stringify(p.Properties.SourceArn)).toMatch(/"Ref":"GatehouseShop[0-9A-F]{8}"/);
    }
  });

  it("gives both authorizer functions the secret's ARN and read access to that secret only", () => {
    const functions = Object.values(s.template.findResources('AWS::Lambda::Function')).filter((f) =>
      /authorizer/.test(String(f.Properties.Description)),
    );
    expect(functions).toHaveLength(2);
    for (const f of functions) expect(f.Properties.Environment.Variables.GATEHOUSE_ORIGIN_VERIFY_SECRET_ARN).toEqual({ Ref: secretId });
    const reads = Object.values(s.template.findResources('AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]).filter((st) =>
        [st.Action].flat().includes('secretsmanager:GetSecretValue'),
      ),
    );
    expect(reads).toHaveLength(2);
    for (const st of reads) expect(st.Resource).toEqual({ Ref: secretId });
  });

  it('caches the catalog at CloudFront keyed by its query and, with two CORS origins, by Origin', () => {
    s.template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        DefaultTTL: 120,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Origin'] },
          QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: ['page', 'q'] },
        }),
      }),
    });
  });

  it("puts the viewer's IP in X-Gatehouse-Viewer-IP on every behavior, and the rate-limited route's proxy counts it", () => {
    const fns = s.template.findResources('AWS::CloudFront::Function');
    expect(Object.keys(fns)).toHaveLength(1);
    const [fnId, fn] = Object.entries(fns)[0]!;
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fn.Properties.FunctionCode).toContain('event.request.headers["x-gatehouse-viewer-ip"] = { value: event.viewer.ip }');
    const config = s.template.findResources('AWS::CloudFront::Distribution');
    const dist = Object.values(config)[0]!.Properties.DistributionConfig;
    const behaviors = [dist.DefaultCacheBehavior, ...dist.CacheBehaviors];
    expect(behaviors.length).toBe(3);
    for (const b of behaviors) {
      expect(b.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fnId, 'FunctionARN'] } }]);
    }
    const proxy = s.stack.gatehouse.plan.gateways[0]!.proxies.find((p) => p.service === 'order-service')!;
    const limits = Object.values(proxy.config.routes).map((r) => r.rateLimit);
    expect(limits.length).toBeGreaterThan(0);
    for (const limit of limits) expect(limit).toMatchObject({ by: { kind: 'consumer' }, clientIpHeader: 'X-Gatehouse-Viewer-IP' });
  });

  it("matches the plan's resource estimates in both stacks", () => {
    const plan = s.stack.gatehouse.plan;
    expect(Object.keys(s.templates['Test.template.json']!.Resources!)).toHaveLength(plan.stackResources);
    expect(Object.keys(s.templates['TestEdge.template.json']!.Resources!)).toHaveLength(plan.edgeStack!.resources);
  });
});

describe('HTTP API with mutual TLS', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthSpec(
      baseSpec({
        flavor: 'http',
        edge: {
          mtls: {
            domain: 'partners.example.com',
            certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
            truststoreUri: 's3://example-truststore/ca.pem',
            truststoreVersion: 'v3',
          },
        },
      }),
    );
  });

  it('serves the $default stage on a v2 custom domain that checks client certificates against the truststore', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'partners.example.com',
      DomainNameConfigurations: [
        Match.objectLike({
          CertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
          EndpointType: 'REGIONAL',
          SecurityPolicy: 'TLS_1_2',
        }),
      ],
      MutualTlsAuthentication: { TruststoreUri: 's3://example-truststore/ca.pem', TruststoreVersion: 'v3' },
    });
    s.template.hasResource('AWS::ApiGatewayV2::ApiMapping', {
      Properties: {
        ApiId: { Ref: Match.stringLikeRegexp('^GatehousePublic') },
        DomainName: { Ref: Match.stringLikeRegexp('MtlsDomain') },
        Stage: '$default',
      },
      // The mapping names the stage, which must exist first.
      DependsOn: [Match.stringLikeRegexp('^GatehousePublicStage')],
    });
    expect(resourcesOfType(s, 'AWS::ApiGateway::DomainName')).toHaveLength(0);
  });

  it('turns the execute-api endpoint off, so the certificate check cannot be skipped', async () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    expect(httpDefinition(s, 'public').servers).toEqual([
      { url: '/', 'x-amazon-apigateway-endpoint-configuration': { disableExecuteApiEndpoint: true } },
    ]);
    expect(await openApiErrors(httpDefinition(s, 'public'))).toEqual([]);
  });

  it("matches the plan's resource estimate", () => {
    expect(Object.keys(s.templates['Test.template.json']!.Resources!)).toHaveLength(s.stack.gatehouse.plan.stackResources);
  });
});

describe('the execute-api URL output', () => {
  it.each([
    ['no edge', {}, 'Invoke URL of gateway "public"'],
    [
      'mutual TLS',
      {
        edge: {
          mtls: {
            domain: 'partners.example.com',
            certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
            truststoreUri: 's3://example-truststore/ca.pem',
          },
        },
      },
      'execute-api URL of gateway "public": turned off, clients use https://partners.example.com with a certificate',
    ],
  ] as const)('GIVEN %s WHEN planned THEN its description says whether clients use it', (_what, gateway, description) => {
    const plan = planSpec(validateConfig(baseSpec(gateway)));
    expect(apiUrlDescription(plan.gateways[0]!)).toBe(description);
  });
});

describe('HttpLambdaAuthorizer guards', () => {
  it('GIVEN a plan whose config checks the origin header but no secret (or a secret without it) WHEN built THEN it throws naming both', () => {
    const plan = planSpec(
      validateConfig({
        ...baseSpec({
          flavor: 'http',
          auth: { jwt: { issuers: [{ issuer: 'https://login.example.com/', audience: ['api'] }] } },
          routes: [{ service: 'users', paths: ['/u'], auth: 'jwt' }],
          edge: { cloudfront: {} },
        }),
        account: { region: 'eu-west-1' },
      }),
    ).gateways[0]!;
    const stack = new Stack(new App(), 'Guard', { env: { region: 'eu-west-1' } });
    const api = new apigwv2.HttpApi(stack, 'Api');
    expect(() => new HttpLambdaAuthorizer(stack, 'A', { api, plan: plan.authorizer!, gatewayName: 'public' })).toThrow(
      /the plan's originVerify and the originVerifySecret prop go together/,
    );
    const secret = new secretsmanager.Secret(stack, 'S');
    const plain = { ...plan.authorizer!, config: { ...plan.authorizer!.config, originVerify: undefined } };
    expect(() => new HttpLambdaAuthorizer(stack, 'B', { api, plan: plain, gatewayName: 'public', originVerifySecret: secret })).toThrow(
      /go together/,
    );
  });
});

describe('construct guards for plans they cannot render', () => {
  it('GIVEN a regional web ACL plan and an HTTP API WHEN EdgeProtection is built THEN it throws: HTTP APIs take no web ACL', () => {
    const rest = planSpec(validateConfig(baseSpec({ edge: { waf: {} } }))).gateways[0]!;
    const stack = new Stack(new App(), 'Guard');
    const httpApi = new apigwv2.HttpApi(stack, 'Api', { createDefaultStage: false });
    const httpStage = new apigwv2.HttpStage(stack, 'Stage', { httpApi, stageName: '$default' });
    expect(() => new EdgeProtection(stack, 'Edge', { plan: rest.edge!, gatewayName: 'public', api: { httpApi, httpStage } })).toThrow(
      /a regional web ACL needs a REST API stage \(HTTP APIs take none\)/,
    );
  });

  it('GIVEN a domain plan mapping a gateway it was given no stage for WHEN CustomDomain is built THEN it throws naming the gateway', () => {
    const stack = new Stack(new App(), 'Guard');
    const plan = {
      name: 'api.example.com',
      certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
      mappings: [{ gateway: 'ghost', url: 'https://api.example.com/' }],
      reason: '',
    };
    expect(() => new CustomDomain(stack, 'Domain', { plan, stages: {} })).toThrow(/no stage given for gateway "ghost"/);
  });

  it('GIVEN an HTTP plan behind CloudFront whose public route has no authorizer to check the header WHEN HttpGateway is built THEN it throws instead of leaving a way around CloudFront', () => {
    const g = asHttp(
      planSpec(validateConfig({ ...baseSpec({ flavor: 'http', edge: { cloudfront: {} } }), account: { region: 'eu-west-1' } })).gateways[0],
    );
    const cf = g.edge!.cloudfront!;
    const broken = {
      ...g,
      edge: { ...g.edge!, cloudfront: { ...cf, originVerify: { ...cf.originVerify, originAuthorizer: false } as typeof cf.originVerify } },
    };
    const stack = new Stack(new App(), 'Guard', { env: { region: 'eu-west-1' } });
    expect(() => new HttpGateway(stack, 'Gw', { plan: broken })).toThrow(
      /behind CloudFront has no authorizer to check the origin-verify header/,
    );
  });
});
