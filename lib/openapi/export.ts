// `gatehouse export openapi`: each gateway's OpenAPI document, dispatched by flavor (REST plugs in here next to HTTP).
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load';
import { planSpec } from '../plan/plan';
import type { GatewayPlan, Plan } from '../plan/types';
import { DEFAULT_STACK_NAME } from '../plan/observability';
import { renderHttpOpenApi, type OpenApiDocument } from './http/document';
import type { HttpFunctionRefs } from './http/integrations';
import { IMPORT_VARIABLES, renderRestDefinition, restFunctionNames, restFunctionUris, type SwaggerDocument } from './rest';

export const EXPORT_USAGE = `Usage: gatehouse export openapi [file] [--gateway NAME] [--aws-extensions]

Prints each gateway's OpenAPI document as JSON: one gateway's document, or with several gateways an object
of documents by gateway name (pick one with --gateway).

  --gateway NAME       only this gateway
  --aws-extensions     the document as deployed, with the x-amazon-apigateway-* extensions; function ARNs
                       are \${<kind>:<name>.Arn} placeholders that the stack fills at deploy
                       (without it: a clean document for docs and client generators)

file defaults to ./gatehouse.yaml`;

/** A request `export` cannot serve (unknown gateway, a flavor not rendered yet); exit code 1 with the message. */
export class ExportError extends Error {
  readonly code = 'EXPORT_UNSUPPORTED';
}

/**
 * Placeholders where the deployed document has function ARNs: offline there is no stack to take them from.
 * Partition and region read as CloudFormation pseudo parameters.
 */
const PLACEHOLDER_REFS: HttpFunctionRefs = {
  partition: '${AWS::Partition}',
  region: '${AWS::Region}',
  account: '${AWS::AccountId}',
  proxyArn: (service) => `\${proxy:${service}.Arn}`,
  aggregatorArn: (aggregate) => `\${aggregator:${aggregate}.Arn}`,
  authorizerArn: '${authorizer:jwt.Arn}',
  originVerifyAuthorizerArn: '${authorizer:origin-verify.Arn}',
  vpcLinkId: (key) => `\${vpcLink:${key}.Id}`,
};

/** `${vpcLink:<key>.Id}` for every VPC link the gateway's routes go through, which the stack creates. */
function vpcLinkPlaceholders(gateway: GatewayPlan): Record<string, string> {
  const keys = gateway.routes.flatMap((r) =>
    r.integration.kind === 'http-proxy' && r.integration.vpcLink ? [r.integration.vpcLink.link] : [],
  );
  return Object.fromEntries(keys.map((key) => [key, `\${vpcLink:${key}.Id}`]));
}

/** One gateway's document, by flavor: OpenAPI 3.0 for HTTP APIs, Swagger 2.0 (what the stack deploys) for REST APIs. */
export function gatewayOpenApi(gateway: GatewayPlan, options: { readonly awsExtensions: boolean }): OpenApiDocument | SwaggerDocument {
  if (gateway.flavor === 'http') return renderHttpOpenApi(gateway, { refs: options.awsExtensions ? PLACEHOLDER_REFS : undefined });
  // Function ARNs as the shipped stack names its functions, with the variables API Gateway resolves on import.
  const deployed = renderRestDefinition(gateway, {
    ...restFunctionUris(restFunctionNames(DEFAULT_STACK_NAME, gateway), IMPORT_VARIABLES),
    vpcLinks: vpcLinkPlaceholders(gateway),
  });
  return options.awsExtensions ? deployed : withoutAwsExtensions(deployed);
}

/** The document without API Gateway's `x-amazon-apigateway-*` keys: what docs tools and client generators read. */
function withoutAwsExtensions<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutAwsExtensions) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('x-amazon-apigateway-'))
      .map(([key, v]) => [key, withoutAwsExtensions(v)]),
  ) as T;
}

/** The documents of the plan's gateways (or of `gateway` only), keyed by gateway name. */
export function exportOpenApi(
  plan: Plan,
  options: { readonly gateway?: string; readonly awsExtensions: boolean },
): Record<string, OpenApiDocument | SwaggerDocument> {
  const gateways = options.gateway ? plan.gateways.filter((g) => g.name === options.gateway) : plan.gateways;
  if (!gateways.length) {
    throw new ExportError(`no gateway named "${options.gateway}" (gateways: ${plan.gateways.map((g) => g.name).join(', ')})`);
  }
  return Object.fromEntries(gateways.map((g) => [g.name, gatewayOpenApi(g, options)]));
}

/** `gatehouse export …`: returns the exit code; config errors (ConfigError) are the caller's to print. */
export function runExportCommand(args: string[], io: { stdout: (text: string) => void; stderr: (text: string) => void }): number {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { gateway: { type: 'string' }, 'aws-extensions': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    io.stderr(`gatehouse export: ${(err as Error).message}\n\n${EXPORT_USAGE}\n`);
    return 2;
  }
  const { positionals, values } = parsed;
  const [format, file = 'gatehouse.yaml', ...extra] = positionals;
  if (values.help) {
    io.stdout(`${EXPORT_USAGE}\n`);
    return 0;
  }
  if (format !== 'openapi' || extra.length) {
    io.stderr(
      `gatehouse export: ${format === 'openapi' ? `unexpected argument "${extra[0]}"` : `unknown format "${format ?? ''}" (openapi is the one there is)`}\n\n${EXPORT_USAGE}\n`,
    );
    return 2;
  }
  try {
    const documents = exportOpenApi(planSpec(loadConfig(file)), {
      gateway: values.gateway,
      awsExtensions: values['aws-extensions'] ?? false,
    });
    const names = Object.keys(documents);
    io.stdout(`${JSON.stringify(names.length === 1 ? documents[names[0]!] : documents, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof ExportError)) throw err;
    io.stderr(`gatehouse export: ${err.message}\n`);
    return 1;
  }
}
