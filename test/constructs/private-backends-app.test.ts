// Issue 14 item 2 as a CDK user writes it: their own VPC, NLB, ALB listener and Cloud Map service passed into a typed spec; it synthesizes, explains, passes cdk-nag and lints clean.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { beforeAll, describe, expect, it } from 'vitest';
import { addGatehouseChecks } from '../../lib/checks';
import { Gatehouse } from '../../lib/constructs/gatehouse';
import { explainPlan } from '../../lib/plan/explain';
import type { GatehouseSpec } from '../../lib/config/types';

const haveCfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;

/** The user's own network and services, as they would write them. */
function userResources(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const sg = new ec2.SecurityGroup(stack, 'LinkSg', { vpc, description: 'API Gateway VPC link to the services', allowAllOutbound: false });
  sg.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(80), 'to the services in the VPC');
  const nlb = new elbv2.NetworkLoadBalancer(stack, 'OrdersNlb', { vpc, internetFacing: false });
  nlb.addListener('Http', {
    port: 80,
    defaultTargetGroups: [new elbv2.NetworkTargetGroup(stack, 'OrdersTargets', { vpc, port: 8080, targetType: elbv2.TargetType.IP })],
  });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'CatalogAlb', { vpc, internetFacing: false });
  const albListener = alb.addListener('Http', {
    port: 80,
    open: false,
    defaultAction: elbv2.ListenerAction.fixedResponse(200, { contentType: 'application/json', messageBody: '[]' }),
  });
  const namespace = new servicediscovery.PrivateDnsNamespace(stack, 'Namespace', { vpc, name: 'shop.internal' });
  const inventory = namespace.createService('Inventory', { dnsRecordType: servicediscovery.DnsRecordType.A });
  return { vpc, sg, nlb, albListener, inventory };
}

function userSpec(r: ReturnType<typeof userResources>): GatehouseSpec {
  const network = { subnets: r.vpc.isolatedSubnets, securityGroups: [r.sg] };
  return {
    services: {
      orders: { url: 'http://orders.shop.internal:8080', private: { nlb: r.nlb } },
      pricing: { url: 'http://pricing.shop.internal', timeoutMs: 5000, retries: { attempts: 1 }, private: { nlb: r.nlb, ...network } },
      catalog: { url: 'http://catalog.shop.internal', private: { listener: r.albListener, ...network } },
      inventory: { url: 'http://inventory.shop.internal/v1', private: { cloudMap: r.inventory, ...network } },
    },
    gateways: {
      orders: {
        routes: [
          { service: 'orders', paths: ['/orders', '/returns'], methods: ['GET', 'POST'] },
          { service: 'pricing', paths: ['/prices'], methods: ['GET'] },
        ],
      },
      shop: {
        flavor: 'http',
        routes: [
          { service: 'catalog', paths: ['/catalog'], methods: ['GET'] },
          { service: 'inventory', paths: ['/inventory'], methods: ['GET'], stripPath: true },
        ],
      },
    },
  };
}

