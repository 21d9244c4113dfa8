// REST API proxy events (payload 1.0), proxy configs and result readers shared by the proxy tests.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ProxyConfig, ProxyTarget } from '../../../../lambdas/contract/proxy-config';
import type { ProxyDeps } from '../../../../lambdas/proxy/proxy';

export interface EventOptions {
  readonly method?: string;
  /** API Gateway resource template. @default '/api/orders/{proxy+}' */
  readonly resource?: string;
  readonly pathParameters?: Record<string, string> | null;
  /** Only used when the resource has no parameters; API Gateway's `path`. */
  readonly path?: string;
  readonly headers?: Record<string, string | string[]>;
  readonly query?: Record<string, string[]>;
  readonly body?: Buffer | string;
  /** Send the body base64-encoded (as API Gateway does for binary media types). */
  readonly base64?: boolean;
  readonly authorizer?: Record<string, unknown> | null;
  readonly requestId?: string;
  readonly sourceIp?: string;
}

let requests = 0;

/** An event as API Gateway builds it: `headers` holds the last value of each, `multiValueHeaders` all of them. */
export function restEvent(options: EventOptions = {}): APIGatewayProxyEvent {
  requests += 1;
  const resource = options.resource ?? '/api/orders/{proxy+}';
  const pathParameters =
    options.pathParameters === undefined ? (resource.includes('{proxy+}') ? { proxy: '42' } : null) : options.pathParameters;
  const path = options.path ?? resource.replace(/\{([^}+]+)\+?\}/g, (_m, name: string) => pathParameters?.[name] ?? '');
  const multiValueHeaders = Object.fromEntries(Object.entries(options.headers ?? {}).map(([name, value]) => [name, [value].flat()]));
  const headers = Object.fromEntries(Object.entries(multiValueHeaders).map(([name, values]) => [name, values[values.length - 1]!]));
  const query = options.query ?? {};
  const body = options.body === undefined ? null : options.base64 ? Buffer.from(options.body).toString('base64') : options.body.toString();
  return {
    resource,
    path,
    httpMethod: options.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters:
      Object.keys(query).length === 0 ? null : Object.fromEntries(Object.entries(query).map(([n, v]) => [n, v[v.length - 1]!])),
    multiValueQueryStringParameters: Object.keys(query).length === 0 ? null : query,
    pathParameters,
    stageVariables: null,
    body,
    isBase64Encoded: options.base64 === true,
    requestContext: {
      requestId: options.requestId ?? `req-${requests}`,
      identity: { sourceIp: options.sourceIp ?? '203.0.113.7' },
      authorizer: options.authorizer ?? null,
    },
  } as unknown as APIGatewayProxyEvent;
}

/** One service with one target, routes for `/api/orders` and `/api/orders/{proxy+}` (prefix stripped), no breaker, one attempt. */
export function proxyConfig(targets: readonly ProxyTarget[] | string, overrides: Partial<ProxyConfig> = {}): ProxyConfig {
  return {
    gateway: 'shop',
    service: 'orders',
    targets: typeof targets === 'string' ? [{ name: 'default', url: targets, weight: 1 }] : targets,
    versionRules: [],
    // Generous: a loaded 2-core CI machine can be slow to answer on loopback. Failure tests set their own.
    timeoutMs: 5000,
    deadlineMs: 8000,
    transform: {},
    retryBudgetRatio: 1,
    degradedHeader: 'X-Gatehouse-Degraded',
    routes: {
      'ANY /api/orders': { prefix: '/api/orders', stripPath: true },
      'ANY /api/orders/{proxy+}': { prefix: '/api/orders', stripPath: true },
    },
    correlationHeader: 'X-Correlation-Id',
    gatewayRequestIdHeader: 'X-Gateway-Request-Id',
    identityHeaders: { userId: 'X-User-Id', roles: 'X-User-Roles', scopes: 'X-User-Scopes', clientId: 'X-Client-Id' },
    ...overrides,
  };
}

/** Breaker settings small enough to trip in a test: 4 requests, 50 %, 300 ms open. */
export const TEST_BREAKER = {
  failureRate: 50,
  minimumRequests: 4,
  windowSeconds: 10,
  openSeconds: 0.3,
  halfOpenProbes: 1,
  failureStatuses: [502, 503, 504],
  store: 'memory',
} as const satisfies ProxyConfig['circuitBreaker'];

/** A logger that prints nothing and metrics that publish nothing, for tests that do not read them. */
export function quietDeps(): Pick<ProxyDeps, 'logger' | 'metrics'> {
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    return { logger: new Logger({ logLevel: 'SILENT' }), metrics: new Metrics({ namespace: 'GatehouseTest', serviceName: 'proxy-test' }) };
  } finally {
    if (previous === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = previous;
  }
}

/** mulberry32: a seeded uniform [0, 1) source, so weighted draws and jitter repeat run after run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A clock tests move by hand. */
export function manualClock(start = Date.now()): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** The body bytes of a result, base64 decoded when flagged. */
export function bodyOf(result: APIGatewayProxyResult): Buffer {
  return Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
}

export function jsonOf<T = Record<string, unknown>>(result: APIGatewayProxyResult): T {
  return JSON.parse(bodyOf(result).toString('utf8')) as T;
}

/** Every value of a result header, by case-insensitive name. */
export function headerOf(result: APIGatewayProxyResult, name: string): string[] {
  return Object.entries(result.multiValueHeaders ?? {})
    .filter(([key]) => key.toLowerCase() === name.toLowerCase())
    .flatMap(([, values]) => values.map(String));
}

/** What the echo behaviour of the upstream server answers. */
export interface Echo {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string[]>;
  readonly body: string;
}

export function echoOf(result: APIGatewayProxyResult): Echo {
  return jsonOf<Echo>(result);
}
