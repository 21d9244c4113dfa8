// The `services` section: upstreams and the resilience features (targets, transforms, breaker, retries, fallbacks) that need the proxy Lambda.
import { z } from 'zod';
import { REST_INTEGRATION_TIMEOUT_MAX_MS, REST_INTEGRATION_TIMEOUT_MIN_MS } from './limits';
import { lambdaFunctionSchema, lambdaPayloadSchema } from './lambda-function';
import { orToken, URL_PREFIX } from './tokens';
import { privateSchema } from './private-schema';

const upstreamUrl = orToken(
  z
    .url({ protocol: /^https?$/, error: 'url must be an absolute http:// or https:// URL, e.g. http://user-svc.internal:8080' })
    .refine((u) => !/[?#]/.test(u), 'a url must not carry a query string or fragment'),
  URL_PREFIX,
);

const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "a header name uses letters, digits and -_.!#$%&'*+^`|~ (no spaces or colons)");

/** Any JSON value, as YAML or JSON gives it (fallback bodies, transform values). */
export const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/** Names per field kind, Kong's request-/response-transformer layout. */
function fieldOps<T extends z.ZodType>(value: T, kinds: readonly ('headers' | 'querystring' | 'json')[]) {
  return z.strictObject(Object.fromEntries(kinds.map((k) => [k, value.optional()])));
}

const nameList = z.array(z.string().min(1)).min(1, 'list at least one name, or leave the operation out');
const renames = z.record(z.string().min(1), z.string().min(1));
const values = z.record(z.string().min(1), jsonValue);
const stringValues = z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()]).transform(String));

const ALL = ['headers', 'querystring', 'json'] as const;
const RESPONSE = ['headers', 'json'] as const;

export const requestTransformSchema = z.strictObject({
  remove: fieldOps(nameList, ALL).optional(),
  rename: fieldOps(renames, ALL).optional(),
  replace: fieldOps(values, ALL).optional(),
  add: fieldOps(values, ALL).optional(),
  set: fieldOps(values, ALL).optional(),
  append: fieldOps(stringValues, ['headers', 'querystring']).optional(),
  /** Path rewrites, first match wins: `{ match: /api/orders/{id}, to: /v2/orders/{id} }`. */
  path: z
    .array(
      z.strictObject({
        match: z.string().startsWith('/', 'a path pattern starts with "/"'),
        to: z.string().startsWith('/', 'a rewritten path starts with "/"'),
      }),
    )
    .min(1)
    .optional(),
});

export const responseTransformSchema = z.strictObject({
  remove: fieldOps(nameList, RESPONSE).optional(),
  rename: fieldOps(renames, RESPONSE).optional(),
  replace: fieldOps(values, RESPONSE).optional(),
  add: fieldOps(values, RESPONSE).optional(),
  set: fieldOps(values, RESPONSE).optional(),
  append: fieldOps(stringValues, ['headers']).optional(),
  /** Turn XML upstream bodies into JSON (then the json operations apply). */
  xmlToJson: z.boolean().default(false),
});

const status = (what: string) =>
  z.number().int().min(100, `${what} is an HTTP status from 100 to 599`).max(599, `${what} is an HTTP status from 100 to 599`);

/** Header names to values, plus `query`: query parameter names to values (`?version=2`). */
export interface VersionMatch {
  readonly query?: Readonly<Record<string, string>>;
  readonly [header: string]: string | Readonly<Record<string, string>> | undefined;
}

// Typed by hand: zod infers `{ [x: string]: string; query?: … }`, which a TypeScript object literal with `query` cannot satisfy.
const versionMatch: z.ZodType<VersionMatch, VersionMatch> = z
  .object({
    /** Query parameters that pin here, e.g. `{ version: "2" }` for `?version=2` (names and values compared exactly). Every other key is a header name. */
    query: z
      .record(z.string().min(1, 'a query parameter name is not empty'), z.string().min(1))
      .refine((q) => Object.keys(q).length > 0, 'list at least one query parameter, e.g. query: { version: "2" }')
      .optional(),
  })
  .catchall(z.string().min(1))
  .superRefine((match, ctx) => {
    for (const name of Object.keys(match)) {
      const bad = name === 'query' ? undefined : headerName.safeParse(name).error?.issues[0];
      if (bad) ctx.addIssue({ code: 'custom', path: [name], message: bad.message });
    }
  });

