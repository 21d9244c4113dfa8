// The resilient proxy's core: a REST (1.0) or HTTP API (2.0) proxy event in; the upstream's answer, a degraded one, or a typed error out.
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { BasePersistenceLayer } from '../shared/breaker/persistence/base-persistence-layer';
import type { BreakerHooks } from '../shared/breaker/shared-circuit-breaker';
import type { CounterStore } from '../shared/rate-limit/counter-store';
import type { RateLimitHooks } from '../shared/rate-limit/rate-limiter';
import { LAMBDA_PAYLOAD_LIMIT_BYTES, type UpstreamRequest, type UpstreamResponse } from '../shared/http-client';
import { countMetric, countMetricBy, logger as sharedLogger, metrics as sharedMetrics, publishMetrics } from '../shared/observability';
import { sendableHeaders } from '../shared/header-values';
import { RetryBudget } from '../shared/retry-budget';
import { SHARED_STATE_BUDGET_MS, stateWait, type StateWait } from '../shared/state-budget';
import { resolveRetryPolicy, type RetryPolicy } from '../shared/retry-policy';
import type { ProxyConfig, ProxyTarget } from '../contract/proxy-config';
import { checkProxyConfig } from './config-check';
import { usesRouteParameters } from '../contract/route-parameters';
import { withCors } from '../shared/apigw/cors';
import { fallbackResponse, LastGoodCache, lastGoodKey, markDegraded } from './degradation';
import { ProxyError } from './errors';
import { readEvent, type ClientRequest } from './event';
import { headersOf } from '../shared/apigw/request-headers';
import { servingBothPayloads, type BothPayloadsHandler } from '../shared/apigw/payload-v2';
import { forwardedHeaders } from './forwarded-headers';
import { DEGRADED_REASON_DIMENSION, ERROR_CODE_DIMENSION, METRIC } from '../contract/proxy-metrics';
import { exceedsLambdaPayload, toProxyResult } from '../shared/apigw/proxy-result';
import { errorResponse } from './error-response';
import { RouteRateLimits } from './rate-limits';
import { INVALID_REQUEST_CODE, RouteValidators } from './request-validation';
import { TargetBreakers } from './target-breakers';
import { selectTarget } from './target-selection';
import {
  transformRequest,
  transformResponse,
  withRouteParameters,
  type HeaderMap,
  type ProxyRequestMessage,
  type ProxyResponseMessage,
} from './transform';
import { callTarget } from './upstream-call';
import { lambdaSendFor } from './lambda-upstream';
import { preloadLambdaCaller } from '../shared/lambda-sender';

/** REST APIs send payload 1.0 and get a 1.0 result; HTTP APIs send 2.0 and get a 2.0 one. */
export type ProxyHandler = BothPayloadsHandler;

export interface ProxyDeps {
  /** Where breakers with `store: dynamodb` share state. @default the table named by env GATEHOUSE_BREAKER_TABLE (see createBreakers) */
  readonly breakerStore?: BasePersistenceLayer;
  /** @default `breakerObservability()` on the logger */
  readonly breakerHooks?: BreakerHooks;
  /** Clock in epoch ms for breakers, budgets, the deadline and kept copies. @default Date.now */
  readonly now?: () => number;
  /** Uniform in [0, 1): weighted routing and backoff jitter. @default Math.random */
  readonly random?: () => number;
  /** Backoff between attempts. @default timers/promises setTimeout */
  readonly sleep?: (ms: number) => Promise<unknown>;
  /** @default the shared Powertools logger */
  readonly logger?: Logger;
  /** @default the shared Powertools metrics */
  readonly metrics?: Metrics;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where rate-limit counters are kept. @default DynamoDB on env GATEHOUSE_RATE_LIMIT_TABLE */
  readonly rateLimitStore?: CounterStore;
  /** @default `rateLimitObservability()` on the logger and metrics */
  readonly rateLimitHooks?: RateLimitHooks;
  /** The longest one wait of a request on shared state (breaker or counter table) lasts. @default SHARED_STATE_BUDGET_MS */
  readonly stateBudgetMs?: number;
}

