// The handler's edges: bearer extraction, identity in the context, usage-plan key, token cache, logs and metrics.
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizerConfig } from '../../../lambdas/contract/authorizer-config';
import { createHandler, handler, METRIC, type AuthorizerHandler } from '../../../lambdas/authorizer/handler';
import { createKeyResolver, type KeyResolver } from '../../../lambdas/authorizer/jwks';
import { arnOf, authorizerConfig, captureOutput, decisions, metricCount, requestEvent, type CapturedOutput } from './support/fixtures';
import { policyAllows } from './support/iam';
import { jwksOf, nowSeconds, signingKey, signToken, type SigningKey } from './support/keys';

const ISSUER = 'https://idp.example/tenant';
const AUDIENCE = 'orders-api';

let key: SigningKey;
let config: AuthorizerConfig;
let output: CapturedOutput;
let handle: AuthorizerHandler;

beforeAll(async () => {
  key = await signingKey('k1');
  // Keys baked in and a jwksUri that refuses connections: any fetch would fail these tests.
  config = authorizerConfig([{ issuer: ISSUER, audiences: [AUDIENCE], jwks: jwksOf(key), jwksUri: 'http://127.0.0.1:9/jwks' }]);
  output = captureOutput();
  handle = createHandler(config);
});

afterEach(() => output.clear());
afterAll(() => output.restore());

const tokenWith = (claims: Record<string, unknown>) => signToken(key, { iss: ISSUER, aud: AUDIENCE, ...claims });

describe('GIVEN the Authorization header', () => {
  it.each([
    ['Authorization', 'Bearer'],
    ['authorization', 'bearer'],
    ['AUTHORIZATION', 'BEARER'],
  ])('WHEN the header is %s and the scheme %s THEN the token is found', async (name, scheme) => {
    const token = await tokenWith({ scope: 'orders:read' });
    const event = requestEvent(undefined, arnOf('GET/api/orders'), { [name]: `${scheme} ${token}` });
    await expect(handle(event)).resolves.toMatchObject({ principalId: 'user-1' });
  });

  it.each([
    ['there is no Authorization header', undefined, 'token_missing'],
    ['the scheme is Basic', 'Basic dXNlcjpwYXNz', 'token_missing'],
    ['Bearer has no credential', 'Bearer   ', 'token_missing'],
    ['the credential has a space in it', 'Bearer abc def', 'token_malformed'],
  ] as const)('WHEN %s THEN Unauthorized with %s', async (_, authorization, code) => {
    await expect(handle(requestEvent(authorization))).rejects.toThrow(/^Unauthorized$/);
    expect(decisions(output).at(-1)).toMatchObject({ decision: 'deny', reason: code });
  });

  it('WHEN the request carries two Authorization headers THEN Unauthorized with token_malformed', async () => {
    const token = await tokenWith({});
    const event = { ...requestEvent(`Bearer ${token}`), multiValueHeaders: { Authorization: [`Bearer ${token}`, 'Bearer other'] } };
    await expect(handle(event)).rejects.toThrow(/^Unauthorized$/);
    expect(decisions(output).at(-1)).toMatchObject({ reason: 'token_malformed' });
  });
});

