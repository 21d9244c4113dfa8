// The aggregator's slice of the plan: one BFF fan-out route, baked into its bundle at synth and read once at init.
import type { LambdaInvokeTarget } from './lambda-target';
import { checkLambdaTarget, isLambdaLabel } from './lambda-target-check';
import type { RetryPolicy } from './retry-policy';
import type { JsonValue, ProxyBreakerConfig, ProxyCors } from './proxy-config';
import { partDependencies, topologicalOrder } from './part-order';
import { parseSelectPath } from './select-path';
import { REQUEST_SOURCES } from './aggregate-template';

export type { JsonValue } from './proxy-config';

/** One upstream call of the aggregate; its JSON answer lands under the part's name. */
export interface PartConfig {
  /** The spec's service name: breaker keys, logs. */
  readonly service: string;
  /**
   * Base URL of the service (http or https, no query); the rendered path is appended to it. For a Lambda
   * service, `lambdaTargetLabel(lambda)` (a label, never fetched).
   */
  readonly url: string;
  /** The service is this Lambda function, invoked with the AWS SDK (the rendered path goes into its event). */
  readonly lambda?: LambdaInvokeTarget;
  /**
   * Name of the service's target at `url`: with it the part's breaker is the proxy's (`breakerKey`),
   * shared in the state table. @default - a breaker of its own, keyed by service and url
   */
  readonly target?: string;
  /**
   * Path and optional query with placeholders: `{claims.x}`, `{path.x}`, `{query.x}` from the request,
   * `{<part>.<dot.path>}` from another part's answer (this part then waits for that one).
   */
  readonly pathTemplate: string;
  readonly method: 'GET';
  /** Deadline of each attempt, in ms; cut further to what is left of the aggregate's `deadlineMs`. */
  readonly timeoutMs: number;
  /** An optional part that fails is answered by `fallback` (or null) and listed in `partial`; a required one fails the request. */
  readonly optional: boolean;
  /** Only for optional parts. @default null */
  readonly fallback?: JsonValue;
  /** Absent: a single attempt. */
  readonly retry?: RetryPolicy;
  /** Absent: no breaker. */
  readonly circuitBreaker?: ProxyBreakerConfig;
  /** Client request headers copied to this part (lower-case), e.g. `authorization`, `accept-language`. */
  readonly forwardHeaders: readonly string[];
}

export interface AggregatorConfig {
  readonly gateway: string;
  /** The route's path as API Gateway sees it, e.g. `/api/dashboard`. */
  readonly route: string;
  /** Keyed by part name; the response object keeps this order. */
  readonly parts: Readonly<Record<string, PartConfig>>;
  /** Deadline of the whole request, in ms: below API Gateway's 29 s integration timeout so the client gets our 504, not the gateway's. */
  readonly deadlineMs: number;
  /** Projection: dot paths kept from the merged object, `[]` for every element of an array (`orders[].id`). Absent: everything. */
  readonly select?: readonly string[];
  readonly cors?: ProxyCors;
  /** Caller's correlation header, forwarded to every part: set to the gateway's request id when the client sent none. */
  readonly correlationHeader: string;
  /** Always carries API Gateway's request id to every part. */
  readonly gatewayRequestIdHeader: string;
  /** Responses at least this big are compressed when the client accepts gzip or br. */
  readonly compressMinBytes: number;
  /** Largest body one part may answer, in bytes. @default DEFAULT_MAX_PART_BYTES */
  readonly maxPartBytes?: number;
  /** Most extra load retries may add per upstream, as a share of requests. @default 0.1 */
  readonly retryBudgetRatio?: number;
}

/** The constant the bundle's config is injected as (esbuild `define`). */
export const AGGREGATOR_CONFIG_GLOBAL = '__GATEHOUSE_AGGREGATOR_CONFIG__';

