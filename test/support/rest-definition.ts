// Test support: a REST gateway's deployed definition, read back from the template's RestApi.Body (what CloudFormation imports).
import type { Synthesized } from './synth';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The Body of the one RestApi of gateway `name` (named `<stack>-<gateway>`, in the stack's own template), CloudFormation references as written. */
export function restBody(s: Synthesized, name = 'public'): Json {
  const apis = Object.values(s.template.findResources('AWS::ApiGateway::RestApi')).filter(
    (r) => r.Properties.Name === name || String(r.Properties.Name).endsWith(`-${name}`),
  );
  if (apis.length !== 1) throw new Error(`expected one RestApi named ${name}, found ${apis.length}`);
  const body = apis[0]!.Properties.Body as Json | undefined;
  if (!body) throw new Error(`RestApi ${name} has no inline Body`);
  return body;
}

/** Every operation of the document as `METHOD path` → operation (ANY for x-amazon-apigateway-any-method). */
export function operations(body: Json): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [path, item] of Object.entries(body.paths as Record<string, Json>)) {
    for (const [key, op] of Object.entries(item))
      out[`${key === 'x-amazon-apigateway-any-method' ? 'ANY' : key.toUpperCase()} ${path}`] = op;
  }
  return out;
}