describe('GIVEN a valid token', () => {
  it('WHEN scopes come as a space-separated scope claim THEN the context carries sub, iss, scopes and client id', async () => {
    const token = await tokenWith({ sub: 'alice', scope: 'orders:read  orders:write', client_id: 'web-app' });
    const result = await handle(requestEvent(`Bearer ${token}`));
    expect(result.principalId).toBe('alice');
    // Absent claims come back as '-', never '': the gateway maps every value into an identity header.
    expect(result.context).toEqual({ sub: 'alice', iss: ISSUER, roles: '-', scopes: 'orders:read orders:write', clientId: 'web-app' });
    expect(result.usageIdentifierKey).toBeUndefined();
  });

  it('WHEN scopes come as an scp array and client id as azp THEN both are read', async () => {
    const token = await tokenWith({ scp: ['orders:read', 'orders:write', 'orders:read'], azp: 'mobile' });
    const result = await handle(requestEvent(`Bearer ${token}`, arnOf('POST/api/orders')));
    expect(result.context).toMatchObject({ scopes: 'orders:read orders:write', clientId: 'mobile' });
    expect(policyAllows(result.policyDocument, arnOf('POST/api/orders'))).toBe(true);
  });

  it('WHEN roles come as cognito:groups THEN they are comma-joined and grant role routes', async () => {
    const token = await tokenWith({ 'cognito:groups': ['admin', 'ops', 'bad,role'], client_id: 'console' });
    const result = await handle(requestEvent(`Bearer ${token}`, arnOf('DELETE/admin/users/7')));
    expect(result.context).toMatchObject({ roles: 'admin,ops', scopes: '-' });
    expect(policyAllows(result.policyDocument, arnOf('DELETE/admin/users/7'))).toBe(true);
    expect(policyAllows(result.policyDocument, arnOf('GET/api/orders'))).toBe(false);
  });

  it('WHEN clientIdAsApiKey is on THEN the client id is returned as usageIdentifierKey', async () => {
    const metered = createHandler({ ...config, clientIdAsApiKey: true });
    const result = await metered(requestEvent(`Bearer ${await tokenWith({ client_id: 'partner-a', scope: 'orders:read' })}`));
    expect(result.usageIdentifierKey).toBe('partner-a');
  });

  it('WHEN clientIdAsApiKey is on and the token names no client THEN Unauthorized with claim_missing', async () => {
    const metered = createHandler({ ...config, clientIdAsApiKey: true });
    await expect(metered(requestEvent(`Bearer ${await tokenWith({ scope: 'orders:read' })}`))).rejects.toThrow(/^Unauthorized$/);
    expect(decisions(output).at(-1)).toMatchObject({ reason: 'claim_missing' });
  });

  it('WHEN the called method is in no route of the table THEN nothing allows it and the log says route_not_configured', async () => {
    const result = await handle(requestEvent(`Bearer ${await tokenWith({ scope: 'orders:read' })}`, arnOf('GET/unknown')));
    expect(policyAllows(result.policyDocument, arnOf('GET/unknown'))).toBe(false);
    expect(decisions(output).at(-1)).toMatchObject({ level: 'WARN', decision: 'deny', reason: 'route_not_configured' });
  });

  it('WHEN it is decided THEN the logs carry sub, iss and the decision but never the token', async () => {
    const token = await tokenWith({ sub: 'bob', scope: 'orders:read' });
    await handle(requestEvent(`Bearer ${token}`));
    await handle(requestEvent(`Bearer ${token}`, arnOf('POST/api/orders')));
    await expect(handle(requestEvent(`Bearer ${token.slice(0, -4)}AAAA`))).rejects.toThrow(/^Unauthorized$/);
    expect(decisions(output)).toEqual([
      expect.objectContaining({ decision: 'allow', sub: 'bob', iss: ISSUER, requestId: 'req-1', service: 'gatehouse' }),
      expect.objectContaining({ decision: 'deny', reason: 'insufficient_scope', sub: 'bob' }),
      expect.objectContaining({ decision: 'deny', reason: 'signature_invalid' }),
    ]);
    const signature = token.split('.')[2]!;
    expect(output.text()).not.toContain(signature);
    expect(output.text()).not.toContain(token.split('.')[1]!);
  });

  it('WHEN it is decided THEN allow and deny counts by reason are published in the Gatehouse namespace', async () => {
    await handle(requestEvent(`Bearer ${await tokenWith({ scope: 'orders:read' })}`));
    await expect(handle(requestEvent(`Bearer ${await tokenWith({ exp: nowSeconds() - 600 })}`))).rejects.toThrow();
    expect(metricCount(output, METRIC.allowed)).toBe(1);
    expect(metricCount(output, METRIC.denied, { reason: 'token_expired' })).toBe(1);
    const emf = output.records().find((record) => METRIC.allowed in record) as { _aws: { CloudWatchMetrics: { Namespace: string }[] } };
    expect(emf._aws.CloudWatchMetrics[0]?.Namespace).toBe('Gatehouse');
  });
});