/** 1 MiB per part: a BFF part is a small document; a bigger one is a bug upstream, and six would not fit Lambda's 6 MB response. */
export const DEFAULT_MAX_PART_BYTES = 1024 * 1024;

/** API Gateway's default integration timeout (29 s): past it the client gets the gateway's 504, not ours. */
export const INTEGRATION_TIMEOUT_MS = 29_000;

/** Keys of the response object besides the parts' names. */
const RESERVED_NAMES: ReadonlySet<string> = new Set([...REQUEST_SOURCES, 'partial']);

const PART_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Headers the aggregator sets itself on every part call, so a forwarded copy would conflict. */
const UNFORWARDABLE: ReadonlySet<string> = new Set(['accept', 'accept-encoding', 'host', 'content-length', 'connection']);

/**
 * Checks what the planner baked, once at init. Misuse (unknown sources, cycles, bad placeholders or
 * limits) throws a `TypeError` naming the part and showing the bad value. Returns the parts in an
 * order where every part comes after the parts it uses.
 */
export function checkAggregatorConfig(config: AggregatorConfig): string[] {
  const names = Object.keys(config.parts ?? {});
  if (names.length === 0) throw new TypeError(`aggregate ${config.route}: parts is empty`);
  positive('deadlineMs', config.deadlineMs, INTEGRATION_TIMEOUT_MS - 1);
  wholeNumber('compressMinBytes', config.compressMinBytes);
  if (config.maxPartBytes !== undefined) positive('maxPartBytes', config.maxPartBytes, Number.MAX_SAFE_INTEGER);
  for (const header of [config.correlationHeader, config.gatewayRequestIdHeader]) {
    if (typeof header !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) {
      throw new TypeError(`aggregate ${config.route}: ${JSON.stringify(header)} is not a header name`);
    }
  }
  for (const name of names) checkPart(name, config.parts[name] as PartConfig);
  const order = topologicalOrder(partDependencies(config.parts));
  for (const path of config.select ?? []) {
    const [first] = parseSelectPath(path);
    if (first === undefined || !names.includes(first.key)) {
      throw new TypeError(`select path ${JSON.stringify(path)} names no part (parts: ${names.join(', ')})`);
    }
  }
  return order;
}

function checkPart(name: string, part: PartConfig): void {
  const where = `part ${JSON.stringify(name)}`;
  if (!PART_NAME.test(name)) throw new TypeError(`${where}: a part name is a letter or _ followed by letters, digits, _ or -`);
  if (RESERVED_NAMES.has(name)) throw new TypeError(`${where}: the name is reserved (${[...RESERVED_NAMES].join(', ')})`);
  if (part.lambda !== undefined) checkLambdaTarget(part.lambda, part.url, where);
  else checkUrl(where, part.url);
  if (part.method !== 'GET') throw new TypeError(`${where}: method must be GET, got ${JSON.stringify(part.method)}`);
  positive(`${where}: timeoutMs`, part.timeoutMs, INTEGRATION_TIMEOUT_MS);
  if (!part.optional && part.fallback !== undefined) throw new TypeError(`${where}: a fallback is only used by an optional part`);
  for (const header of part.forwardHeaders) {
    if (UNFORWARDABLE.has(header.toLowerCase()))
      throw new TypeError(`${where}: forwardHeaders may not include ${header}: the aggregator sets it`);
  }
}

function checkUrl(where: string, text: string): void {
  if (isLambdaLabel(text))
    throw new TypeError(`${where}: url ${JSON.stringify(text)} is a Lambda label, but the part has no lambda field to invoke`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`${where}: url ${JSON.stringify(text)} is not a URL`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') {
    throw new TypeError(`${where}: url must be http: or https: without query or fragment, got ${JSON.stringify(text)}`);
  }
}

function positive(field: string, value: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    throw new TypeError(`${field} must be a number above 0 and at most ${max}, got ${String(value)}`);
  }
}

function wholeNumber(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`${field} must be a whole number of bytes, got ${String(value)}`);
}
