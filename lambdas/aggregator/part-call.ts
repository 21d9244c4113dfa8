// Calls one part: the shared HTTP client with retries, budget and breaker, and the answer held to 2xx JSON under a size cap.
import { callUpstream, UpstreamError, type CallOptions, type UpstreamRequest, type UpstreamResponse } from '../shared/http-client';
import type { SharedCircuitBreaker } from '../shared/breaker/shared-circuit-breaker';
import { callWithRetries } from '../shared/retry-call';
import { lazyLambdaSender } from '../shared/lambda-sender';
import { lambdaTargetLabel } from '../contract/lambda-target';
import type { RetryBudget } from '../shared/retry-budget';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../shared/retry-policy';
import type { JsonValue, PartConfig } from '../contract/aggregator-config';
import { PartError, type RetryStats } from './errors';

/** A part without a retry policy gets one attempt: retries are opted into per part, as in the proxy. */
const SINGLE_ATTEMPT: RetryPolicy = Object.freeze({ ...DEFAULT_RETRY_POLICY, retries: 0 });

const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** What stays the same for every call of one part: created once per container. */
export interface PartClient {
  readonly name: string;
  readonly part: PartConfig;
  readonly budget: RetryBudget;
  /** Absent: no breaker. */
  readonly breaker?: SharedCircuitBreaker;
  readonly maxResponseBytes: number;
  /** Sends one attempt to an HTTP part (a Lambda part is always invoked). @default callUpstream */
  readonly call?: (request: UpstreamRequest, options: CallOptions) => Promise<UpstreamResponse>;
  /** Clock of `deadlineAt`, in ms. @default Date.now */
  readonly now?: () => number;
}

export interface PartRequest {
  /** The rendered path and query, appended to the part's base URL. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** When the whole aggregate must be done (on `now`'s clock): each attempt's timeout is cut to it. */
  readonly deadlineAt: number;
  /** API Gateway's request id: a Lambda part's event carries it in `requestContext`. @default '' */
  readonly requestId?: string;
}

export interface PartAnswer {
  readonly value: JsonValue;
  readonly attempts: number;
  readonly retries: RetryStats;
}

/** The part's parsed JSON, or a `PartError` with the code of what went wrong. */
export async function callPart(client: PartClient, request: PartRequest): Promise<PartAnswer> {
  const { part } = client;
  const send = part.lambda ? lazyLambdaSender(part.lambda, { requestId: request.requestId ?? '' }) : (client.call ?? callUpstream);
  // A Lambda part's url is its label: the rendered path and query follow it into the event, never a URL parser.
  const url = part.lambda ? `${lambdaTargetLabel(part.lambda)}${request.path}` : partUrl(part.url, request.path);
  const result = await callWithRetries(
    { method: part.method, url, headers: { ...request.headers, accept: 'application/json' } },
    {
      timeoutMs: part.timeoutMs,
      maxResponseBytes: client.maxResponseBytes,
      retry: part.retry ?? SINGLE_ATTEMPT,
      deadlineAt: request.deadlineAt,
    },
    {
      budget: client.budget,
      call: client.breaker ? guardedBy(client.breaker, part, send) : send,
      ...(client.now ? { now: client.now } : {}),
    },
  );
  const { outcome, attempts } = result;
  const retries: RetryStats = { retries: Math.max(attempts - 1, 0), budgetExhausted: result.stoppedBy === 'budget-exhausted' };
  if (outcome.kind === 'error') {
    throw new PartError(outcome.error.code, `${outcome.error.message} after ${attempts} attempt(s)`, { cause: outcome.error, retries });
  }
  return { value: parseJson(outcome.response, retries), attempts, retries };
}

/**
 * The base URL's path joined with the rendered one. The URL parser must leave the result as built:
 * one that it would rewrite (dot segments, backslashes) never leaves the aggregator.
 */
export function partUrl(base: string, path: string): URL {
  const baseUrl = new URL(base);
  const expected = baseUrl.pathname.replace(/\/+$/, '') + path;
  const url = new URL(expected, baseUrl.origin);
  if (url.pathname + url.search !== expected)
    throw new PartError('unsafe_path', `the URL parser rewrote ${expected} as ${url.pathname}${url.search}`);
  return url;
}

function parseJson(response: UpstreamResponse, retries: RetryStats): JsonValue {
  if (response.status < 200 || response.status > 299) {
    throw new PartError('upstream_status', `the part answered ${response.status}`, { upstreamStatus: response.status, retries });
  }
  const type = response.headers['content-type']?.[0] ?? '';
  const encoding = response.headers['content-encoding']?.[0] ?? 'identity';
  // We never send Accept-Encoding, so an encoded body is an upstream that ignores it: not JSON we can read.
  if (!JSON_MEDIA_TYPE.test(type) || encoding.toLowerCase() !== 'identity') {
    throw new PartError(
      'not_json',
      `the part answered ${JSON.stringify(type)}${encoding === 'identity' ? '' : ` (${encoding})`}, not JSON`,
      { retries },
    );
  }
  try {
    return JSON.parse(response.body.toString('utf8')) as JsonValue;
  } catch (cause) {
    throw new PartError('malformed_json', 'the part answered a JSON Content-Type with a body that does not parse', { cause, retries });
  }
}

/**
 * One attempt behind the part's breaker: refused at once when it is open (a `PartError`, which ends
 * the retries), counted as a failure on any client error or a status in `failureStatuses`.
 */
function guardedBy(
  breaker: SharedCircuitBreaker,
  part: PartConfig,
  send: NonNullable<PartClient['call']>,
): NonNullable<PartClient['call']> {
  const failureStatuses = part.circuitBreaker?.failureStatuses ?? [];
  return async (request, options) => {
    const permit = breaker.tryAcquire();
    if (permit === undefined) throw new PartError('circuit_open', `the circuit of ${breaker.key} is open`);
    try {
      const response = await send(request, options);
      if (failureStatuses.includes(response.status)) breaker.onFailure(permit);
      else breaker.onSuccess(permit);
      return response;
    } catch (error) {
      if (error instanceof UpstreamError) breaker.onFailure(permit);
      else breaker.release(permit);
      throw error;
    }
  };
}