export const targetSchema = z.strictObject({
  /** Names the target in logs, metrics and breaker state. @default t<index> */
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'a target name uses letters, digits, "_" and "-" (at most 32 characters)')
    .optional(),
  url: upstreamUrl,
  /** Relative share of the traffic that no `match` pins; 0 makes a target reachable by `match` only. */
  weight: z.number().int().min(0, 'weight is ≥ 0').max(1000, 'weight is at most 1000 (weights are relative)').default(1),
  /**
   * Version routing: any header equal to its value (`Accept` matches one listed media type), or any query
   * parameter under `query` equal to its value, sends the request here. Query rules are checked before header rules.
   */
  match: versionMatch.optional(),
});

export const circuitBreakerSchema = z.strictObject({
  /** Opens at this share of failed requests in the window, in percent. */
  failureRate: z.number().min(1).max(100).default(50),
  /** Requests the window must hold before the rate counts. */
  minimumRequests: z.number().int().min(1).default(20),
  windowSeconds: z.number().int().min(1).max(3600).default(30),
  /** How long an open circuit fails fast before probing. */
  openSeconds: z.number().min(1).max(3600).default(30),
  /** Probes a half-open circuit lets through at once (per instance). */
  halfOpenProbes: z.number().int().min(1).max(100).default(1),
  /** Upstream statuses counted as failures (timeouts and connection errors always are). @default every 5xx */
  failureStatuses: z.array(status('a failure status')).min(1).optional(),
  /** `shared`: state shared by every instance through DynamoDB; `local`: each Lambda instance decides alone. */
  state: z.enum(['shared', 'local']).default('shared'),
});

export const retriesSchema = z.strictObject({
  /** Retries after the first attempt (idempotent methods, or requests with an Idempotency-Key, only). */
  attempts: z.number().int().min(0).max(10).default(2),
  /** Cap of the first backoff (full jitter), doubling per retry. */
  baseDelayMs: z.number().int().min(0).max(60_000).default(50),
  maxDelayMs: z.number().int().min(0).max(60_000).default(1_000),
  /** Upstream statuses worth another attempt. */
  onStatuses: z.array(status('a retry status').min(400, 'retry only on error statuses (400–599)')).default([502, 503, 504]),
  /** Most extra load retries may add, in percent of requests, so retries cannot multiply an outage. */
  budgetPercent: z.number().min(0).max(100).default(10),
});

export const fallbackSchema = z
  .strictObject({
    status: status('status').default(503),
    headers: z.record(headerName, z.string()).default({}),
    /** A JSON body (sent with Content-Type: application/json). */
    json: jsonValue.optional(),
    /** A text body (Content-Type from `headers`, text/plain by default). */
    body: z.string().optional(),
  })
  .refine((f) => f.json === undefined || f.body === undefined, { message: 'give either json or body, not both', path: ['body'] });

export const lastGoodSchema = z.strictObject({
  /** How long a response stays servable once stored. */
  ttlSeconds: z.number().int().min(1).max(86_400),
  /** Responses kept per Lambda instance. */
  maxEntries: z.number().int().min(1).max(10_000).default(100),
  /** Largest response body kept. */
  maxBodyKb: z.number().int().min(1).max(6_144).default(256),
  /**
   * Request headers whose values are part of a copy's key, besides Authorization, Cookie and X-Api-Key
   * (e.g. a service's own `X-Auth-Token`, or `Accept-Language`). The upstream's `Vary` is honoured too.
   */
  varyHeaders: z
    .array(headerName)
    .max(20)
    .default([])
    .refine(
      (names) => new Set(names.map((n) => n.toLowerCase())).size === names.length,
      'list each header once (names are case-insensitive)',
    ),
  /**
   * The service's GET answers are the same for every caller. Without it, a route without gateway auth
   * keeps only answers the upstream marks shareable (`public`, `s-maxage`, or `max-age` without `private`).
   */
  sharedAnswers: z.boolean().default(false),
});

export const proxyFunctionSchema = z.strictObject({
  memoryMb: z.number().int().min(128).max(10_240).default(256),
  /** Concurrency reserved for (and capping) this service's proxy. @default - the account's unreserved pool */
  reservedConcurrency: z.number().int().min(1).optional(),
  /** Place the function in a VPC to reach internal upstreams. */
  vpc: z
    .strictObject({
      subnetIds: z
        .array(orToken(z.string().regex(/^subnet-[0-9a-f]+$/, 'a subnet id looks like subnet-0123456789abcdef0')))
        .min(1, 'list at least one subnet'),
      securityGroupIds: z
        .array(orToken(z.string().regex(/^sg-[0-9a-f]+$/, 'a security group id looks like sg-0123456789abcdef0')))
        .min(1, 'list at least one security group'),
    })
    .optional(),
});