describe('GIVEN a CDK app passing its VPC, NLB, ALB listener and Cloud Map service into a typed spec', () => {
  let outdir: string;
  let stack: Stack;
  let gatehouse: Gatehouse;
  let template: Template;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'gatehouse-private-app-'));
    const app = new App({ outdir });
    stack = new Stack(app, 'ShopStack', { env: { region: 'eu-west-1' } });
    gatehouse = new Gatehouse(stack, 'Gatehouse', { spec: userSpec(userResources(stack)) });
    addGatehouseChecks(gatehouse);
    app.synth();
    template = Template.fromStack(stack);
  }, 240_000);

  it("WHEN synthesized THEN the REST link targets the user's NLB and the HTTP link sits in their subnets and security group", () => {
    template.resourceCountIs('AWS::ApiGateway::VpcLink', 1);
    template.hasResourceProperties('AWS::ApiGateway::VpcLink', {
      TargetArns: [{ Ref: stack.getLogicalId(stack.node.findChild('OrdersNlb').node.defaultChild as elbv2.CfnLoadBalancer) }],
    });
    template.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
    const [v2] = Object.values(template.findResources('AWS::ApiGatewayV2::VpcLink'));
    expect(JSON.stringify(v2!.Properties.SubnetIds)).toMatch(/VpcappSubnet1Subnet.*VpcappSubnet2Subnet/);
    expect(JSON.stringify(v2!.Properties.SecurityGroupIds)).toMatch(/LinkSg[0-9A-F]+.*GroupId/);
  });

  it('WHEN the HTTP body is read THEN the listener and Cloud Map integrations take the construct ARNs at deploy', () => {
    const [api] = Object.values(template.findResources('AWS::ApiGatewayV2::Api'));
    const integrations = Object.values(
      api!.Properties.Body.components['x-amazon-apigateway-integrations'] as Record<string, { uri: unknown; connectionType: string }>,
    );
    const uris = integrations.map((i) => JSON.stringify(i.uri));
    expect(uris.filter((u) => /CatalogAlbHttp/.test(u))).toHaveLength(2);
    expect(uris.filter((u) => /NamespaceInventory.*Arn/.test(u))).toHaveLength(2);
    expect(integrations.every((i) => i.connectionType === 'VPC_LINK')).toBe(true);
  });

  it("WHEN the proxied private service is rendered THEN its proxy Lambda runs in the user's subnets", () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.VpcConfig);
    expect(fns).toHaveLength(1);
    expect(JSON.stringify(fns[0]!.Properties.VpcConfig.SubnetIds)).toMatch(/VpcappSubnet1Subnet.*VpcappSubnet2Subnet/);
    expect(JSON.stringify(fns[0]!.Properties.VpcConfig.SecurityGroupIds)).toMatch(/LinkSg[0-9A-F]+.*GroupId/);
  });

  it('WHEN explained THEN the links show with the constructs the values come from', () => {
    const text = explainPlan(gatehouse.plan);
    expect(text).toMatch(
      /VPC link rest-orders: REST \(AWS::ApiGateway::VpcLink\), created, targets \$\{Token\[[^\]]+\]\} \(ShopStack\/OrdersNlb\/Resource\.Ref\); services orders; routes orders \/orders, orders \/returns/,
    );
    expect(text).toMatch(
      /VPC link http-catalog: HTTP \(AWS::ApiGatewayV2::VpcLink\), created in subnets .*\(ShopStack\/Vpc\/appSubnet1\/Subnet\.Ref\).*; services catalog, inventory; routes shop \/catalog, shop \/inventory/,
    );
    expect(gatehouse.plan.warnings.filter((w) => w.code === 'DEPLOY_TIME_VALUES').map((w) => w.where)).toContain(
      'services.orders.private.nlb',
    );
  });

  it('WHEN counted THEN the Gatehouse part of the template is what the plan estimated', () => {
    const gatehouseResources = Object.entries(template.toJSON().Resources as Record<string, unknown>).filter(
      ([id]) => id.startsWith('Gatehouse') || id === 'CDKMetadata',
    );
    // The plan counts CDKMetadata as stack overhead; this app has version reporting off, so one less.
    expect(gatehouseResources.length).toBe(gatehouse.plan.stackResources - 1);
  });

  it.skipIf(!haveCfnLint)('WHEN its templates are linted THEN cfn-lint finds no errors', { timeout: 240_000 }, () => {
    const templates = readdirSync(outdir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => join(outdir, f));
    const run = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...templates], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(
      run.stdout.split('\n').filter((line) => /:E\d{4}:/.test(line)),
      run.stdout + run.stderr,
    ).toEqual([]);
  });
});

describe('GIVEN a typed spec that passes the wrong construct', () => {
  it('WHEN an ApplicationLoadBalancer is given as nlb THEN the error is the one a literal ALB ARN gets', () => {
    const stack = new Stack(new App(), 'S');
    const r = userResources(stack);
    const alb = stack.node.findChild('CatalogAlb') as elbv2.ApplicationLoadBalancer;
    const spec = userSpec(r) as { services: Record<string, { private?: Record<string, unknown> }> };
    spec.services.orders!.private = { nlb: alb };
    expect(() => new Gatehouse(stack, 'G', { spec: spec as GatehouseSpec })).toThrow(
      /services\.orders\.private\.nlb: this is an Application Load Balancer: VPC links reach ALBs only from HTTP APIs, through a listener/,
    );
  });
});
