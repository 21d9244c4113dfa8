// Calls a Lambda target like an HTTP upstream: Invoke (RequestResponse) with an API Gateway event, the proxy result back as a response, failures in the HTTP client's shapes.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { performance } from 'node:perf_hooks';
import {
  UpstreamError,
  LAMBDA_PAYLOAD_LIMIT_BYTES,
  type CallOptions,
  type UpstreamRequest,
  type UpstreamResponse,
  type UpstreamErrorCode,
} from './http-client';
import {
  lambdaEvent,
  MalformedLambdaResult,
  readLambdaResult,
  type LambdaHttpRequest,
  type LambdaRequestContext,
} from './apigw/lambda-event';
import { lambdaTargetLabel, type LambdaInvokeTarget } from '../contract/lambda-target';

/**
 * Why an invoke did not give the function's own answer, besides a timeout or a broken connection
 * (which throw `UpstreamError` as for HTTP). Each is answered as an upstream status, so the breaker's
 * `failureStatuses`, the retry policy's `retryOnStatuses` (safe methods only) and the fallbacks apply
 * as they do to an HTTP upstream:
 * - `function_error` (502): the function threw or failed (`X-Amz-Function-Error: Unhandled | Handled`),
 *   as API Gateway answers a Lambda integration whose function fails.
 * - `function_throttled` (503, with Retry-After when Lambda gives one): Invoke answered 429
 *   `TooManyRequestsException`: the function's concurrency is used up; the function did not run.
 * - `lambda_unavailable` (502): the Lambda service answered a 5xx (ServiceException, ENI/KMS errors).
 * - `request_too_large` (413): Invoke refused the event as over Lambda's 6 MB request payload
 *   (`RequestTooLargeException`): the client's body, base64 and the event around it, is too big.
 * - `invoke_refused` (502): Invoke answered another 4xx (function not found, no permission): a
 *   deployment problem, never the client's.
 * The body the client may see is `{ message, code }`; the function's error message and stack never leave.
 * Source: Lambda API reference, "Invoke" (response header `X-Amz-Function-Error`; errors
 * `TooManyRequestsException` 429 with `Retry-After`, `ResourceNotFoundException` 404, `ServiceException` 500, ...).
 */
export type LambdaFailureKind = 'function_error' | 'function_throttled' | 'lambda_unavailable' | 'request_too_large' | 'invoke_refused';

const FAILURE_STATUS: Readonly<Record<LambdaFailureKind, number>> = {
  function_error: 502,
  function_throttled: 503,
  lambda_unavailable: 502,
  request_too_large: 413,
  invoke_refused: 502,
};

const FAILURE_MESSAGE: Readonly<Record<LambdaFailureKind, string>> = {
  function_error: 'the upstream function failed',
  function_throttled: 'the upstream function is throttled',
  lambda_unavailable: 'the Lambda service could not run the upstream function',
  request_too_large: 'the request is larger than the upstream function accepts',
  invoke_refused: 'the Lambda service refused to invoke the upstream function',
};

/** What a failed invoke reports to the caller's log (never the payload or the function's error text). */
export interface LambdaFailure {
  readonly functionName: string;
  readonly kind: LambdaFailureKind | UpstreamErrorCode;
  /** `Unhandled`/`Handled`, or the Lambda error name (`TooManyRequestsException`, `ResourceNotFoundException`, ...). */
  readonly detail?: string;
}

export interface LambdaCallHooks {
  /** Called once per failed attempt, before it is answered or thrown. */
  readonly onFailure?: (failure: LambdaFailure) => void;
}

let sdk: Promise<typeof import('@aws-sdk/client-lambda')> | undefined;
const clients = new Map<string, LambdaClient>();

/**
 * Loads `@aws-sdk/client-lambda` (left to the Lambda runtime, as every `@aws-sdk/*`). A handler whose
 * config has a Lambda target calls it at init, so a cold start pays the load in Lambda's init phase.
 */
export function preloadLambdaClient(): Promise<unknown> {
  const loading = loadSdk();
  loading.catch(() => undefined); // a failed load surfaces on the first invoke
  return loading;
}

function loadSdk(): Promise<typeof import('@aws-sdk/client-lambda')> {
  sdk ??= import('@aws-sdk/client-lambda');
  return sdk;
}

/**
 * The container's client for the function's region: the ARN's region when `functionName` is an ARN
 * (Invoke goes to the function's own regional endpoint), else the SDK's (env `AWS_REGION`). One per
 * region per container. `maxAttempts: 1`: retries are the caller's retry policy, never the SDK's, so
 * a POST is never sent twice behind its back. The endpoint is the SDK's own choice, `AWS_ENDPOINT_URL_LAMBDA` included.
 */
async function clientFor(functionName: string): Promise<LambdaClient> {
  const region = /^arn:[^:]+:lambda:([^:]+):/.exec(functionName)?.[1] ?? '';
  const existing = clients.get(region);
  if (existing !== undefined) return existing;
  const { LambdaClient } = await loadSdk();
  const client = clients.get(region) ?? new LambdaClient({ maxAttempts: 1, ...(region === '' ? {} : { region }) });
  clients.set(region, client);
  return client;
}

/**
 * Invokes `target` with `request` as its payload-version event and reads the proxy result. Resolves
 * with any status (a function error is a 502 answer, see `LambdaFailureKind`); rejects with
 * `UpstreamError` when no usable answer came: `upstream_timeout` (the attempt's `timeoutMs` passed:
 * the invoke is aborted), `upstream_connect_failed`/`upstream_reset` (the Lambda endpoint could not be
 * reached), `upstream_bad_response` (not a proxy result), `upstream_too_large` (body over the cap).
 */