export const serviceSchema = z
  .strictObject({
    /** Upstream base URL; the route's path (after stripPath) is appended to it. Or list `targets`. */
    url: upstreamUrl.optional(),
    /** A service inside a VPC, reached through a VPC link; `url` is then the Host and path the upstream expects. */
    private: privateSchema.optional(),
    /** Several upstreams: weighted (canary, blue/green) and/or pinned by header (versions). */
    targets: z.array(targetSchema).min(1, 'list at least one target, or give a single url').optional(),
    /** The upstream is this Lambda function (ARN, name or name:alias), invoked through AWS_PROXY. Or give url/targets. */
    lambda: lambdaFunctionSchema.optional(),
    /** Event version a Lambda service receives on HTTP APIs; REST APIs always send 1.0. @default "2.0" on HTTP APIs */
    payload: lambdaPayloadSchema.optional(),
    /** Deadline of one upstream call in milliseconds (with retries: of each attempt). */
    timeoutMs: z
      .number()
      .int()
      .min(REST_INTEGRATION_TIMEOUT_MIN_MS, `timeoutMs must be at least ${REST_INTEGRATION_TIMEOUT_MIN_MS} ms`)
      .max(
        REST_INTEGRATION_TIMEOUT_MAX_MS,
        `timeoutMs must be at most ${REST_INTEGRATION_TIMEOUT_MAX_MS} ms, API Gateway's REST integration limit (29 s)`,
      )
      .default(10_000),
    description: z.string().optional(),
    /**
     * Accept http:// upstreams called across the internet: requests then carry bearer tokens and identity
     * headers in clear. Not needed when the service's proxy is in the upstream's VPC (proxy.vpc).
     */
    allowPlaintext: z.boolean().default(false),
    /**
     * REST APIs: API Gateway presents its client certificate (`AWS::ApiGateway::ClientCertificate` on the
     * stage) when it calls this https:// upstream directly, so the upstream can trust only its gateway.
     */
    clientCertificate: z.boolean().default(false),
    transform: z
      .strictObject({
        request: requestTransformSchema.optional(),
        response: responseTransformSchema.optional(),
      })
      .optional(),
    circuitBreaker: circuitBreakerSchema.optional(),
    retries: retriesSchema.optional(),
    fallback: fallbackSchema.optional(),
    /** GET only: serve the last good response while the upstream fails. */
    lastGood: lastGoodSchema.optional(),
    /** The service's proxy Lambda, when its routes need one. */
    proxy: proxyFunctionSchema.prefault({}),
  })
  .superRefine((service, ctx) => {
    // Checked here rather than in rules.ts so a missing upstream is reported even when other parts of the spec are invalid.
    if (service.lambda !== undefined && (service.url !== undefined || service.targets !== undefined)) {
      const other = service.url !== undefined ? 'url' : 'targets';
      ctx.addIssue({
        code: 'custom',
        path: [other],
        message: `give either lambda (a Lambda function API Gateway invokes) or ${other} (HTTP upstreams), not both`,
      });
    } else if (service.url !== undefined && service.targets !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['targets'], message: 'give either url (one upstream) or targets (several), not both' });
    } else if (service.url === undefined && service.targets === undefined && service.lambda === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message:
          'required field is missing (expected string): the upstream base URL, e.g. http://user-svc.internal:8080, or a list of targets, or a Lambda function (lambda)',
      });
    }
    if (service.payload !== undefined && service.lambda === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['payload'],
        message: 'payload is the event version a Lambda function receives: it needs lambda, or remove it',
      });
    }
  });

export type ServiceSpec = z.output<typeof serviceSchema>;
export type TargetSpec = z.output<typeof targetSchema>;

/** A target's `match` split into its header pins and its `query` pins. */
export function versionMatchOf(match: VersionMatch | undefined): { headers: Record<string, string>; query: Record<string, string> } {
  const { query = {}, ...headers } = match ?? {};
  // The schema allows an object only under `query`.
  return { headers: headers as Record<string, string>, query: { ...query } };
}
