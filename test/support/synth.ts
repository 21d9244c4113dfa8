// Test support: synthesize a spec the way bin/app.ts does (same feature flags, cdk-nag on) into a temp dir.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addGatehouseChecks } from '../../lib/checks';
import type { GatehouseSpecInput } from '../../lib/config/schema';
import { GatehouseStack } from '../../lib/stack';

const cdkContext = (JSON.parse(readFileSync(join(__dirname, '../../cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

export interface Synthesized {
  readonly stack: GatehouseStack;
  readonly template: Template;
  readonly outdir: string;
  /** Every template file written (parent and nested), by file name. */
  readonly templates: Record<
    string,
    {
      Resources?: Record<
        string,
        { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[]; Metadata?: Record<string, unknown> }
      >;
    }
  >;
}

export function synthSpec(
  spec: GatehouseSpecInput | unknown,
  options: { nag?: boolean; context?: Record<string, unknown> } = {},
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  // The CDK CLI turns version reporting on, which adds the CDKMetadata resource the planner counts.
  const app = new App({ outdir, context: { ...cdkContext, 'aws:cdk:version-reporting': true, ...options.context } });
  const stack = new GatehouseStack(app, 'Test', { spec: spec as GatehouseSpecInput });
  if (options.nag ?? true) addGatehouseChecks(stack.gatehouse);
  app.synth();
  const templates: Synthesized['templates'] = {};
  for (const file of readdirSync(outdir).filter((f) => f.endsWith('.template.json'))) {
    templates[file] = JSON.parse(readFileSync(join(outdir, file), 'utf8'));
  }
  return { stack, template: Template.fromStack(stack), outdir, templates };
}

/** A small valid spec; tests spread their changes over it. */
export function baseSpec(overrides: Partial<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    services: { users: { url: 'https://users.internal:8080' }, orders: { url: 'https://orders.internal/base' } },
    gateways: {
      public: {
        routes: [
          { service: 'users', paths: ['/api/users'], methods: ['GET', 'POST'], stripPath: true },
          { service: 'orders', paths: ['/api/orders'] },
        ],
        ...overrides,
      },
    },
  };
}

export function resourcesOfType(s: Synthesized, type: string) {
  return Object.values(s.templates).flatMap((t) => Object.entries(t.Resources ?? {}).filter(([, r]) => r.Type === type));
}

/** n prefix routes under a few shared parents, 3 methods each, CORS on: 10 CloudFormation resources per route. */
export function manyRoutes(n: number): Record<string, unknown> {
  return {
    account: { quotas: { resourcesPerApi: 2 * n + 20 } },
    services: { a: { url: 'https://a.internal' } },
    gateways: {
      big: {
        cors: { origins: ['https://app.example.com'] },
        routes: Array.from({ length: n }, (_, i) => ({ service: 'a', paths: [`/svc${i % 4}/r${i}`], methods: ['GET', 'POST', 'PUT'] })),
      },
    },
  };
}