/** `config.retry` absent: one attempt. */
const SINGLE_ATTEMPT: RetryPolicy = resolveRetryPolicy({ retries: 0 });

/** Codes that mean the proxy or its config is wrong, not the client or the upstream: logged as errors and alarmed on. */
const INTERNAL_CODES: ReadonlySet<string> = new Set(['proxy_error', 'route_not_configured']);

/** What the per-request log line says; never header values (Authorization, Cookie, X-Api-Key stay out of logs). */
interface RequestLog {
  requestId?: string;
  /** The caller's correlation id, or the gateway request id sent in its place: what the saved Logs Insights query looks for. */
  correlationId?: string;
  method?: string;
  resource?: string;
  status?: number;
  target?: string;
  attempts?: number;
  stoppedBy?: string;
  upstreamStatus?: number;
  upstreamMs?: number;
  reusedConnection?: boolean;
  degraded?: string;
  code?: string;
  durationMs?: number;
}

/**
 * Builds the handler once per container: breakers, retry budgets and the last-good cache live as long
 * as it does. Throws TypeError for a config no request could use (a planner bug, caught at init).
 */
export function createProxy(config: ProxyConfig, deps: ProxyDeps = {}): ProxyHandler {
  checkProxyConfig(config);
  const runtime = proxyRuntime(config, deps);
  // The SDK loads during Lambda's init phase, not inside the first request's attempt timeout.
  if (config.targets.some((target) => target.lambda !== undefined)) void preloadLambdaCaller();
  return servingBothPayloads((event) => handleEvent(runtime, event));
}

/** What the handler builds once per container and every request uses. */
interface ProxyRuntime {
  readonly config: ProxyConfig;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly now: () => number;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<unknown>;
  readonly retry: RetryPolicy;
  readonly failureStatuses: ReadonlySet<number>;
  readonly breakers: TargetBreakers;
  readonly budgets: ReadonlyMap<string, RetryBudget>;
  readonly lastGood: LastGoodCache | undefined;
  readonly sharedState: StateWait;
  readonly rateLimits: RouteRateLimits;
  readonly validators: RouteValidators;
  /** Only a transform whose values use `{path.name}` is rebuilt per request. */
  readonly fillsRouteParameters: boolean;
}

function proxyRuntime(config: ProxyConfig, deps: ProxyDeps): ProxyRuntime {
  const log = deps.logger ?? sharedLogger;
  const metrics = deps.metrics ?? sharedMetrics;
  const now = deps.now ?? Date.now;
  // Built in the order they always were: a bad retry setting throws before a breaker store is chosen (and warned about).
  const retry = config.retry === undefined ? SINGLE_ATTEMPT : resolveRetryPolicy(config.retry);
  const breakers = new TargetBreakers(config, {
    store: deps.breakerStore,
    hooks: deps.breakerHooks,
    env: deps.env ?? process.env,
    logger: log,
    metrics,
    now,
  });
  const budgetMs = deps.stateBudgetMs ?? SHARED_STATE_BUDGET_MS;
  return {
    config,
    log,
    metrics,
    now,
    random: deps.random ?? Math.random,
    sleep: deps.sleep ?? sleepFor,
    retry,
    failureStatuses: new Set(config.circuitBreaker?.failureStatuses ?? []),
    breakers,
    budgets: new Map(config.targets.map((target) => [target.name, new RetryBudget({ ratio: config.retryBudgetRatio }, { now })])),
    lastGood: config.lastGood === undefined ? undefined : new LastGoodCache(config.lastGood, now),
    sharedState: stateWait(log, budgetMs),
    rateLimits: new RouteRateLimits(config, {
      store: deps.rateLimitStore,
      hooks: deps.rateLimitHooks,
      logger: log,
      metrics,
      now,
      budgetMs,
    }),
    validators: new RouteValidators(config),
    fillsRouteParameters: usesRouteParameters(config.transform.request),
  };
}

