// The startup banner: gateways with their URLs, routes (method, path, auth), local API keys, state, and what local cannot match.
import type { JsonObject } from './definition';
import type { LocalAssembly } from './assembly';
import type { LocalApiKey } from './api-keys';
import { ANY_METHOD, operationsOf } from './routing';

export interface BannerGateway {
  readonly name: string;
  readonly flavor: 'rest' | 'http';
  readonly url: string;
  readonly definition: JsonObject;
  readonly keys: readonly LocalApiKey[];
  readonly notEmulated: readonly string[];
}

export interface BannerInput {
  readonly gateways: readonly BannerGateway[];
  readonly assembly: LocalAssembly;
  readonly state: string;
  readonly upstreams: readonly { readonly service: string; readonly from: string; readonly to: string }[];
  readonly unrunnable: readonly string[];
  readonly startupMs: number;
}

export function banner(input: BannerInput): string {
  const lines: string[] = [
    `gatehouse local: ${input.gateways.length} gateway(s) from the synthesized assembly in ${input.assembly.outdir} (ready in ${(input.startupMs / 1000).toFixed(1)} s)`,
  ];
  for (const g of input.gateways) {
    lines.push('', `${g.name} (${g.flavor === 'rest' ? 'REST API' : 'HTTP API'})  ${g.url}`);
    for (const [path, item] of Object.entries((g.definition.paths ?? {}) as Record<string, JsonObject>)) {
      for (const key of operationsOf(item)) {
        const op = item[key];
        const method = key === ANY_METHOD ? 'ANY' : key.toUpperCase();
        const integration = op['x-amazon-apigateway-integration'] ?? {};
        const kind = integration.$ref
          ? String(g.definition.components?.['x-amazon-apigateway-integrations']?.[String(integration.$ref).split('/').pop()!]?.type ?? '')
          : String(integration.type ?? '');
        lines.push(`  ${method.padEnd(7)} ${path.padEnd(40)} ${authOf(op, g.definition).padEnd(22)} ${kind.toUpperCase()}`);
      }
    }
    for (const k of g.keys) lines.push(`  API key ${k.name} (plans ${k.plans.join(', ') || '-'}): x-api-key: ${k.value}`);
  }
  lines.push('', `State for handlers: ${input.state}`);
  for (const u of input.upstreams) lines.push(`Upstream ${u.service}: ${u.from} -> ${u.to}`);
  const warnings = [
    ...new Set([
      ...input.assembly.notEmulated,
      ...input.gateways.flatMap((g) => g.notEmulated.map((n) => `${g.name}: ${n}`)),
      ...input.unrunnable,
    ]),
  ];
  for (const w of warnings) lines.push(`Not emulated: ${w}`);
  lines.push('Not emulated: AWS accounts and IAM (SigV4), edge caching and TLS: local serves plain HTTP on 127.0.0.1');
  return lines.join('\n') + '\n';
}

function authOf(op: JsonObject, definition: JsonObject): string {
  const names = ((op.security ?? definition.security ?? []) as Record<string, string[]>[]).flatMap((s) =>
    Object.entries(s).map(([n, scopes]) => (scopes.length ? `${n}[${scopes.join(' ')}]` : n)),
  );
  return names.length ? names.join('+') : 'none';
}
