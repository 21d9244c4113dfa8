// Issue 14 item 2, planner side: one VPC link per target set per stack shared by routes and gateways, flavor rules, the proxy's derived VPC, explain and the resource estimate.
import { describe, expect, it } from 'vitest';
import { explainPlan } from '../../lib/plan/explain';
import { planSpec } from '../../lib/plan/plan';
import { parseConfig, validateConfig } from '../../lib/config/load';
import { catchSpecError, expectOnlyIssue } from '../config/fixtures';
import type { HttpProxyIntegration, Plan } from '../../lib/plan/types';

const NLB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/orders/50dc6c495c0c9188';
const NLB2 = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/billing/70dc6c495c0c9188';
const ALB_LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/catalog/8a2d6bc24d8a067c/f2f7dc8efc522ab2';
const CLOUD_MAP = 'arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-e4anhexample0004';
const NET = { subnets: ['subnet-0a', 'subnet-0b'], securityGroups: ['sg-0c'] };

const plan = (input: unknown): Plan => planSpec(validateConfig(input));
const integrationOf = (p: Plan, gateway: string, path: string) =>
  p.gateways.find((g) => g.name === gateway)!.routes.find((r) => r.path === path)!.integration as HttpProxyIntegration;

describe('GIVEN private services on REST gateways', () => {
  const twoGateways = (orders: Record<string, unknown> = { nlb: NLB }) => ({
    services: {
      orders: { url: 'http://orders.internal:8080/base', private: orders },
      returns: { url: 'http://returns.internal', private: { nlb: NLB } },
      billing: { url: 'https://billing.internal', private: { nlb: NLB2 } },
    },
    gateways: {
      public: {
        routes: [
          { service: 'orders', paths: ['/orders', '/carts'] },
          { service: 'billing', paths: ['/bills'] },
        ],
      },
      partner: { routes: [{ service: 'returns', paths: ['/returns'], stripPath: true }] },
    },
  });

  it('WHEN two routes and two gateways reach the same NLB THEN they share one created link, and another NLB gets its own', () => {
    const p = plan(twoGateways());
    expect(p.vpcLinks).toEqual([
      {
        key: 'rest-billing',
        version: 'v1',
        targetArns: [NLB2],
        subnetIds: [],
        securityGroupIds: [],
        services: ['billing'],
        routes: ['public /bills'],
      },
      {
        key: 'rest-orders',
        version: 'v1',
        targetArns: [NLB],
        subnetIds: [],
        securityGroupIds: [],
        services: ['orders', 'returns'],
        routes: ['public /orders', 'public /carts', 'partner /returns'],
      },
    ]);
    expect(integrationOf(p, 'public', '/orders').vpcLink).toEqual({ link: 'rest-orders', target: 'nlb', targetArn: NLB });
    expect(integrationOf(p, 'partner', '/returns').vpcLink).toEqual({ link: 'rest-orders', target: 'nlb', targetArn: NLB });
    expect(integrationOf(p, 'public', '/orders')).toMatchObject({
      uri: 'http://orders.internal:8080/base/orders',
      greedyUri: 'http://orders.internal:8080/base/orders/{proxy}',
    });
  });

  it('WHEN a service moves to another NLB THEN the REST deployment fingerprint changes (its link is replaced)', () => {
    const fingerprint = (nlb: string) => plan(twoGateways({ nlb })).gateways.find((g) => g.name === 'public')!.deploymentFingerprint;
    expect(fingerprint(NLB)).not.toBe(fingerprint(NLB.replace('50dc6c495c0c9188', '60dc6c495c0c9188')));
  });

  it('WHEN links are created THEN the stack estimate counts exactly one resource per link', () => {
    const withLinks = plan(twoGateways());
    const internet = plan({
      ...twoGateways(),
      services: {
        orders: { url: 'https://o.example.com' },
        returns: { url: 'https://r.example.com' },
        billing: { url: 'https://b.example.com' },
      },
    });
    expect(withLinks.stackResources - internet.stackResources).toBe(2);
  });

  it('WHEN a service reuses a link THEN nothing is created, the route names the link id, and the estimate adds nothing', () => {
    const p = plan(twoGateways({ nlb: NLB, vpcLink: 'gim7c3' }));
    const reused = p.vpcLinks.find((l) => l.existingId === 'gim7c3')!;
    expect(reused).toMatchObject({ key: 'rest-orders', version: 'v1', targetArns: [], services: ['orders'] });
    expect(integrationOf(p, 'public', '/orders').vpcLink).toEqual({
      link: 'rest-orders',
      connectionId: 'gim7c3',
      target: 'nlb',
      targetArn: NLB,
    });
    // returns is its own (created) link now; so three links, two created.
    expect(p.vpcLinks.map((l) => l.key)).toEqual(['rest-billing', 'rest-orders', 'rest-returns']);
    expect(p.stackResources - plan(twoGateways()).stackResources).toBe(0);
  });

  it('WHEN explained THEN each link says created or reused, its target and the routes that use it', () => {
    const text = explainPlan(plan(twoGateways()));
    expect(text).toContain(
      `VPC link rest-orders: REST (AWS::ApiGateway::VpcLink), created, targets ${NLB}; services orders, returns; routes public /orders, public /carts, partner /returns`,
    );
    expect(text).toMatch(
      /\/orders\/\*\s+ANY\s+orders\s+http-proxy → http:\/\/orders\.internal:8080\/base\/orders via VPC link rest-orders/,
    );
    expect(explainPlan(plan(twoGateways({ nlb: NLB, vpcLink: 'gim7c3' })))).toContain(
      'VPC link rest-orders: REST (AWS::ApiGateway::VpcLink), reuses existing link gim7c3; services orders; routes public /orders, public /carts',
    );
  });

  it('WHEN a REST route reaches a listener or Cloud Map service THEN the error names what REST supports', () => {
    for (const priv of [
      { listener: ALB_LISTENER, ...NET },
      { cloudMap: CLOUD_MAP, ...NET },
    ]) {
      expectOnlyIssue(
        () =>
          plan({
            services: { orders: { url: 'http://o.internal', private: priv } },
            gateways: { public: { routes: [{ service: 'orders', paths: ['/o'] }] } },
          }),
        'gateways.public.routes[0].service',
        /only HTTP APIs support: REST APIs reach private services through a Network Load Balancer \(private\.nlb\); use flavor: http, or put the service behind an NLB/,
      );
    }
  });

  it('WHEN the error comes from a YAML file THEN it carries file:line', () => {
    const text = [
      'services:',
      '  orders:',
      '    url: http://o.internal',
      '    private:',
      `      cloudMap: ${CLOUD_MAP}`,
      'gateways:',
      '  public:',
      '    routes:',
      '      - service: orders',
      '        paths: [/o]',
    ].join('\n');
    const err = catchSpecError(() => planSpec(parseConfig(text, 'private.yaml')));
    expect(err.issues[0]).toMatchObject({ where: 'gateways.public.routes[0].service', file: 'private.yaml', line: 9 });
  });
});

