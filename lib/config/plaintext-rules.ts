// "Never pass unencrypted traffic beyond the gateway": an http:// upstream reached over the internet is refused unless the service allows plaintext.
import type { RawIssue } from './errors';
import type { GatehouseSpec } from './schema';
import type { ServiceSpec } from './service-schema';

/** The service's http:// upstreams with the path of the field that names each. */
export function plaintextUpstreams(name: string, service: ServiceSpec): { url: string; path: (string | number)[] }[] {
  const at = ['services', name];
  // A private service is reached inside its VPC: through a VPC link, or by a proxy placed in its subnets.
  if (service.private) return [];
  if (service.url !== undefined) return service.url.startsWith('http://') ? [{ url: service.url, path: [...at, 'url'] }] : [];
  return (service.targets ?? []).flatMap((t, i) =>
    t.url.startsWith('http://') ? [{ url: t.url, path: [...at, 'targets', i, 'url'] }] : [],
  );
}

/**
 * Who calls an upstream decides whether http:// leaves a private network: API Gateway's HTTP proxy
 * and a proxy or aggregator Lambda outside a VPC call it across the internet; a Lambda placed in a
 * VPC (`proxy.vpc`, `aggregator.vpc`) calls it inside (a service with `proxy.vpc` is always proxied).
 */
export function checkPlaintextUpstreams(spec: GatehouseSpec): RawIssue[] {
  const issues: RawIssue[] = [];
  for (const [name, service] of Object.entries(spec.services)) {
    const clear = plaintextUpstreams(name, service);
    if (service.allowPlaintext) {
      if (clear.length === 0) {
        const why =
          service.lambda !== undefined
            ? 'a Lambda service is invoked through the AWS API, over TLS'
            : service.private
              ? 'the service is private, so its http:// traffic stays inside its VPC (VPC link, or a proxy in its subnets)'
              : 'every upstream of this service is https://';
        issues.push({
          path: ['services', name, 'allowPlaintext'],
          message: `${why}, so there is no plaintext to allow: remove allowPlaintext`,
        });
      }
      continue;
    }
    if (clear.length === 0 || service.proxy.vpc) continue;
    for (const { url, path } of clear) {
      issues.push({
        path,
        message:
          `${url} would be called in clear text across the internet, with the callers' bearer tokens and identity headers: ` +
          "use https://, reach it through a VPC link (services.<name>.private), place the service's proxy in the upstream's VPC (proxy.vpc), or set allowPlaintext: true to accept that",
      });
    }
  }
  for (const [name, service] of Object.entries(spec.services)) {
    if (service.clientCertificate && plaintextUpstreams(name, service).length) {
      issues.push({
        path: ['services', name, 'clientCertificate'],
        message:
          'a client certificate is presented in the TLS handshake, which an http:// upstream never starts: use https:// upstreams, or remove clientCertificate',
      });
    }
  }
  for (const [gatewayName, gateway] of Object.entries(spec.gateways)) {
    if (gateway.flavor === 'http') {
      gateway.routes.forEach((route, index) => {
        if (spec.services[route.service]?.clientCertificate) {
          issues.push({
            path: ['gateways', gatewayName, 'routes', index, 'service'],
            message: `service "${route.service}" asks for the gateway's client certificate, which only REST APIs present to their upstreams: use flavor: rest, or remove clientCertificate from the service`,
          });
        }
      });
    }
    gateway.aggregates.forEach((aggregate, index) => {
      if (aggregate.aggregator.vpc) return;
      for (const [part, { service: serviceName }] of Object.entries(aggregate.parts ?? {})) {
        const service = spec.services[serviceName];
        // An unknown service is reported by the aggregate rules; an allowed one warns in the plan.
        if (!service || service.allowPlaintext || !service.proxy.vpc || plaintextUpstreams(serviceName, service).length === 0) continue;
        issues.push({
          path: ['gateways', gatewayName, 'aggregates', index, 'parts', part, 'service'],
          message:
            `service "${serviceName}" is reached over http:// inside its VPC, but this aggregator is not in a VPC, so it would call it in clear across the internet: ` +
            'set aggregator.vpc, or allowPlaintext: true on the service to accept that',
        });
      }
    });
  }
  return issues;
}
