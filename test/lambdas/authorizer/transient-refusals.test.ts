// Refusals a token outgrows within seconds (a kid not fetched yet during key rotation, a token not valid yet): no deny API Gateway would cache.
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuthorizerConfig } from '../../../lambdas/contract/authorizer-config';
import { createHandler, METRIC, UNAUTHORIZED } from '../../../lambdas/authorizer/handler';
import { authorizerConfig, captureOutput, decisions, metricCount, requestEvent, type CapturedOutput } from './support/fixtures';
import { startJwksServer, type JwksServer } from './support/jwks-server';
import { jwksOf, nowSeconds, signingKey, signToken, type SigningKey } from './support/keys';

const AUDIENCE = 'orders-api';
/** Long, and passed by moving the clock (only Date is faked), so no assertion depends on how fast the machine is. */
const COOLDOWN_MS = 60_000;

let server: JwksServer;
let current: SigningKey;
let next: SigningKey;
let output: CapturedOutput;

beforeAll(async () => {
  [current, next] = await Promise.all([signingKey('current'), signingKey('next', 'ES256')]);
  server = await startJwksServer(jwksOf(current));
  output = captureOutput();
});

afterEach(() => {
  vi.useRealTimers();
  server.keys = jwksOf(current);
  server.resetCounts();
  output.clear();
});

afterAll(async () => {
  output.restore();
  await server.close();
});

function config(): AuthorizerConfig {
  const base = authorizerConfig([{ issuer: server.origin, audiences: [AUDIENCE], jwksUri: server.jwksUri }]);
  return { ...base, jwks: { ...base.jwks, cooldownMs: COOLDOWN_MS } };
}

const tokenOf = (key: SigningKey, claims: Record<string, unknown> = {}) =>
  signToken(key, { iss: server.origin, aud: AUDIENCE, scope: 'orders:read', ...claims });

function httpEvent(token: string, routeKey = 'GET /api/orders'): APIGatewayRequestAuthorizerEventV2 {
  const authorization = `Bearer ${token}`;
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/$default/GET/api/orders',
    identitySource: [authorization, routeKey],
    routeKey,
    rawPath: '/api/orders',
    rawQueryString: '',
    headers: { authorization },
    requestContext: { requestId: 'req-v2', routeKey, http: { method: 'GET', path: '/api/orders' } },
  } as unknown as APIGatewayRequestAuthorizerEventV2;
}

/** What the handler threw, or undefined when it answered. */
async function thrown(answer: Promise<unknown>): Promise<Error | undefined> {
  return answer.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
}

/** Only Date is faked: the loopback server, fetch and its timeouts run on real timers. */
function fakeClock(): (ms: number) => void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  return (ms) => vi.setSystemTime(Date.now() + ms);
}

describe('GIVEN an HTTP API and an issuer that rotates to a key published after the last fetch', () => {
  it('WHEN a token of the new key arrives within the cooldown THEN isAuthorized is false (403: anyone can send a made-up kid, and a bad token never gets a 500), counted as kid_not_yet_fetched; a token of that key after the cooldown is allowed', async () => {
    const advance = fakeClock();
    const handle = createHandler(config());
    await expect(handle(httpEvent(await tokenOf(current)))).resolves.toMatchObject({ isAuthorized: true });
    server.keys = jwksOf(current, next);

    await expect(handle(httpEvent(await tokenOf(next)))).resolves.toMatchObject({ isAuthorized: false });
    expect(decisions(output).at(-1)).toMatchObject({ level: 'INFO', decision: 'deny', reason: 'kid_not_yet_fetched' });
    expect(metricCount(output, METRIC.denied, { reason: 'kid_not_yet_fetched' })).toBe(1);
    expect(server.hits.jwks).toBe(1);

    advance(COOLDOWN_MS + 1);
    // The client refreshed on the 403: a new token (API Gateway's cached deny is keyed by the old one).
    await expect(handle(httpEvent(await tokenOf(next)))).resolves.toMatchObject({ isAuthorized: true });
    expect(decisions(output).at(-1)).toMatchObject({ decision: 'allow', kid: 'next' });
    expect(server.hits.jwks).toBe(2);
  });

  it('WHEN the kid is absent from a set fetched for this token THEN isAuthorized is false (403, cacheable), logged at INFO as kid_unknown', async () => {
    const handle = createHandler(config());
    await expect(handle(httpEvent(await tokenOf(next)))).resolves.toMatchObject({ isAuthorized: false });
    expect(decisions(output).at(-1)).toMatchObject({ level: 'INFO', decision: 'deny', reason: 'kid_unknown' });
    expect(metricCount(output, METRIC.denied, { reason: 'kid_unknown' })).toBe(1);
    expect(server.hits.jwks).toBe(1);
  });

  it('WHEN the kid is still absent from the set refetched after the cooldown THEN isAuthorized is false (kid_unknown)', async () => {
    const advance = fakeClock();
    const handle = createHandler(config());
    await handle(httpEvent(await tokenOf(current)));
    const unpublished = await tokenOf(next);
    advance(COOLDOWN_MS + 1);
    await expect(handle(httpEvent(unpublished))).resolves.toMatchObject({ isAuthorized: false });
    expect(decisions(output).at(-1)).toMatchObject({ reason: 'kid_unknown' });
    expect(server.hits.jwks).toBe(2);
  });
});

describe('GIVEN a token whose nbf is ahead of the authorizer clock beyond the tolerance', () => {
  it('WHEN it reaches an HTTP API THEN no answer (a plain error: 500, nothing cached), WARN; once the clock passes nbf it is allowed', async () => {
    const advance = fakeClock();
    const handle = createHandler(config());
    const early = await tokenOf(current, { nbf: nowSeconds() + 60 });

    const failure = await thrown(handle(httpEvent(early)));
    expect(failure).toBeInstanceOf(Error);
    expect(failure?.message).not.toBe(UNAUTHORIZED);
    expect(failure?.cause).toMatchObject({ code: 'token_not_yet_valid' });
    expect(decisions(output).at(-1)).toMatchObject({ level: 'WARN', decision: 'deny', reason: 'token_not_yet_valid' });
    expect(metricCount(output, METRIC.denied, { reason: 'token_not_yet_valid' })).toBe(1);

    advance(60_000);
    await expect(handle(httpEvent(early))).resolves.toMatchObject({ isAuthorized: true });
  });

  it('WHEN it reaches a REST API THEN 401 (Unauthorized, the documented answer), logged at WARN', async () => {
    const handle = createHandler(config());
    await expect(handle(requestEvent(`Bearer ${await tokenOf(current, { nbf: nowSeconds() + 60 })}`))).rejects.toThrow(/^Unauthorized$/);
    expect(decisions(output).at(-1)).toMatchObject({ level: 'WARN', reason: 'token_not_yet_valid' });
  });
});
