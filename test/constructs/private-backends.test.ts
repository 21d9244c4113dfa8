// Issue 14 item 2, render side: examples/private.yaml synthesizes one VPC link per target set, private integrations in both definitions, the proxy in the VPC, and counts as planned.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { HttpGateway } from '../../lib/constructs/http-gateway';
import { RestGateway } from '../../lib/constructs/rest-gateway';
import { exportOpenApi } from '../../lib/openapi/export';
import { planSpec } from '../../lib/plan/plan';
import { loadConfig, validateConfig } from '../../lib/config/load';
import { synthSpec, type Synthesized } from '../support/synth';
import { asHttp, asRest } from '../support/flavors';

const haveCfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;
const NLB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/orders/50dc6c495c0c9188';
const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/catalog/8a2d6bc24d8a067c/f2f7dc8efc522ab2';
const CLOUD_MAP = 'arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-e4anhexample0004';

/** The body's path operations' integrations (REST: inline on each operation). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function restIntegrations(s: Synthesized): Record<string, any>[] {
  const [api] = Object.values(s.template.findResources('AWS::ApiGateway::RestApi'));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return Object.values(api!.Properties.Body.paths as Record<string, Record<string, any>>).flatMap((item) =>
    Object.values(item)
      .map((op) => op['x-amazon-apigateway-integration'])
      .filter(Boolean),
  );
}

describe('GIVEN examples/private.yaml (an NLB service on REST, an ALB listener and a Cloud Map service on HTTP)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthSpec(loadConfig(join(__dirname, '../../examples/private.yaml')));
  }, 240_000);

  it('WHEN synthesized THEN one REST link targets the NLB and one HTTP link sits in the shared subnets', () => {
    s.template.resourceCountIs('AWS::ApiGateway::VpcLink', 1);
    s.template.hasResourceProperties('AWS::ApiGateway::VpcLink', { Name: 'Test-rest-orders', TargetArns: [NLB] });
    s.template.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
    s.template.hasResourceProperties('AWS::ApiGatewayV2::VpcLink', {
      Name: 'Test-http-catalog',
      SubnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
      SecurityGroupIds: ['sg-0123456789abcdef0'],
    });
    expect(Object.keys(s.stack.gatehouse.vpcLinks).sort()).toEqual(['http-catalog', 'rest-orders']);
  });

  it('WHEN the REST definition is read THEN both orders routes go through the one link with the url as URI', () => {
    const [link] = Object.keys(s.template.findResources('AWS::ApiGateway::VpcLink'));
    const privateOnes = restIntegrations(s).filter((i) => i.connectionType === 'VPC_LINK');
    // /orders and /returns, exact and greedy, one operation each (GET, POST on /orders; GET on /returns).
    expect(privateOnes).toHaveLength(6);
    for (const i of privateOnes)
      expect(i).toMatchObject({
        type: 'http_proxy',
        connectionId: { Ref: link },
        uri: expect.stringMatching(/^http:\/\/orders\.internal:8080\//),
      });
    expect(privateOnes.map((i) => i.uri)).toContain('http://orders.internal:8080/{proxy}');
  });

  it('WHEN the HTTP body is read THEN listener and Cloud Map integrations name the link, path mapping and no TLS for http://', () => {
    const [link] = Object.keys(s.template.findResources('AWS::ApiGatewayV2::VpcLink'));
    const [api] = Object.values(s.template.findResources('AWS::ApiGatewayV2::Api'));
    const integrations = Object.values(api!.Properties.Body.components['x-amazon-apigateway-integrations'] as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    const catalog = integrations.filter((i) => i.uri === LISTENER);
    const inventory = integrations.filter((i) => i.uri === CLOUD_MAP);
    expect(catalog.map((i) => i.requestParameters['overwrite:path']).sort()).toEqual(['/catalog', '/catalog/$request.path.proxy']);
    expect(inventory.map((i) => i.requestParameters['overwrite:path']).sort()).toEqual(['/v1', '/v1/$request.path.proxy']);
    for (const i of [...catalog, ...inventory]) {
      expect(i).toMatchObject({
        type: 'http_proxy',
        httpMethod: 'ANY',
        connectionType: 'VPC_LINK',
        connectionId: { Ref: link },
        payloadFormatVersion: '1.0',
      });
      expect(i.tlsConfig).toBeUndefined();
    }
  });

  it("WHEN the proxied private service is rendered THEN its proxy Lambda runs in the service's subnets", () => {
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'], SecurityGroupIds: ['sg-0123456789abcdef0'] },
    });
  });

  it('WHEN counted THEN the template holds exactly the resources the plan estimated', () => {
    expect(Object.keys(s.templates['Test.template.json']!.Resources!)).toHaveLength(s.stack.gatehouse.plan.stackResources);
  });

  it.skipIf(!haveCfnLint)('WHEN linted THEN cfn-lint finds no errors', { timeout: 240_000 }, () => {
    const templates = readdirSync(s.outdir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => join(s.outdir, f));
    const run = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...templates], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(
      run.stdout.split('\n').filter((line) => /:E\d{4}:/.test(line)),
      run.stdout + run.stderr,
    ).toEqual([]);
  });

  it('WHEN exported with the AWS extensions THEN created links are placeholders', () => {
    const docs = exportOpenApi(planSpec(loadConfig(join(__dirname, '../../examples/private.yaml'))), { awsExtensions: true });
    expect(JSON.stringify(docs.orders)).toContain('"connectionId":"${vpcLink:rest-orders.Id}"');
    expect(JSON.stringify(docs.shop)).toContain('"connectionId":"${vpcLink:http-catalog.Id}"');
  });
});

describe('GIVEN a private https:// service and a reused link', () => {
  it('WHEN rendered on an HTTP API THEN the integration verifies the host and names the reused link; nothing is created', () => {
    const s = synthSpec(
      {
        services: { catalog: { url: 'https://catalog.internal/api', private: { listener: LISTENER, vpcLink: 'abc123' } } },
        gateways: { shop: { flavor: 'http', routes: [{ service: 'catalog', paths: ['/catalog'], methods: ['GET'] }] } },
      },
      { nag: false },
    );
    s.template.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 0);
    const body = s.stack.resolve(s.stack.gatehouse.httpGateways.shop!.definition) as { components: Record<string, Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const exact = Object.values(body.components['x-amazon-apigateway-integrations']!).find(
      (i) => i.requestParameters['overwrite:path'] === '/api/catalog',
    );
    expect(exact).toMatchObject({ connectionId: 'abc123', tlsConfig: { serverNameToVerify: 'catalog.internal' } });
  });
});

describe('GIVEN a gateway whose definition is too large to inline', () => {
  const spec = validateConfig({
    services: {
      orders: { url: 'http://orders.internal', private: { nlb: NLB } },
      catalog: { url: 'http://c.internal', private: { listener: LISTENER, subnets: ['subnet-0a'] } },
    },
    gateways: {
      rest: { routes: [{ service: 'orders', paths: ['/o'] }] },
      shop: { flavor: 'http', routes: [{ service: 'catalog', paths: ['/c'] }] },
    },
  });
  const plan = planSpec(spec);

  it('WHEN its routes use a link created in the stack THEN REST and HTTP refuse S3, naming the fix', () => {
    const stack = new Stack(new App(), 'S');
    const rest = asRest(plan.gateways.find((g) => g.name === 'rest'));
    const http = asHttp(plan.gateways.find((g) => g.name === 'shop'));
    expect(
      () => new RestGateway(stack, 'Rest', { plan: rest, vpcLinkIds: { 'rest-orders': 'id1' }, inlineDefinitionMaxBytes: 10 }),
    ).toThrow(
      /gateway "rest": its definition \(\d+ kB\) is too large to inline and goes to S3, where CloudFormation cannot fill in the id of the VPC link rest-orders this stack creates: reuse an existing link \(services\.<name>\.private\.vpcLink\)/,
    );
    expect(() => new HttpGateway(stack, 'Http', { plan: http, vpcLinkIds: { 'http-catalog': 'id2' }, inlineBodyMaxBytes: 10 })).toThrow(
      /gateway "shop": .* VPC link http-catalog this stack creates/,
    );
  });

  it('WHEN a standalone gateway is given no id for a created link THEN it is a Gatehouse bug report, not a broken template', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new RestGateway(stack, 'Rest', { plan: asRest(plan.gateways.find((g) => g.name === 'rest')) })).toThrow(
      /goes through VPC link "rest-orders", which was not created/,
    );
  });
});

describe('GIVEN two REST and two HTTP gateways reaching the same NLB and the same subnets', () => {
  it('WHEN synthesized THEN each flavor has one link, referenced by every gateway of that flavor', () => {
    const nlbListener = LISTENER.replace('/app/catalog/8a2d6bc24d8a067c', '/net/orders/50dc6c495c0c9188');
    const s = synthSpec(
      {
        services: {
          orders: {
            url: 'http://orders.internal',
            private: { nlb: NLB, listener: nlbListener, subnets: ['subnet-0a'], securityGroups: ['sg-0b'] },
          },
          inventory: {
            url: 'http://inventory.internal',
            private: { cloudMap: CLOUD_MAP, subnets: ['subnet-0a'], securityGroups: ['sg-0b'] },
          },
        },
        gateways: {
          public: { routes: [{ service: 'orders', paths: ['/orders'], methods: ['GET'] }] },
          partner: { routes: [{ service: 'orders', paths: ['/v1/orders'], methods: ['GET'] }] },
          web: { flavor: 'http', routes: [{ service: 'orders', paths: ['/orders'], methods: ['GET'] }] },
          mobile: { flavor: 'http', routes: [{ service: 'inventory', paths: ['/stock'], methods: ['GET'] }] },
        },
      },
      { nag: false },
    );
    s.template.resourceCountIs('AWS::ApiGateway::VpcLink', 1);
    s.template.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
    const [v1] = Object.keys(s.template.findResources('AWS::ApiGateway::VpcLink'));
    const [v2] = Object.keys(s.template.findResources('AWS::ApiGatewayV2::VpcLink'));
    const bodies = (type: string) => Object.values(s.template.findResources(type)).map((r) => JSON.stringify(r.Properties.Body));
    expect(bodies('AWS::ApiGateway::RestApi').map((b) => b.includes(`"connectionId":{"Ref":"${v1}"}`))).toEqual([true, true]);
    expect(bodies('AWS::ApiGatewayV2::Api').map((b) => b.includes(`"connectionId":{"Ref":"${v2}"}`))).toEqual([true, true]);
    expect(Object.keys(s.templates['Test.template.json']!.Resources!)).toHaveLength(s.stack.gatehouse.plan.stackResources);
  });
});