describe('GIVEN the verified-token cache', () => {
  function countingResolver(): { resolver: KeyResolver; calls: () => number } {
    const inner = createKeyResolver(config);
    let calls = 0;
    return {
      resolver: (issuer) => async (header, token) => {
        calls += 1;
        return inner(issuer)(header, token);
      },
      calls: () => calls,
    };
  }

  it('WHEN the same token comes again THEN its signature is not checked again and a cache hit is counted', async () => {
    const keys = countingResolver();
    const cached = createHandler(config, { keyResolver: keys.resolver });
    const token = await tokenWith({ scope: 'orders:read' });
    await cached(requestEvent(`Bearer ${token}`));
    const second = await cached(requestEvent(`Bearer ${token}`, arnOf('GET/api/orders/9')));
    expect(keys.calls()).toBe(1);
    expect(policyAllows(second.policyDocument, arnOf('GET/api/orders/9'))).toBe(true);
    expect(metricCount(output, METRIC.tokenCacheHit)).toBe(1);
  });

  it('WHEN the same token comes again THEN only its first acceptance is logged at info, and both are counted', async () => {
    const cached = createHandler(config, { keyResolver: countingResolver().resolver });
    const token = await tokenWith({ scope: 'orders:read' });
    await cached(requestEvent(`Bearer ${token}`));
    await cached(requestEvent(`Bearer ${token}`));
    expect(decisions(output).filter((d) => d.decision === 'allow')).toHaveLength(1);
    expect(metricCount(output, METRIC.allowed)).toBe(2);
  });

  it('WHEN the logger is at DEBUG THEN a cache hit is logged at debug with cached: true', async () => {
    const logger = new Logger({ serviceName: 'authorizer-test', logLevel: 'DEBUG' });
    const cached = createHandler(config, { keyResolver: countingResolver().resolver, logger });
    const token = await tokenWith({ scope: 'orders:read' });
    await cached(requestEvent(`Bearer ${token}`));
    await cached(requestEvent(`Bearer ${token}`));
    const accepted = decisions(output).filter((d) => d.decision === 'allow');
    expect(accepted.map((d) => [d.level, d.cached])).toEqual([
      ['INFO', false],
      ['DEBUG', true],
    ]);
  });

  it('WHEN two tokens carry the same scopes THEN they get equal policies, and a caller cannot change the one the next request gets', async () => {
    const cached = createHandler(config, { keyResolver: countingResolver().resolver });
    const first = await cached(requestEvent(`Bearer ${await tokenWith({ scope: 'orders:read', sub: 'a' })}`));
    expect(() => (first.policyDocument.Statement as unknown as { Effect: string }[]).push({ Effect: 'Allow' })).toThrow(TypeError);
    const second = await cached(requestEvent(`Bearer ${await tokenWith({ scope: 'orders:read', sub: 'b' })}`));
    expect(second.policyDocument).toEqual(first.policyDocument);
    expect(second.principalId).toBe('b');
  });

  it('WHEN a cached token has expired THEN it is verified again and refused', async () => {
    let now = Date.now();
    const keys = countingResolver();
    const cached = createHandler({ ...config, clockToleranceSeconds: 0 }, { keyResolver: keys.resolver, now: () => now });
    const token = await tokenWith({ exp: nowSeconds() + 60 });
    await cached(requestEvent(`Bearer ${token}`));
    await cached(requestEvent(`Bearer ${token}`));
    expect(keys.calls()).toBe(1);
    now += 61_000;
    await expect(cached(requestEvent(`Bearer ${token}`))).rejects.toThrow(/^Unauthorized$/);
    expect(keys.calls()).toBe(2);
    expect(decisions(output).at(-1)).toMatchObject({ reason: 'token_expired' });
  });
});

describe('GIVEN a config no token could pass', () => {
  it('WHEN it lists only HS256 THEN createHandler throws a TypeError at init', () => {
    expect(() => createHandler({ ...config, algorithms: ['HS256', 'none'] })).toThrow(TypeError);
  });

  it('WHEN a route method is malformed THEN createHandler throws a TypeError at init', () => {
    expect(() => createHandler({ ...config, routes: [{ method: 'GET api', scopes: [], roles: [] }] })).toThrow(/GET api/);
  });

  it('WHEN the module is loaded without a baked config THEN its handler refuses every token', async () => {
    await expect(handler(requestEvent(`Bearer ${await tokenWith({})}`))).rejects.toThrow(/^Unauthorized$/);
  });
});