/** One request, start to finish: the answer or the proxy's own error, one log line, the metrics flushed. Never throws. */
async function handleEvent(runtime: ProxyRuntime, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const { config, breakers, sharedState, log, metrics } = runtime;
  const started = performance.now();
  const line: RequestLog = { requestId: event.requestContext?.requestId, method: event.httpMethod, resource: event.resource };
  let requestHeaders: HeaderMap | undefined;
  let result: APIGatewayProxyResult;
  try {
    const request = readEvent(event, config);
    requestHeaders = request.headers;
    line.correlationId = request.headers[config.correlationHeader.toLowerCase()]?.find((value) => value.trim() !== '') ?? line.requestId;
    result = await answer(runtime, request, event, line);
  } catch (error) {
    result = errorResult(runtime, error, requestHeaders ?? safeHeaders(event), line);
  }
  // Store writes started by this request finish before Lambda may freeze the container, within the budget:
  // one still pending then is ended by the client's own timeouts, and reported by the breaker's hooks.
  await sharedState.settle(breakers.settled(), 'the breaker table');
  line.status = result.statusCode;
  line.durationMs = Math.round(performance.now() - started);
  log.info('proxy request', { ...line });
  publishMetrics(metrics);
  return result;
}

/** Rate limit, then validation, then the upstream; the answer with CORS as API Gateway's proxy result. Throws ProxyError. */
async function answer(
  runtime: ProxyRuntime,
  request: ClientRequest,
  event: APIGatewayProxyEvent,
  line: RequestLog,
): Promise<APIGatewayProxyResult> {
  const { config, rateLimits, sharedState, breakers, validators, now } = runtime;
  // Before anything else: a refused request must not reach the upstream, nor count against its breaker.
  // The breakers' first read and the limit check share one shared-state budget, outside the upstream's deadline.
  const [limited] = await Promise.all([rateLimits.check(request.route, event), sharedState.settle(breakers.ready, 'the breaker table')]);
  if (limited?.refusal) line.code = limited.refusal.status === 429 ? 'rate_limited' : 'rate_limit_unavailable';
  // A refused request still counted against the limit; an invalid one never reaches the upstream.
  const invalid = limited?.refusal ? undefined : await validators.check(request.route, request);
  if (invalid) line.code = INVALID_REQUEST_CODE;
  const response =
    limited?.refusal ?? withHeaders(invalid ?? (await serve(runtime, request, now() + config.deadlineMs, line)), limited?.headers);
  const result = toProxyResult(withCors(response, request.headers, config.cors));
  if (exceedsLambdaPayload(result)) {
    throw new ProxyError('upstream_too_large', 502, upstreamErrorMessage('upstream_too_large'));
  }
  return result;
}

/** The proxy's own answer to what went wrong, with CORS; what means the proxy or its config is wrong is logged and alarmed on. */
function errorResult(runtime: ProxyRuntime, error: unknown, requestHeaders: HeaderMap, line: RequestLog): APIGatewayProxyResult {
  const { config, log, metrics } = runtime;
  const refusal = proxyErrorOf(error);
  line.code = refusal.code;
  if (refusal.code === 'payload_too_large') countMetric(METRIC.payloadTooLarge, metrics);
  if (INTERNAL_CODES.has(refusal.code)) {
    countMetric(METRIC.internalError, metrics);
    log.error('proxy failed', { requestId: line.requestId, error: describeError(error) });
  }
  return toProxyResult(withCors(errorResponse(refusal), requestHeaders, config.cors));
}