export async function callLambda(
  target: LambdaInvokeTarget,
  request: LambdaHttpRequest,
  options: CallOptions,
  hooks: LambdaCallHooks = {},
): Promise<UpstreamResponse> {
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new TypeError(`timeoutMs must be a positive number of ms, got ${String(options.timeoutMs)}`);
  }
  const maxBytes = options.maxResponseBytes ?? LAMBDA_PAYLOAD_LIMIT_BYTES;
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const signal = AbortSignal.timeout(options.timeoutMs);
  const fail = (code: UpstreamErrorCode, phase: UpstreamError['phase'], partial: boolean, cause?: unknown, detail?: string): never => {
    hooks.onFailure?.({ functionName: target.functionName, kind: code, ...(detail ? { detail } : {}) });
    throw new UpstreamError(code, { phase, partial, elapsedMs: elapsed(), cause });
  };

  let output: { FunctionError?: string; Payload?: Uint8Array };
  try {
    const { InvokeCommand } = await loadSdk();
    const client = await clientFor(target.functionName);
    const payload = Buffer.from(JSON.stringify(lambdaEvent(request, target.payload)));
    output = await client.send(
      new InvokeCommand({ FunctionName: target.functionName, InvocationType: 'RequestResponse', Payload: payload }),
      { abortSignal: signal },
    );
  } catch (error) {
    if (signal.aborted) return fail('upstream_timeout', 'headers', false, error);
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const name = (error as { name?: string }).name ?? 'Error';
    if (status === 429 || name === 'TooManyRequestsException') {
      const retryAfter = Number((error as { retryAfterSeconds?: unknown }).retryAfterSeconds);
      return failureAnswer(
        'function_throttled',
        target,
        hooks,
        name,
        elapsed(),
        Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
      );
    }
    if (status !== undefined && status >= 500) return failureAnswer('lambda_unavailable', target, hooks, name, elapsed());
    if (status === 413 || name === 'RequestTooLargeException') return failureAnswer('request_too_large', target, hooks, name, elapsed());
    if (status !== undefined && status >= 400) return failureAnswer('invoke_refused', target, hooks, name, elapsed());
    const code = (error as { code?: unknown }).code;
    // A connection that broke once the request went out may have run the function: a reset, as for HTTP.
    if (code === 'ECONNRESET' || code === 'EPIPE') return fail('upstream_reset', 'headers', false, error, String(code));
    // Refused, unreachable, no DNS, no region, no credentials: nothing reached the function.
    return fail('upstream_connect_failed', 'connect', false, error, typeof code === 'string' ? code : name);
  }

  if (output.FunctionError) return failureAnswer('function_error', target, hooks, output.FunctionError, elapsed());
  try {
    const answer = readLambdaResult(output.Payload ?? new Uint8Array(), target.payload);
    if (answer.body.length > maxBytes) return fail('upstream_too_large', 'body', true);
    const totalMs = elapsed();
    return {
      status: answer.status,
      headers: answer.headers,
      body: answer.body,
      timings: { headersMs: totalMs, totalMs },
      reusedConnection: false,
    };
  } catch (error) {
    if (error instanceof MalformedLambdaResult) return fail('upstream_bad_response', 'body', true, error, error.message);
    throw error;
  }
}

/** A failed invoke as the upstream answer it stands for: `{ message, code }` JSON, the status of its kind. */
function failureAnswer(
  kind: LambdaFailureKind,
  target: LambdaInvokeTarget,
  hooks: LambdaCallHooks,
  detail: string,
  ms: number,
  retryAfterSeconds?: number,
): UpstreamResponse {
  hooks.onFailure?.({ functionName: target.functionName, kind, detail });
  return {
    status: FAILURE_STATUS[kind],
    headers: {
      'content-type': ['application/json'],
      ...(retryAfterSeconds === undefined ? {} : { 'retry-after': [String(Math.ceil(retryAfterSeconds))] }),
    },
    body: Buffer.from(JSON.stringify({ message: FAILURE_MESSAGE[kind], code: kind })),
    timings: { headersMs: ms, totalMs: ms },
    reusedConnection: false,
  };
}

/**
 * A `call` for the retry and breaker wrappers that invokes `target` instead of fetching: the request's
 * `url` is the target's label (`lambda:<name>`) followed by the path and query, as the proxy and the
 * aggregator build it for an HTTP base URL; `context` is the caller's identity for `requestContext`.
 */
export function lambdaSender(
  target: LambdaInvokeTarget,
  context: LambdaRequestContext,
  hooks: LambdaCallHooks = {},
): (request: UpstreamRequest, options: CallOptions) => Promise<UpstreamResponse> {
  const label = lambdaTargetLabel(target);
  return (request, options) => {
    const url = String(request.url);
    if (!url.startsWith(label)) throw new TypeError(`a request to ${label} has url ${JSON.stringify(url)}`);
    const rest = url.slice(label.length);
    const mark = rest.indexOf('?');
    const path = mark < 0 ? rest : rest.slice(0, mark);
    return callLambda(
      target,
      {
        method: request.method,
        path: path.startsWith('/') ? path : `/${path}`,
        query: mark < 0 ? '' : rest.slice(mark + 1),
        headers: request.headers ?? {},
        ...(request.body ? { body: request.body } : {}),
        context,
      },
      options,
      hooks,
    );
  };
}
