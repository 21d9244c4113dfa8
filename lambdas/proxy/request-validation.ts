// The proxy's request validation for HTTP APIs (which validate nothing themselves): required query parameters and headers, then the JSON body against the route's draft-4 schema.
import type { ValidateFunction } from 'ajv';
import type { ProxyConfig, ProxyRoute, ProxyRouteValidation } from '../contract/proxy-config';
import type { ClientRequest } from './event';
import type { ProxyResponseMessage } from './transform';

/** Code of the 400 answered for a request the route's `validate` refuses. */
export const INVALID_REQUEST_CODE = 'invalid_request';

/** Most schema errors listed in one answer: enough to fix a request, bounded for a body full of mistakes. */
export const MAX_REPORTED_ERRORS = 10;

/** Methods whose body is validated, as API Gateway's REST validators do. */
const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);

export class RouteValidators {
  /**
   * Each route's schema object → its compiled validator, so a request looks its validator up by
   * reference; equal schemas (the paths and methods of one spec route) are compiled once.
   */
  private readonly compiled: Promise<ReadonlyMap<object, ValidateFunction>> | undefined;

  constructor(config: ProxyConfig) {
    const schemas = Object.values(config.routes).flatMap((r) => (r.validate?.body ? [r.validate.body] : []));
    // Compiled once per container, at init; ajv loads only when some route has a body schema.
    this.compiled = schemas.length > 0 ? compileAll(schemas) : undefined;
    // A schema ajv cannot compile fails the requests that need it (502 proxy_error), not the whole proxy.
    this.compiled?.catch(() => undefined);
  }

  /** The 400 answer when the request breaks the route's rules; undefined when it passes or the route validates nothing. */
  async check(route: ProxyRoute, request: ClientRequest): Promise<ProxyResponseMessage | undefined> {
    const rules = route.validate;
    if (rules === undefined) return undefined;
    const missing = missingParameters(rules, request);
    if (missing.length > 0) {
      return invalid(
        `Missing required request parameters: [${missing.map((m) => m.name).join(', ')}]`,
        missing.map((m) => `${m.in} ${m.name} is required`),
      );
    }
    if (rules.body === undefined || !BODY_METHODS.has(request.method)) return undefined;
    const validate = (await this.compiled)?.get(rules.body);
    if (validate === undefined) throw new TypeError('no compiled validator for the route body schema');
    const parsed = parseJsonBody(request);
    if ('problem' in parsed) return invalid('Invalid request body', [parsed.problem]);
    if (validate(parsed.value)) return undefined;
    return invalid(
      'Invalid request body',
      (validate.errors ?? []).slice(0, MAX_REPORTED_ERRORS).map((e) => `${e.instancePath} ${e.message ?? 'is invalid'}`.trim()),
    );
  }
}

/**
 * ajv-draft-04 reads draft-4 schemas as API Gateway models do (ajv 8 itself starts at draft 6: boolean
 * exclusiveMinimum, `id`). Like API Gateway: formats and unknown keywords are not enforced (`strict:
 * false`), and a schema's `id` is not registered, so two routes may reuse one. `allErrors` lists every
 * problem; the body is at most Lambda's 6 MB payload.
 */
async function compileAll(schemas: readonly Readonly<Record<string, unknown>>[]): Promise<ReadonlyMap<object, ValidateFunction>> {
  const { default: Ajv } = await import('ajv-draft-04');
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, addUsedSchema: false, logger: false });
  const byText = new Map<string, ValidateFunction>();
  return new Map(
    schemas.map((schema) => {
      const text = JSON.stringify(schema);
      const validate = byText.get(text) ?? ajv.compile(schema as Record<string, unknown>);
      byText.set(text, validate);
      return [schema, validate] as const;
    }),
  );
}

function missingParameters(rules: ProxyRouteValidation, request: ClientRequest): { in: 'query parameter' | 'header'; name: string }[] {
  return [
    ...rules.query.filter((name) => !Object.hasOwn(request.query, name)).map((name) => ({ in: 'query parameter' as const, name })),
    ...rules.headers.filter((name) => !Object.hasOwn(request.headers, name.toLowerCase())).map((name) => ({ in: 'header' as const, name })),
  ];
}

/** The body as JSON; a declared non-JSON content type or text that does not parse is a problem sentence. */
function parseJsonBody(request: ClientRequest): { value: unknown } | { problem: string } {
  const type = (request.headers['content-type']?.[0]?.split(';')[0] ?? '').trim().toLowerCase();
  if (type !== '' && type !== 'application/json' && !type.endsWith('+json'))
    return { problem: `body must be JSON (Content-Type application/json), not ${type}` };
  try {
    return { value: JSON.parse(request.body.toString('utf8')) as unknown };
  } catch {
    return { problem: request.body.length === 0 ? 'body is required (JSON)' : 'body is not valid JSON' };
  }
}

function invalid(message: string, errors: readonly string[]): ProxyResponseMessage {
  return {
    status: 400,
    headers: { 'content-type': ['application/json'] },
    body: Buffer.from(JSON.stringify({ message, code: INVALID_REQUEST_CODE, errors })),
  };
}
