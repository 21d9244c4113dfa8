// Issue 14 item 2: `services.<name>.private` as the loader checks it: ARN shapes and kinds, one target, link reuse, region, url vs targets.
import { describe, expect, it } from 'vitest';
import { parseConfig, validateConfig } from '../../lib/config/load';
import { catchSpecError, expectOnlyIssue } from './fixtures';

const NLB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/orders/50dc6c495c0c9188';
const ALB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/orders/50dc6c495c0c9188';
const ALB_LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/catalog/8a2d6bc24d8a067c/f2f7dc8efc522ab2';
const NLB_LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/orders/50dc6c495c0c9188/f2f7dc8efc522ab2';
const CLOUD_MAP = 'arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-e4anhexample0004';

const spec = (priv: Record<string, unknown>, service: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  services: { orders: { url: 'http://orders.internal:8080', private: priv, ...service } },
  gateways: { public: { flavor: 'http', routes: [{ service: 'orders', paths: ['/orders'] }] } },
  ...extra,
});
const at = 'services.orders.private';

describe('GIVEN services.<name>.private', () => {
  it('WHEN it names a valid NLB, listener or Cloud Map service THEN the spec loads and the http:// url needs no allowPlaintext', () => {
    for (const priv of [{ nlb: NLB }, { listener: ALB_LISTENER }, { cloudMap: CLOUD_MAP }, { nlb: NLB, listener: NLB_LISTENER }]) {
      expect(validateConfig(spec(priv)).services.orders!.private).toMatchObject(priv);
    }
  });

  it('WHEN it names no target THEN the error lists the three kinds and which flavor takes each', () => {
    expectOnlyIssue(
      () => validateConfig(spec({ subnets: ['subnet-0a'] })),
      at,
      /name the service behind the VPC link: nlb \(REST and HTTP APIs; HTTP APIs also need its listener\), listener \(HTTP APIs: an ALB or NLB listener\) or cloudMap/,
    );
  });

  it('WHEN cloudMap comes with a load balancer THEN it is one target too many', () => {
    expectOnlyIssue(
      () => validateConfig(spec({ cloudMap: CLOUD_MAP, listener: ALB_LISTENER })),
      `${at}.cloudMap`,
      /give either cloudMap or listener, not both/,
    );
  });

  it("WHEN nlb comes with an ALB listener THEN the listener must be the NLB's", () => {
    expectOnlyIssue(
      () => validateConfig(spec({ nlb: NLB, listener: ALB_LISTENER })),
      `${at}.listener`,
      /with nlb, listener is one of that NLB's listeners \(listener\/net\/...\)/,
    );
  });

  it('WHEN nlb is an ALB THEN the error says ALBs are reached through a listener on HTTP APIs', () => {
    expectOnlyIssue(
      () => validateConfig(spec({ nlb: ALB })),
      `${at}.nlb`,
      /this is an Application Load Balancer: VPC links reach ALBs only from HTTP APIs, through a listener: give private.listener/,
    );
  });

  it('WHEN nlb is an ARN of another service THEN the error names the service it is of', () => {
    expectOnlyIssue(
      () => validateConfig(spec({ nlb: CLOUD_MAP })),
      `${at}.nlb`,
      /nlb is a Network Load Balancer's ARN \(service elasticloadbalancing\).*this ARN is of service servicediscovery/,
    );
  });

  it('WHEN nlb is not an ARN, or a load balancer ARN of no known kind THEN the error shows the shape', () => {
    expectOnlyIssue(
      () => validateConfig(spec({ nlb: 'orders-nlb' })),
      `${at}.nlb`,
      /nlb is a Network Load Balancer's ARN \(service elasticloadbalancing\), e\.g\. arn:aws:elasticloadbalancing:/,
    );
    expectOnlyIssue(
      () => validateConfig(spec({ nlb: NLB.replace('/net/', '/gwy/') })),
      `${at}.nlb`,
      /ending in loadbalancer\/net\/<name>\/<id>/,
    );
  });

  it('WHEN listener is a load balancer ARN or another service THEN the error shows a listener ARN', () => {
    expectOnlyIssue(
      () => validateConfig(spec({ listener: NLB })),
      `${at}.listener`,
      /listener is an ALB or NLB listener's ARN.*\(this is the load balancer's ARN, not one of its listeners'\)/,
    );
    expectOnlyIssue(
      () => validateConfig(spec({ listener: CLOUD_MAP })),
      `${at}.listener`,
      /listener is an ALB or NLB listener's ARN, e\.g\./,
    );
  });

  it('WHEN cloudMap is a namespace or another service THEN the error shows a Cloud Map service ARN', () => {
    expectOnlyIssue(
      () => validateConfig(spec({ cloudMap: CLOUD_MAP.replace('service/srv-', 'namespace/ns-') })),
      `${at}.cloudMap`,
      /cloudMap is a Cloud Map service's ARN \(service servicediscovery\)/,
    );
    expectOnlyIssue(
      () => validateConfig(spec({ cloudMap: ALB_LISTENER })),
      `${at}.cloudMap`,
      /this ARN is of service elasticloadbalancing/,
    );
  });

  it('WHEN vpcLink, subnets or security groups are malformed THEN each names its shape', () => {
    expectOnlyIssue(
      () => validateConfig(spec({ nlb: NLB, vpcLink: 'VPC LINK' })),
      `${at}.vpcLink`,
      /a VPC link id is lower-case letters and digits/,
    );
    expectOnlyIssue(
      () => validateConfig(spec({ listener: ALB_LISTENER, subnets: ['net-1'] })),
      `${at}.subnets[0]`,
      /a subnet id looks like subnet-/,
    );
    expectOnlyIssue(
      () => validateConfig(spec({ listener: ALB_LISTENER, subnets: ['subnet-0a'], securityGroups: ['default'] })),
      `${at}.securityGroups[0]`,
      /a security group id looks like sg-/,
    );
    expectOnlyIssue(() => validateConfig(spec({ listener: ALB_LISTENER, subnets: [] })), `${at}.subnets`, /list at least one subnet/);
    expectOnlyIssue(
      () => validateConfig(spec({ listener: ALB_LISTENER, subnets: ['subnet-0a'], securityGroups: [] })),
      `${at}.securityGroups`,
      /list at least one security group/,
    );
  });

  it('WHEN a field is an object that is no construct THEN the error says what it takes', () => {
    expectOnlyIssue(
      () => validateConfig(spec({ nlb: { name: 'orders' } })),
      `${at}.nlb`,
      /nlb is a Network Load Balancer ARN, or an elbv2.INetworkLoadBalancer/,
    );
  });

  it('WHEN vpcLink comes with subnets or security groups THEN they belong to a link created here', () => {
    const err = catchSpecError(() =>
      validateConfig(spec({ listener: ALB_LISTENER, vpcLink: 'abc123', subnets: ['subnet-0a'], securityGroups: ['sg-0b'] })),
    );
    expect(err.issues.map((i) => i.where)).toEqual([`${at}.subnets`, `${at}.securityGroups`]);
    expect(err.issues[0]!.message).toMatch(/with vpcLink the existing link keeps its own: remove subnets, or vpcLink/);
  });

  it('WHEN the service lists targets THEN a private service is one upstream', () => {
    expectOnlyIssue(
      () =>
        validateConfig({ ...spec({ nlb: NLB }), services: { orders: { targets: [{ url: 'http://a.internal' }], private: { nlb: NLB } } } }),
      'services.orders.targets',
      /a private service is one upstream behind its VPC link: give url/,
    );
  });

  it('WHEN an ARN is in another region than account.region THEN it is an error; without account.region nothing is compared', () => {
    expectOnlyIssue(
      () => validateConfig(spec({ nlb: NLB }, {}, { account: { region: 'us-east-1' } })),
      `${at}.nlb`,
      /this ARN is in eu-west-1, but the stack deploys to us-east-1 \(account.region\)/,
    );
    expectOnlyIssue(
      () => validateConfig(spec({ cloudMap: CLOUD_MAP }, {}, { account: { region: 'us-east-1' } })),
      `${at}.cloudMap`,
      /in eu-west-1/,
    );
    expect(() => validateConfig(spec({ nlb: NLB }, {}, { account: { region: 'eu-west-1' } }))).not.toThrow();
  });

  it('WHEN it also says allowPlaintext THEN there is nothing to allow', () => {
    expectOnlyIssue(
      () => validateConfig(spec({ nlb: NLB }, { allowPlaintext: true })),
      'services.orders.allowPlaintext',
      /the service is private, so its http:\/\/ traffic stays inside its VPC/,
    );
  });

  it('WHEN a YAML file has a bad ARN THEN the error points at its line', () => {
    const text = [
      'services:',
      '  orders:',
      '    url: http://orders.internal',
      '    private:',
      `      nlb: ${ALB}`,
      'gateways:',
      '  public:',
      '    routes: [{ service: orders, paths: [/o] }]',
    ].join('\n');
    const err = catchSpecError(() => parseConfig(text, 'private.yaml'));
    expect(err.issues[0]).toMatchObject({ where: `${at}.nlb`, file: 'private.yaml', line: 5 });
  });
});
