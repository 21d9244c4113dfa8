// Aggregator configs, proxy events and a timed invoke shared by the aggregator tests.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { AggregatorConfig, PartConfig } from '../../../../lambdas/contract/aggregator-config';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { captureOutput, type CapturedOutput } from '../../authorizer/support/fixtures';
import { startUpstream, type UpstreamServer } from '../../shared/support/upstream-server';

export function part(url: string, pathTemplate: string, overrides: Partial<PartConfig> = {}): PartConfig {
  // Generous: the upstreams in these tests answer, and a loaded 2-core machine can be slow to. Timeout tests set their own.
  return { service: 'svc', url, pathTemplate, method: 'GET', timeoutMs: 5000, optional: false, forwardHeaders: [], ...overrides };
}

export function aggregatorConfig(parts: Record<string, PartConfig>, overrides: Partial<AggregatorConfig> = {}): AggregatorConfig {
  return {
    gateway: 'web',
    route: '/api/dashboard',
    parts,
    deadlineMs: 10_000,
    correlationHeader: 'X-Correlation-Id',
    gatewayRequestIdHeader: 'X-Gateway-Request-Id',
    compressMinBytes: 1024,
    ...overrides,
  };
}

export interface EventInput {
  readonly claims?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly path?: Record<string, string>;
  readonly query?: Record<string, string>;
}

export function proxyEvent(input: EventInput = {}): APIGatewayProxyEvent {
  const headers = input.headers ?? {};
  return {
    resource: '/api/dashboard',
    path: '/api/dashboard',
    httpMethod: 'GET',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    pathParameters: input.path ?? null,
    queryStringParameters: input.query ?? null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'gw-req-1',
      authorizer: input.claims === undefined ? null : { principalId: input.claims.sub ?? 'anon', ...input.claims },
    },
  } as unknown as APIGatewayProxyEvent;
}

export interface Answer {
  readonly result: APIGatewayProxyResult;
  /** The answer's headers, lower-case names, several values joined with `, `. */
  readonly headers: Record<string, string>;
  /** The body parsed as JSON (compressed bodies are not: see the compression tests). */
  readonly body: Record<string, unknown>;
  readonly ms: number;
}

export async function invoke(
  handler: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>,
  input: EventInput = {},
): Promise<Answer> {
  const started = performance.now();
  const result = await handler(proxyEvent(input));
  const ms = performance.now() - started;
  return {
    result,
    headers: headersOf(result),
    body: result.isBase64Encoded ? {} : (JSON.parse(result.body) as Record<string, unknown>),
    ms,
  };
}

export function headersOf(result: APIGatewayProxyResult): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name.toLowerCase()] = values.map(String).join(', ');
  return headers;
}

/** A JSON upstream answer after `delayMs`. */
export function jsonReply(value: unknown, delayMs = 0) {
  return { kind: 'respond', status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value), delayMs } as const;
}

/**
 * The setup every fan-out test file shares: one real upstream on 127.0.0.1 for the file, and the handler's
 * log and metric output captured per test. The file keeps its own variables; this fills them.
 */
export function useUpstreamAndOutput(setUpstream: (u: UpstreamServer) => void, setOutput: (o: CapturedOutput) => void): void {
  let upstream: UpstreamServer | undefined;
  let output: CapturedOutput | undefined;
  beforeAll(async () => {
    upstream = await startUpstream();
    setUpstream(upstream);
  });
  afterAll(async () => {
    await upstream?.close();
  });
  beforeEach(() => {
    output = captureOutput();
    setOutput(output);
  });
  afterEach(() => {
    output?.restore();
  });
}
