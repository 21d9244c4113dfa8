// The `aggregates` of a gateway: BFF routes that call several services in parallel and answer one merged JSON object.
import { z } from 'zod';
import { routeAuthSchema } from './auth-schema';
import { PROXY_DEADLINE_MAX_MS, REST_INTEGRATION_TIMEOUT_MIN_MS } from './limits';
import { throttleSchema } from './throttle-schema';
import { jsonValue, proxyFunctionSchema } from './service-schema';

/** Client headers copied to every part unless the aggregate lists its own. */
export const DEFAULT_FORWARD_HEADERS = ['authorization', 'accept-language'] as const;

/** Answers at least this big are compressed (br or gzip) when the client accepts it. */
export const DEFAULT_COMPRESS_MIN_BYTES = 1024;

/** Keys of the merged answer that are not parts: placeholder sources and the partial marker. */
export const RESERVED_PART_NAMES = ['claims', 'path', 'query', 'partial'] as const;

const SEGMENT = /^[A-Za-z0-9._~-]+$/;
/** `{id}`: one whole segment, filled by API Gateway's path parameter of that name. */
const PARAMETER_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** The parameter names of an aggregate path, in order: `/api/orders/{id}/summary` → `[id]`. */
export function aggregatePathParameters(path: string): string[] {
  return path
    .split('/')
    .map((segment) => PARAMETER_SEGMENT.exec(segment)?.[1])
    .filter((name): name is string => name !== undefined);
}

/** One exact path (no prefix matching: an aggregate is one resource with one GET); `{name}` segments are path parameters. */
const aggregatePath = z
  .string()
  .refine((p) => p.startsWith('/') && p !== '/', {
    message: 'an aggregate path starts with "/" and has at least one segment (e.g. /api/dashboard)',
    abort: true,
  })
  .refine((p) => !p.endsWith('/'), 'drop the trailing "/"')
  .refine(
    (p) =>
      p
        .slice(1)
        .split('/')
        .every((s) => SEGMENT.test(s) || PARAMETER_SEGMENT.test(s)),
    'path segments may use letters, digits and . _ ~ - only, or be a whole {name} parameter (e.g. /api/orders/{id}/summary); an aggregate path has no greedy {name+}',
  )
  .refine(
    (p) => new Set(aggregatePathParameters(p)).size === aggregatePathParameters(p).length,
    'each path parameter name may appear once',
  );

/** Names the aggregate in `from` references, construct ids and explain; defaults to the path's last segment. */
export const aggregateName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._~-]{0,62}$/, 'an aggregate name uses letters, digits and . _ ~ - (at most 63 characters)');

const partName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'a part name is a letter or _ followed by letters, digits, _ or - (it becomes a key of the answer)')
  .refine(
    (n) => !(RESERVED_PART_NAMES as readonly string[]).includes(n),
    `a part may not be named ${RESERVED_PART_NAMES.join(', ')} (reserved keys of the answer)`,
  );

const forwardHeader = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "a header name uses letters, digits and -_.!#$%&'*+^`|~ (no spaces or colons)")
  .transform((h) => h.toLowerCase());

const timeoutMs = (what: string) =>
  z
    .number()
    .int()
    .min(REST_INTEGRATION_TIMEOUT_MIN_MS, `${what} must be at least ${REST_INTEGRATION_TIMEOUT_MIN_MS} ms`)
    .max(
      PROXY_DEADLINE_MAX_MS,
      `${what} must be at most ${PROXY_DEADLINE_MAX_MS} ms, so the aggregator answers before API Gateway's 29 s integration timeout`,
    );