describe('GIVEN private services on HTTP gateways', () => {
  const http = (services: Record<string, unknown>, routes: unknown[]) => ({ services, gateways: { shop: { flavor: 'http', routes } } });

  it('WHEN a listener and a Cloud Map service sit in the same subnets THEN they share one v2 link; other subnets get another', () => {
    const p = plan(
      http(
        {
          catalog: { url: 'https://catalog.internal', private: { listener: ALB_LISTENER, ...NET } },
          inventory: {
            url: 'http://inventory.internal:9000/v1',
            private: { cloudMap: CLOUD_MAP, subnets: ['subnet-0b', 'subnet-0a'], securityGroups: ['sg-0c'] },
          },
          search: { url: 'http://search.internal', private: { cloudMap: CLOUD_MAP, subnets: ['subnet-0e'] } },
        },
        [
          { service: 'catalog', paths: ['/catalog'] },
          { service: 'inventory', paths: ['/inventory'], stripPath: true },
          { service: 'search', paths: ['/search'] },
        ],
      ),
    );
    expect(p.vpcLinks.map((l) => [l.key, l.version, l.subnetIds, l.securityGroupIds, l.services])).toEqual([
      ['http-catalog', 'v2', ['subnet-0a', 'subnet-0b'], ['sg-0c'], ['catalog', 'inventory']],
      ['http-search', 'v2', ['subnet-0e'], [], ['search']],
    ]);
    expect(integrationOf(p, 'shop', '/catalog').vpcLink).toEqual({
      link: 'http-catalog',
      target: 'listener',
      targetArn: ALB_LISTENER,
      serverName: 'catalog.internal',
    });
    expect(integrationOf(p, 'shop', '/inventory').vpcLink).toEqual({ link: 'http-catalog', target: 'cloudMap', targetArn: CLOUD_MAP });
  });

  it('WHEN an HTTP route has only the NLB THEN the error asks for its listener or flavor: rest', () => {
    expectOnlyIssue(
      () => plan(http({ orders: { url: 'http://o.internal', private: { nlb: NLB, ...NET } } }, [{ service: 'orders', paths: ['/o'] }])),
      'gateways.shop.routes[0].service',
      /names only its NLB \(private\.nlb\), but an HTTP API's private integration targets one of its listeners: add private\.listener \(the NLB listener's ARN\), or use flavor: rest/,
    );
  });

  it('WHEN an HTTP link would be created without subnets THEN the error asks for subnets or vpcLink, once per service', () => {
    expectOnlyIssue(
      () =>
        plan(
          http({ catalog: { url: 'http://c.internal', private: { listener: ALB_LISTENER } } }, [
            { service: 'catalog', paths: ['/a', '/b'] },
          ]),
        ),
      'services.catalog.private',
      /an HTTP API's VPC link is created in subnets of the service's VPC: add private\.subnets \(and securityGroups that reach the listener or instances\), or reuse a link with private\.vpcLink/,
    );
    const reused = plan(
      http({ catalog: { url: 'http://c.internal', private: { listener: ALB_LISTENER, vpcLink: 'abc123' } } }, [
        { service: 'catalog', paths: ['/a'] },
      ]),
    );
    expect(reused.vpcLinks).toEqual([expect.objectContaining({ key: 'http-catalog', version: 'v2', existingId: 'abc123' })]);
  });

  it('WHEN a service is behind both a REST and an HTTP gateway THEN each flavor gets its own kind of link', () => {
    const p = planSpec(
      validateConfig({
        services: {
          orders: {
            url: 'http://o.internal',
            private: { nlb: NLB, listener: ALB_LISTENER.replace('/app/catalog/8a2d6bc24d8a067c', '/net/orders/50dc6c495c0c9188'), ...NET },
          },
        },
        gateways: {
          rest: { routes: [{ service: 'orders', paths: ['/o'] }] },
          http: { flavor: 'http', routes: [{ service: 'orders', paths: ['/o'] }] },
        },
      }),
    );
    expect(p.vpcLinks.map((l) => [l.key, l.version])).toEqual([
      ['http-orders', 'v2'],
      ['rest-orders', 'v1'],
    ]);
  });
});