/** The request transformed and sent to the target the breakers and version rules allow; its answer, a degraded one or an error. */
async function serve(runtime: ProxyRuntime, request: ClientRequest, deadlineAt: number, line: RequestLog): Promise<ProxyResponseMessage> {
  const { config, breakers, lastGood, metrics, random } = runtime;
  const { outgoing, headers, query } = outgoingRequest(runtime, request);
  const selection = selectTarget(config.targets, config.versionRules, request, (target) => breakers.admit(target), random);
  const key =
    lastGood === undefined
      ? undefined
      : lastGoodKey(request, query, selection.pinned && selection.kind === 'chosen' ? selection.target.name : undefined, config.lastGood!);
  if (selection.kind === 'refused') return circuitOpenAnswer(runtime, selection.refused, key, line, request);

  const { target, permit } = selection;
  line.target = target.name;
  const result = await callTarget(
    upstreamRequest({ ...outgoing, headers }, target.url, query),
    { timeoutMs: config.timeoutMs, deadlineAt, retry: runtime.retry, maxResponseBytes: LAMBDA_PAYLOAD_LIMIT_BYTES },
    {
      budget: runtime.budgets.get(target.name)!,
      breaker: breakers.of(target),
      permit,
      failureStatuses: runtime.failureStatuses,
      random,
      sleep: runtime.sleep,
      now: runtime.now,
      send: lambdaSendFor(target, request, config, runtime.log),
    },
  );
  line.attempts = result.attempts;
  line.stoppedBy = result.stoppedBy;
  if (result.attempts > 1) metrics.addMetric(METRIC.retries, MetricUnit.Count, result.attempts - 1);
  if (result.stoppedBy === 'budget-exhausted') countMetric(METRIC.retryBudgetExhausted, metrics);

  if (result.outcome.kind === 'error') {
    const { error } = result.outcome;
    line.code = error.code;
    countMetricBy(METRIC.upstreamError, ERROR_CODE_DIMENSION, error.code, metrics);
    return (
      degradedAnswer(runtime, key, line, request) ??
      errorResponse(new ProxyError(error.code, error.statusCode, upstreamErrorMessage(error.code), { cause: error }))
    );
  }
  return upstreamAnswer(runtime, result.outcome.response, key, line, request);
}

/** The client's request after the forwarded headers and the request transform, with the headers HTTP can carry and the encoded query. */
function outgoingRequest(
  runtime: ProxyRuntime,
  request: ClientRequest,
): { outgoing: ProxyRequestMessage; headers: HeaderMap; query: string } {
  const { config, log } = runtime;
  const requestTransform = runtime.fillsRouteParameters
    ? withRouteParameters(config.transform.request!, request.routeParameters)
    : config.transform.request;
  const outgoing = transformRequest(
    {
      method: request.method,
      path: request.upstreamPath,
      query: request.query,
      headers: forwardedHeaders(request, config),
      body: request.body,
    },
    requestTransform,
  );
  // A value HTTP cannot carry (e.g. `X-Name: 日本`) is the client's problem, not an alarm: drop it and say so.
  const sendable = sendableHeaders(outgoing.headers);
  if (sendable.dropped.length > 0) {
    log.warn('request header values outside what HTTP carries (Latin-1, no control characters) were not forwarded', {
      requestId: request.requestId,
      headers: sendable.dropped,
    });
  }
  return { outgoing, headers: sendable.headers, query: encodeQuery(outgoing.query) };
}

/** Every eligible target's breaker is open: a degraded answer (a fallback saying when to come back), else 503 with Retry-After. */
function circuitOpenAnswer(
  runtime: ProxyRuntime,
  refused: readonly ProxyTarget[],
  key: string | undefined,
  line: RequestLog,
  request: ClientRequest,
): ProxyResponseMessage {
  const { config, breakers, metrics } = runtime;
  countMetric(METRIC.circuitOpenRejected, metrics);
  line.target = refused.map((target) => target.name).join(',');
  const retryAfterSeconds = breakers.retryAfterSeconds(refused);
  line.code = 'circuit_open';
  const answer = degradedAnswer(runtime, key, line, request);
  // A fallback stands in for the 503, so it says when to come back as the 503 would.
  if (answer !== undefined && line.degraded === 'fallback')
    return { ...answer, headers: { ...answer.headers, 'retry-after': [String(retryAfterSeconds)] } };
  return (
    answer ??
    errorResponse(new ProxyError('circuit_open', 503, `${config.service} is unavailable: its circuit is open`, { retryAfterSeconds }))
  );
}