export const aggregatePartSchema = z
  .strictObject({
    /** Name of an entry under `services`: its url (first target), timeoutMs, retries and circuitBreaker apply. */
    service: z.string(),
    /** Path and query appended to the service's url; `{claims.x}`, `{path.x}` (a parameter of the aggregate's path), `{query.x}` and `{<part>.<dot.path>}` are filled in URL-encoded. */
    path: z.string().startsWith('/', 'a part path starts with "/" (it is appended to the service url), e.g. /users/{claims.sub}'),
    /** An optional part that fails is answered by `fallback` (or null) and listed in `partial`; a required one fails the request. */
    optional: z.boolean().default(false),
    /** Deadline of each attempt. @default the service's timeoutMs */
    timeoutMs: timeoutMs('timeoutMs').optional(),
    /** What an optional part answers when it fails. @default null */
    fallback: jsonValue.optional(),
  })
  .refine((p) => p.optional || p.fallback === undefined, {
    message: 'a fallback is only used by an optional part: add optional: true',
    path: ['fallback'],
  });

export const aggregateSchema = z
  .strictObject({
    /** @default the path's last segment */
    name: aggregateName.optional(),
    /** One exact path; `{name}` segments are path parameters (`/api/orders/{id}/summary`), which parts use as `{path.name}`. */
    path: aggregatePath,
    method: z.literal('GET', 'an aggregate answers GET only (its parts are reads)').default('GET'),
    /** Who may call it, as for routes; `{claims.x}` placeholders need `auth: jwt`. */
    auth: routeAuthSchema.optional(),
    /** Require an API key of a consumer on one of the gateway's plans. */
    apiKey: z.boolean().default(false),
    /** Its own throttle on the stage, as for routes: a fan-out costs its parts' calls per request. */
    throttle: throttleSchema.optional(),
    /** The calls, by the key each answer lands under. Either parts or from. */
    parts: z
      .record(partName, aggregatePartSchema)
      .refine((parts) => Object.keys(parts).length > 0, 'list at least one part')
      .optional(),
    /** `<gateway>.<aggregate name>`: reuse that aggregate's parts (and deadlineMs, forwardHeaders unless set here). */
    from: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,62}\.[A-Za-z0-9][A-Za-z0-9._~-]*$/, 'from is <gateway>.<aggregate name>, e.g. web.dashboard')
      .optional(),
    /** Dot paths kept from the merged answer, `[]` for each element of an array: `[profile.name, orders[].id]`. @default everything */
    select: z.array(z.string().min(1)).min(1, 'list at least one path, or leave select out to keep everything').optional(),
    /** Deadline of the whole request. @default the slowest chain of dependent parts' worst case (attempts and backoff), at most 28000 */
    deadlineMs: timeoutMs('deadlineMs').optional(),
    /** Client request headers copied to every part. @default [authorization, accept-language] */
    forwardHeaders: z.array(forwardHeader).optional(),
    /** Answers at least this big are compressed (br, else gzip) for clients that accept it. */
    compressMinBytes: z.number().int().min(0).default(DEFAULT_COMPRESS_MIN_BYTES),
    /** The aggregator Lambda: memory, reserved concurrency, VPC placement. */
    aggregator: proxyFunctionSchema.prefault({}),
  })
  .superRefine((a, ctx) => {
    if (a.parts !== undefined && a.from !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: 'give either parts (a new aggregate) or from (reuse another one), not both',
      });
    } else if (a.parts === undefined && a.from === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['parts'],
        message: 'required field is missing: the parts to call, or from: <gateway>.<aggregate> to reuse another aggregate',
      });
    }
  });

export type AggregateSpec = z.output<typeof aggregateSchema>;
export type AggregatePartSpec = z.output<typeof aggregatePartSchema>;

/** The aggregate's name as `from` references it: `name`, else the path's last literal segment (`/api/orders/{id}/summary` → `summary`), else its last parameter's name. */
export function aggregateNameOf(aggregate: { readonly name?: string; readonly path: string }): string {
  if (aggregate.name !== undefined) return aggregate.name;
  const segments = aggregate.path.slice(1).split('/');
  const literal = segments.filter((segment) => !PARAMETER_SEGMENT.test(segment)).at(-1);
  return literal ?? (segments.at(-1) ?? '').replace(/[{}]/g, '');
}
