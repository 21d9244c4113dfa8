// Authorizer configs, events and log capture shared by the authorizer tests.
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { vi } from 'vitest';
import type { AuthorizerConfig, TrustedIssuer } from '../../../../lambdas/contract/authorizer-config';

export const API_PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/';
export const arnOf = (method: string): string => `${API_PREFIX}${method}`;

export function authorizerConfig(issuers: TrustedIssuer[], overrides: Partial<AuthorizerConfig> = {}): AuthorizerConfig {
  return {
    issuers,
    algorithms: ['RS256', 'ES256'],
    clockToleranceSeconds: 5,
    requiredClaims: [],
    scopeClaims: ['scope', 'scp'],
    roleClaims: ['roles', 'cognito:groups'],
    clientIdClaims: ['client_id', 'azp'],
    // Generous: servers in these tests answer, and a loaded 2-core CI machine can be slow to. Hang tests set their own.
    jwks: { timeoutMs: 5000, cacheMaxAgeMs: 600_000, cooldownMs: 30_000 },
    routes: [
      { method: 'GET/api/orders', scopes: ['orders:read'], roles: [] },
      { method: 'GET/api/orders/*', scopes: ['orders:read'], roles: [] },
      { method: 'POST/api/orders', scopes: ['orders:write'], roles: [] },
      { method: 'ANY/admin/*', scopes: [], roles: ['admin'] },
    ],
    clientIdAsApiKey: false,
    ...overrides,
  };
}

export function requestEvent(
  authorization: string | undefined,
  methodArn = arnOf('GET/api/orders'),
  headers: Record<string, string> = {},
): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn,
    resource: '/api/orders',
    path: '/api/orders',
    httpMethod: 'GET',
    headers: { ...(authorization === undefined ? {} : { Authorization: authorization }), ...headers },
    multiValueHeaders: null,
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: { requestId: 'req-1' },
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

export interface CapturedOutput {
  /** Every JSON line written (Powertools logs and EMF metrics). */
  readonly records: () => Record<string, unknown>[];
  readonly text: () => string;
  readonly clear: () => void;
  readonly restore: () => void;
}

/** Captures what Powertools writes to stdout and stderr (warnings and errors); it writes there directly, not through console. */
export function captureOutput(): CapturedOutput {
  const chunks: string[] = [];
  const record = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(record),
    vi.spyOn(process.stderr, 'write').mockImplementation(record),
  ];
  const text = () => chunks.join('');
  return {
    text,
    records: () =>
      text()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    clear: () => void chunks.splice(0),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

/** The log records of decisions (the handler's allow/deny lines), newest last. */
export function decisions(output: CapturedOutput): Record<string, unknown>[] {
  return output.records().filter((record) => 'decision' in record);
}

/** Sum of a metric over the EMF records captured. */
export function metricCount(output: CapturedOutput, name: string, dimension?: Record<string, string>): number {
  return (
    output
      .records()
      .filter((record) => '_aws' in record && name in record)
      .filter((record) => Object.entries(dimension ?? {}).every(([key, value]) => record[key] === value))
      // Powertools writes a metric added twice in one invocation as an array of values.
      .flatMap((record) => [record[name]].flat())
      .reduce((sum: number, value) => sum + Number(value), 0)
  );
}
