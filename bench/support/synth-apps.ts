// The Gatehouse side of the synth benchmark: the n-route spec, its stack, and what its templates hold. Shared by
// bench/synth.bench.ts (timed) and bench/support/deterministic-numbers.ts (counts only, checked by a test).
import type { App } from 'aws-cdk-lib';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GatehouseStack } from '../../lib/stack';
import type { GatehouseSpecInput } from '../../lib/config/schema';
import { httpControlPlaneCalls } from '../../lib/plan/http';

export type Flavor = 'rest' | 'http';

export const METHODS = ['GET', 'POST', 'PUT'] as const;
export const ORIGIN = 'https://app.example.com';
export const SERVICES = {
  'svc-a': 'https://svc-a.internal.example.com:8080',
  'svc-b': 'https://svc-b.internal.example.com:8080',
} as const;
export const SERVICE_NAMES = Object.keys(SERVICES) as (keyof typeof SERVICES)[];
/**
 * Raised quotas, so 1,000 routes plan in both flavors. REST: 2 API Gateway resources per prefix route (AWS default 300 per API).
 * HTTP: 6 route keys and 2 integrations per route (AWS defaults 300 each).
 */
export const QUOTAS = { resourcesPerApi: 2 * 1000 + 10, routesPerApi: 6 * 1000 + 10, integrationsPerApi: 2 * 1000 + 10 } as const;

export interface TemplateStats {
  readonly name: string;
  readonly resources: number;
  /** API Gateway resources (AWS::ApiGateway::* and AWS::ApiGatewayV2::*) in the template. */
  readonly apiGatewayResources: number;
  readonly bytes: number;
}

/** The repo's cdk.json context (feature flags), so every app synthesizes as `cdk synth` would here. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

export function serviceFor(i: number): keyof typeof SERVICES {
  return SERVICE_NAMES[i % SERVICE_NAMES.length] ?? 'svc-a';
}

/** n prefix routes /svc/r<i>, GET/POST/PUT, CORS with one origin, alternating between two services. */
export function gatehouseSpec(n: number, flavor: Flavor): GatehouseSpecInput {
  return {
    account: { quotas: { ...QUOTAS } },
    services: Object.fromEntries(Object.entries(SERVICES).map(([name, url]) => [name, { url }])),
    gateways: {
      bench: {
        flavor,
        cors: { origins: [ORIGIN] },
        routes: Array.from({ length: n }, (_, i) => ({
          service: serviceFor(i),
          paths: [`/svc/r${i}`],
          methods: [...METHODS],
        })),
      },
    },
  };
}

/** Gatehouse's stack; returns the plan's control-plane estimate and the definition's bytes when it went to S3. */
export function buildGatehouse(app: App, n: number, flavor: Flavor): { controlPlaneCalls: number; definitionAssetBytes?: number } {
  // cdk-nag is deliberately not added (no addGatehouseChecks): the benchmark measures synth, not checks.
  const stack = new GatehouseStack(app, 'Bench', { spec: gatehouseSpec(n, flavor) });
  const { plan } = stack.gatehouse;
  const gateway = plan.gateways.find((g) => g.name === 'bench');
  if (!gateway) throw new Error('bench gateway missing from the plan');
  if (flavor === 'rest') {
    const rest = stack.gatehouse.gateways.bench;
    const definitionAssetBytes =
      rest?.definitionLocation === 's3' ? Buffer.byteLength(JSON.stringify(stack.resolve(rest.definition))) : undefined;
    return { controlPlaneCalls: gateway.estimate.controlPlaneCalls, definitionAssetBytes };
  }
  // The HTTP side's estimate, as `explain` computes it: one import, one stage, one per API mapping.
  const mappings = plan.domains.reduce((k, d) => k + d.mappings.filter((m) => m.gateway === gateway.name).length, 0);
  const http = stack.gatehouse.httpGateways.bench;
  return {
    controlPlaneCalls: httpControlPlaneCalls(mappings),
    definitionAssetBytes: http && http.body.placement !== 'inline' ? http.body.bytes : undefined,
  };
}

/** Every stack template (`*.template.json`) in the cloud assembly; nested ones included should any appear. */
export function templatesIn(outdir: string): TemplateStats[] {
  return readdirSync(outdir)
    .filter((f) => f.endsWith('.template.json'))
    .sort()
    .map((file) => {
      const template = JSON.parse(readFileSync(join(outdir, file), 'utf8')) as { Resources?: Record<string, { Type?: string }> };
      const resources = Object.values(template.Resources ?? {});
      return {
        name: file.replace(/\.template\.json$/, ''),
        resources: resources.length,
        apiGatewayResources: resources.filter((r) => /^AWS::ApiGateway(V2)?::/.test(r.Type ?? '')).length,
        bytes: Buffer.byteLength(JSON.stringify(template)),
      };
    });
}
