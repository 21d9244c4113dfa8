// VPC links: which private services each gateway reaches through a link, one link per distinct target set per stack, and the proxy's VPC derived from `private`.
import { formatPath, type SpecIssue } from '../config/errors';
import type { GatewaySpec, ServiceSpec } from '../config/schema';
import type { PrivateSpec } from '../config/private-schema';
import type { ServicePlans } from './service-plan';
import type { AggregatorPlan, HttpProxyIntegration, PrivateIntegrationPlan, ProxyPlan, RoutePlan, VpcLinkPlan } from './types';

export type { VpcLinkPlan } from './types';

/** One CloudFormation resource per link created here (none for a reused one). */
export function vpcLinkResources(links: readonly VpcLinkPlan[]): number {
  return links.filter((l) => l.existingId === undefined).length;
}

/**
 * The VPC the proxy Lambda of a private service runs in, when the config does not give `proxy.vpc`: the
 * subnets and security groups of `private`, which reach the upstream. Undefined when they are not both known.
 */
export function derivedProxyVpc(service: ServiceSpec): ProxyPlan['vpc'] {
  if (service.proxy.vpc) return service.proxy.vpc;
  const p = service.private;
  if (!p?.subnets || !p.securityGroups) return undefined;
  return { subnetIds: p.subnets, securityGroupIds: p.securityGroups };
}

interface DraftRoutes {
  readonly name: string;
  readonly gateway: GatewaySpec;
  readonly routes: RoutePlan[];
  readonly proxies: readonly ProxyPlan[];
  readonly aggregators: readonly AggregatorPlan[];
}

/**
 * Gives every direct route to a private service its VPC link, creating one link per distinct target set (REST:
 * the NLB; HTTP: subnets and security groups) or reusing `private.vpcLink`. A combination a flavor cannot
 * reach, a link that cannot be created and a Lambda outside the upstream's VPC are errors naming the choices.
 */
