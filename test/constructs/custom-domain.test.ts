// CustomDomain: a REST and an HTTP gateway sharing one regional custom domain through base paths.
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseSpec, resourcesOfType, synthSpec, type Synthesized } from '../support/synth';

const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';

describe('CustomDomain shared by a REST and an HTTP gateway', () => {
  let s: Synthesized;
  beforeAll(() => {
    const spec = { ...baseSpec({ domain: { name: 'api.example.com', certificateArn } }), account: { region: 'eu-west-1' } } as unknown as {
      gateways: Record<string, unknown>;
    };
    spec.gateways.partner = {
      flavor: 'http',
      routes: [{ service: 'users', paths: ['/p'] }],
      domain: { name: 'api.example.com', certificateArn, basePath: 'partners/v1', executeApiEndpoint: false },
    };
    s = synthSpec(spec);
  });

  it('creates one regional TLS 1.2 domain name with the certificate', () => {
    s.template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 1);
    s.template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.example.com',
      DomainNameConfigurations: [{ CertificateArn: certificateArn, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
    });
    expect(resourcesOfType(s, 'AWS::ApiGateway::DomainName')).toHaveLength(0);
  });

  it("maps the REST stage at the root and the HTTP API's $default stage at its base path, each after its stage exists", () => {
    s.template.hasResource('AWS::ApiGatewayV2::ApiMapping', {
      Properties: {
        ApiId: { Ref: Match.stringLikeRegexp('^GatehousePublic') },
        Stage: { Ref: Match.stringLikeRegexp('^GatehousePublicStage') },
        ApiMappingKey: Match.absent(),
      },
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('^GatehousePublicStage')]),
    });
    s.template.hasResource('AWS::ApiGatewayV2::ApiMapping', {
      Properties: { ApiId: { Ref: Match.stringLikeRegexp('^GatehousePartner') }, Stage: '$default', ApiMappingKey: 'partners/v1' },
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('^GatehousePartnerStage')]),
    });
  });

  it("outputs each gateway's URL on the domain and the regional name to point DNS at", () => {
    const outputs = Object.values(s.template.toJSON().Outputs as Record<string, { Value: unknown; Description: string }>);
    expect(outputs).toContainEqual(
      expect.objectContaining({ Value: 'https://api.example.com/', Description: 'URL of gateway "public" on its custom domain' }),
    );
    expect(outputs).toContainEqual(
      expect.objectContaining({
        Value: 'https://api.example.com/partners/v1/',
        Description: 'URL of gateway "partner" on its custom domain',
      }),
    );
    const target = outputs.find((o) => o.Description === 'Point api.example.com here (CNAME or alias)');
    expect(target?.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^GatehouseDomainApiExampleCom/), 'RegionalDomainName'] });
  });

  it('turns the execute-api URL off only where the gateway asks (domain.executeApiEndpoint: false)', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: 'Test-partner', DisableExecuteApiEndpoint: true });
    s.template.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'Test-public', DisableExecuteApiEndpoint: Match.absent() });
  });

  it("matches the plan's resource estimate", () => {
    expect(Object.keys(s.templates['Test.template.json']!.Resources!)).toHaveLength(s.stack.gatehouse.plan.stackResources);
  });
});