/** The upstream's answer, transformed; a 5xx stays honest unless the config asks for a degraded answer; a success may be kept. */
function upstreamAnswer(
  runtime: ProxyRuntime,
  upstream: UpstreamResponse,
  key: string | undefined,
  line: RequestLog,
  request: ClientRequest,
): ProxyResponseMessage {
  const { config, lastGood, metrics } = runtime;
  countMetric(METRIC.forwarded, metrics);
  line.upstreamStatus = upstream.status;
  line.upstreamMs = Math.round(upstream.timings.totalMs);
  line.reusedConnection = upstream.reusedConnection;
  const response = transformResponse(
    { status: upstream.status, headers: copyHeaders(upstream.headers), body: upstream.body },
    config.transform.response,
  );
  if (response.status >= 500) {
    countMetric(METRIC.upstream5xx, metrics);
    // Honest by default: the upstream's own 5xx, unless the config asks for a degraded answer.
    return degradedAnswer(runtime, key, line, request) ?? response;
  }
  if (key !== undefined) lastGood?.keep(key, request, response);
  return response;
}

/** A kept copy (GET only), else the fallback, else nothing. */
function degradedAnswer(
  runtime: ProxyRuntime,
  key: string | undefined,
  line: RequestLog,
  request: ClientRequest,
): ProxyResponseMessage | undefined {
  const { config, lastGood, metrics } = runtime;
  const kept = key === undefined ? undefined : lastGood?.fresh(key, request);
  const reason = kept !== undefined ? 'last-good' : config.fallback !== undefined ? 'fallback' : undefined;
  if (reason === undefined) return undefined;
  line.degraded = reason;
  countMetricBy(METRIC.degraded, DEGRADED_REASON_DIMENSION, reason, metrics);
  if (kept !== undefined) return markDegraded(kept.response, config.degradedHeader, 'last-good', kept.ageSeconds);
  return markDegraded(fallbackResponse(config.fallback!), config.degradedHeader, 'fallback');
}

/** Adds headers the proxy owns (RateLimit-*) over the upstream's own. */
function withHeaders(response: ProxyResponseMessage, extra: HeaderMap | undefined): ProxyResponseMessage {
  if (extra === undefined || Object.keys(extra).length === 0) return response;
  return { ...response, headers: { ...response.headers, ...extra } };
}

/** The target URL's path, then the upstream path, then the query (names and values percent-encoded). */
function upstreamRequest(message: ProxyRequestMessage, base: string, query: string): UpstreamRequest {
  const url = `${base.replace(/\/+$/, '')}${message.path.startsWith('/') ? '' : '/'}${message.path}${query === '' ? '' : `?${query}`}`;
  // No body on a bodiless GET or HEAD, so no `Content-Length: 0` the upstream might frown on.
  const bodiless = message.body.length === 0 && (message.method === 'GET' || message.method === 'HEAD');
  return { method: message.method, url, headers: message.headers, ...(bodiless ? {} : { body: message.body }) };
}

export function encodeQuery(query: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(query)
    .flatMap(([name, values]) => values.map((value) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`))
    .join('&');
}

function copyHeaders(headers: Readonly<Record<string, readonly string[]>>): HeaderMap {
  return Object.fromEntries(Object.entries(headers).map(([name, values]) => [name, [...values]]));
}

function upstreamErrorMessage(code: string): string {
  switch (code) {
    case 'upstream_timeout':
      return 'the upstream did not answer in time';
    case 'upstream_too_large':
      return 'the upstream response is larger than a Lambda proxy can return';
    case 'upstream_bad_response':
      return 'the upstream answered with a malformed response';
    default:
      return 'the upstream could not be reached';
  }
}

function proxyErrorOf(error: unknown): ProxyError {
  if (error instanceof ProxyError) return error;
  return new ProxyError('proxy_error', 502, 'the gateway could not forward the request', { cause: error });
}

/** Headers of an event that failed to read, for CORS on the error answer; never throws. */
function safeHeaders(event: APIGatewayProxyEvent): HeaderMap {
  try {
    return headersOf(event);
  } catch {
    return {};
  }
}

function describeError(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { name: typeof error, message: String(error) };
}