describe('GIVEN a private service whose routes need the proxy Lambda', () => {
  const proxied = (priv: Record<string, unknown>, service: Record<string, unknown> = {}) => ({
    services: { orders: { url: 'http://orders.internal', retries: { attempts: 1 }, timeoutMs: 5000, private: priv, ...service } },
    gateways: { public: { routes: [{ service: 'orders', paths: ['/orders'] }] } },
  });

  it('WHEN private has subnets and security groups THEN the proxy is placed in them and the route uses no link', () => {
    const p = plan(proxied({ nlb: NLB, ...NET }));
    expect(p.gateways[0]!.proxies[0]!.vpc).toEqual({ subnetIds: ['subnet-0a', 'subnet-0b'], securityGroupIds: ['sg-0c'] });
    expect(p.gateways[0]!.routes[0]!.integration.kind).toBe('lambda-proxy');
    expect(p.vpcLinks).toEqual([]);
    expect(explainPlan(p)).toContain('in VPC subnets subnet-0a, subnet-0b with security groups sg-0c');
  });

  it('WHEN proxy.vpc is given THEN it wins over the derived default', () => {
    const vpc = { subnetIds: ['subnet-0f'], securityGroupIds: ['sg-0f'] };
    expect(plan(proxied({ nlb: NLB, ...NET }, { proxy: { vpc } })).gateways[0]!.proxies[0]!.vpc).toEqual(vpc);
  });

  it('WHEN the VPC cannot be derived THEN the error says what to add', () => {
    expectOnlyIssue(
      () => plan(proxied({ nlb: NLB })),
      'services.orders.private',
      /need its proxy Lambda \(retries \(1\)\), which must run in the upstream's VPC to reach it: add private\.subnets and private\.securityGroups \(the proxy is placed in them\), or give proxy\.vpc/,
    );
    expectOnlyIssue(
      () => plan(proxied({ nlb: NLB, subnets: ['subnet-0a'] })),
      'services.orders.private',
      /add private\.subnets and private\.securityGroups/,
    );
    expectOnlyIssue(
      () => plan(proxied({ nlb: NLB, vpcLink: 'gim7c3' })),
      'services.orders.private',
      /give proxy\.vpc \(subnetIds and securityGroupIds that reach the upstream\)/,
    );
  });

  it('WHEN an aggregate part names a private service and the aggregator is not in a VPC THEN it is an error naming aggregator.vpc', () => {
    expectOnlyIssue(
      () =>
        plan({
          services: { orders: { url: 'http://orders.internal', private: { nlb: NLB } } },
          gateways: {
            public: {
              routes: [{ service: 'orders', paths: ['/orders'] }],
              aggregates: [{ name: 'home', path: '/home', parts: { orders: { service: 'orders', path: '/orders' } } }],
            },
          },
        }),
      'gateways.public.aggregates[0].parts.orders.service',
      /service "orders" is private \(inside a VPC\), and this aggregator calls it directly: set aggregator\.vpc/,
    );
  });
});
