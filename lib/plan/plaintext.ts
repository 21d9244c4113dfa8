// The PLAINTEXT_UPSTREAM warning: what crosses the internet in clear to a service that allows plaintext.
import { formatPath } from '../config/errors';
import { plaintextUpstreams } from '../config/plaintext-rules';
import type { GatehouseSpec } from '../config/schema';
import type { PlanWarning } from './types';

export function plaintextWarnings(spec: GatehouseSpec): PlanWarning[] {
  return Object.entries(spec.services).flatMap(([name, service]) => {
    const clear = plaintextUpstreams(name, service);
    if (!service.allowPlaintext || service.proxy.vpc || clear.length === 0) return [];
    return [
      {
        code: 'PLAINTEXT_UPSTREAM',
        where: formatPath(clear[0]!.path),
        message: `${clear.map((c) => c.url).join(', ')} ${clear.length > 1 ? 'are' : 'is'} called in clear text across the internet (allowPlaintext): ${exposed(spec, name).join(', ')} cross unencrypted and can be read or changed on the way`,
      },
    ];
  });
}

/** What requests to the service carry: the Authorization header always passes through, and the identity headers of gateways that authenticate its routes. */
function exposed(spec: GatehouseSpec, service: string): string[] {
  const what = new Set(['request bodies', 'bearer tokens (Authorization)']);
  for (const gateway of Object.values(spec.gateways)) {
    const usesIt =
      gateway.routes.some((r) => r.service === service) ||
      gateway.aggregates.some((a) => Object.values(a.parts ?? {}).some((p) => p.service === service));
    if (!usesIt) continue;
    if (gateway.routes.some((r) => r.service === service && r.apiKey)) what.add('API keys (x-api-key)');
    const headers = gateway.auth?.jwt?.identityHeaders;
    if (headers) what.add(`identity headers (${Object.values(headers).join(', ')})`);
  }
  return [...what];
}