export function planVpcLinks<D extends DraftRoutes>(
  services: ServicePlans,
  drafts: readonly D[],
): { drafts: D[]; links: VpcLinkPlan[]; errors: SpecIssue[] } {
  const errors: SpecIssue[] = [];
  const groups = new Map<
    string,
    {
      version: 'v1' | 'v2';
      existingId?: string;
      targetArns: string[];
      subnetIds: string[];
      securityGroupIds: string[];
      services: Set<string>;
      routes: string[];
    }
  >();
  const reported = new Set<string>();
  const error = (path: (string | number)[], message: string) => {
    const where = formatPath(path);
    if (reported.has(where)) return;
    reported.add(where);
    errors.push({ path, where, message });
  };
  const withLinks = drafts.map((draft) => {
    const flavor = draft.gateway.flavor;
    const routes = draft.routes.map((route) => {
      const service = services.get(route.service);
      const p = service?.private;
      if (!p || route.integration.kind !== 'http-proxy') return route;
      const at = ['gateways', draft.name, 'routes', route.routeIndex, 'service'];
      const target = flavor === 'rest' ? restTarget(route.service, p) : httpTarget(route.service, p);
      if ('problem' in target) {
        error(at, target.problem);
        return route;
      }
      if (flavor === 'http' && !p.vpcLink && !p.subnets) {
        error(
          ['services', route.service, 'private'],
          "an HTTP API's VPC link is created in subnets of the service's VPC: add private.subnets (and securityGroups that reach the listener or instances), or reuse a link with private.vpcLink",
        );
        return route;
      }
      const version = flavor === 'rest' ? 'v1' : 'v2';
      const identity = p.vpcLink
        ? `${version}|link:${p.vpcLink}`
        : version === 'v1'
          ? `v1|${target.uri}`
          : `v2|${[...p.subnets!].sort().join(',')}|${[...(p.securityGroups ?? [])].sort().join(',')}`;
      let group = groups.get(identity);
      if (!group) {
        group = {
          version,
          ...(p.vpcLink ? { existingId: p.vpcLink } : {}),
          targetArns: [],
          subnetIds: version === 'v2' && !p.vpcLink ? [...p.subnets!] : [],
          securityGroupIds: version === 'v2' && !p.vpcLink ? [...(p.securityGroups ?? [])] : [],
          services: new Set(),
          routes: [],
        };
        groups.set(identity, group);
      }
      if (version === 'v1' && !p.vpcLink && !group.targetArns.includes(target.uri)) group.targetArns.push(target.uri);
      group.services.add(route.service);
      group.routes.push(`${draft.name} ${route.path}`);
      const integration: HttpProxyIntegration = {
        ...route.integration,
        vpcLink: {
          link: identity,
          ...(p.vpcLink ? { connectionId: p.vpcLink } : {}),
          target: target.kind,
          targetArn: target.uri,
          ...(flavor === 'http' && tlsServerName(route.integration.uri) ? { serverName: tlsServerName(route.integration.uri) } : {}),
        },
      };
      return { ...route, integration, reason: `${route.reason}; through a VPC link to the private service (${target.kind})` };
    });
    for (const proxy of draft.proxies) {
      const service = services.get(proxy.service);
      if (!service?.private || proxy.vpc) continue;
      error(
        ['services', proxy.service, 'private'],
        `the routes of "${proxy.service}" need its proxy Lambda (${proxy.reasons.join(', ')}), which must run in the upstream's VPC to reach it: ` +
          (service.private.vpcLink
            ? 'give proxy.vpc (subnetIds and securityGroupIds that reach the upstream)'
            : 'add private.subnets and private.securityGroups (the proxy is placed in them), or give proxy.vpc'),
      );
    }
    draft.gateway.aggregates.forEach((aggregate, index) => {
      if (aggregate.aggregator.vpc) return;
      for (const [part, { service }] of Object.entries(aggregate.parts ?? {})) {
        if (!services.get(service)?.private) continue;
        error(
          ['gateways', draft.name, 'aggregates', index, 'parts', part, 'service'],
          `service "${service}" is private (inside a VPC), and this aggregator calls it directly: set aggregator.vpc (subnetIds and securityGroupIds that reach it)`,
        );
      }
    });
    return { ...draft, routes };
  });
  // Names from kinds and services, never positions or token text, so adding a route or gateway renames no link.
  const links = [...groups.entries()].map(([identity, g]) => {
    const services = [...g.services].sort();
    return {
      identity,
      link: {
        key: `${g.version === 'v1' ? 'rest' : 'http'}-${services[0]}`,
        version: g.version,
        ...(g.existingId ? { existingId: g.existingId } : {}),
        targetArns: g.targetArns,
        subnetIds: g.subnetIds,
        securityGroupIds: g.securityGroupIds,
        services,
        routes: g.routes,
      } satisfies VpcLinkPlan,
    };
  });
  const keys = new Map(links.map(({ identity, link }) => [identity, link.key]));
  const final = withLinks.map((draft) => ({
    ...draft,
    routes: draft.routes.map((route) => {
      const i = route.integration;
      if (i.kind !== 'http-proxy' || !i.vpcLink) return route;
      return { ...route, integration: { ...i, vpcLink: { ...i.vpcLink, link: keys.get(i.vpcLink.link)! } } };
    }),
  }));
  return { drafts: final, links: links.map((l) => l.link).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)), errors };
}

type Target = { kind: PrivateIntegrationPlan['target']; uri: string } | { problem: string };

/** REST APIs reach private services only through an NLB (VPC link v1). */
function restTarget(name: string, p: PrivateSpec): Target {
  if (p.nlb) return { kind: 'nlb', uri: p.nlb };
  const what = p.listener ? 'a load balancer listener' : 'Cloud Map';
  return {
    problem: `service "${name}" is reached through ${what}, which only HTTP APIs support: REST APIs reach private services through a Network Load Balancer (private.nlb); use flavor: http, or put the service behind an NLB`,
  };
}

/**
 * HTTP APIs take a listener or Cloud Map service ARN as the private integration's target, not a load balancer's
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html).
 */
function httpTarget(name: string, p: PrivateSpec): Target {
  if (p.listener) return { kind: 'listener', uri: p.listener };
  if (p.cloudMap) return { kind: 'cloudMap', uri: p.cloudMap };
  return {
    problem: `service "${name}" names only its NLB (private.nlb), but an HTTP API's private integration targets one of its listeners: add private.listener (the NLB listener's ARN), or use flavor: rest`,
  };
}

/** For an https:// upstream, the host HTTP APIs verify the certificate against (tlsConfig); http:// has none. */
function tlsServerName(uri: string): string | undefined {
  return /^https:\/\/([^/:]+)/.exec(uri)?.[1];
}
