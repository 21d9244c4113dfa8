// Test support: an HTTP gateway's OpenAPI definition as it is in the template (CDK tokens resolved to intrinsics).
import type { Synthesized } from './synth';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON, read field by field in assertions
type Json = any;

export type Doc = {
  paths: Record<string, Record<string, Operation & Record<string, unknown>>>;
  components: {
    securitySchemes?: Record<string, Record<string, Json>>;
    'x-amazon-apigateway-integrations'?: Record<string, Record<string, Json>>;
  };
} & Record<string, Json>;
export interface Operation {
  security?: Record<string, string[]>[];
  'x-amazon-apigateway-integration'?: { $ref: string };
}

export function httpDefinition(s: Synthesized, gateway: string): Doc {
  const g = s.stack.gatehouse.httpGateways[gateway];
  if (!g) throw new Error(`no HTTP gateway "${gateway}"`);
  return s.stack.resolve(g.definition) as Doc;
}

/** Every operation of the document with its route key (`GET /api/users`). */
export function operations(doc: Doc): { key: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([k]) => k !== 'parameters')
      .map(([k, op]) => ({ key: `${k === 'x-amazon-apigateway-any-method' ? 'ANY' : k.toUpperCase()} ${path}`, op: op as Operation })),
  );
}

/** The integration an operation refers to. */
export function integrationOf(doc: Doc, op: Operation): Record<string, Json> {
  const ref = op['x-amazon-apigateway-integration']!.$ref;
  const key = ref.replace('#/components/x-amazon-apigateway-integrations/', '');
  const integration = doc.components['x-amazon-apigateway-integrations']?.[key];
  if (!integration) throw new Error(`dangling integration reference ${ref}`);
  return integration;
}
