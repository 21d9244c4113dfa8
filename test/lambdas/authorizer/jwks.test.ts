// Key resolution against a real loopback key server: discovery, baked keys, cooldown, and every way the server can fail.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizerConfig, TrustedIssuer } from '../../../lambdas/contract/authorizer-config';
import { createHandler, METRIC } from '../../../lambdas/authorizer/handler';
import { createKeyResolver, discoverJwksUri } from '../../../lambdas/authorizer/jwks';
import { verifyToken } from '../../../lambdas/authorizer/verify';
import { authorizerConfig, captureOutput, decisions, metricCount, requestEvent, type CapturedOutput } from './support/fixtures';
import { refusedOrigin, startJwksServer, type JwksServer } from './support/jwks-server';
import { jwksOf, signingKey, signToken, type SigningKey } from './support/keys';
import { scaled } from '../../support/time-factor';

const AUDIENCE = 'orders-api';
/** Small so hang tests stay fast; the assertion allows generous slack on a loaded 2-core machine. */
const TIMEOUT_MS = 200;
/** For tests where the server answers: a loaded 2-core machine can take longer than TIMEOUT_MS to serve a first request. */
const ANSWERING_TIMEOUT_MS = 5000;

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
  server.keys = jwksOf(current);
  server.jwksFault = 'ok';
  server.discoveryFault = 'ok';
  server.discovery = undefined;
  server.resetCounts();
  output.clear();
});

afterAll(async () => {
  output.restore();
  await server.close();
});

const tokenOf = (key: SigningKey, iss = server.origin) => signToken(key, { iss, aud: AUDIENCE });

function configFor(issuer: Partial<TrustedIssuer> = {}, jwks: Partial<AuthorizerConfig['jwks']> = {}): AuthorizerConfig {
  const base = authorizerConfig([{ issuer: server.origin, audiences: [AUDIENCE], ...issuer }]);
  return { ...base, jwks: { ...base.jwks, timeoutMs: ANSWERING_TIMEOUT_MS, ...jwks } };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (err: { code?: string }) => err.code,
  );
}

describe('GIVEN an issuer without jwksUri', () => {
  it('WHEN tokens arrive THEN jwks_uri is discovered once per container and the key set fetched once', async () => {
    const config = configFor();
    const keys = createKeyResolver(config);
    for (let i = 0; i < 3; i += 1) await verifyToken(await tokenOf(current), config, keys);
    expect(server.hits).toEqual({ discovery: 1, jwks: 1 });
  });

  it('WHEN the discovery document names another issuer THEN jwks_unavailable (no mix-up)', async () => {
    server.discovery = { issuer: 'https://someone-else.example' };
    const config = configFor();
    expect(await codeOf(verifyToken(await tokenOf(current), config, createKeyResolver(config)))).toBe('jwks_unavailable');
    expect(server.hits.jwks).toBe(0);
  });

  it('WHEN the discovered jwks_uri is plain http off loopback THEN jwks_unavailable', async () => {
    server.discovery = { jwks_uri: 'http://keys.example.com/jwks' };
    await expect(discoverJwksUri(server.origin, TIMEOUT_MS)).rejects.toMatchObject({ code: 'jwks_unavailable' });
  });

  it('WHEN discovery fails once THEN that token is refused and the next token after the cooldown retries and passes', async () => {
    const config = configFor({}, { cooldownMs: 50 });
    const keys = createKeyResolver(config);
    server.discoveryFault = 'error';
    expect(await codeOf(verifyToken(await tokenOf(current), config, keys))).toBe('jwks_unavailable');
    server.discoveryFault = 'ok';
    await new Promise((resolve) => setTimeout(resolve, 80));
    await expect(verifyToken(await tokenOf(current), config, keys)).resolves.toBeDefined();
    expect(server.hits.discovery).toBe(2);
  });

  it('WHEN discovery is down THEN tokens within the cooldown are refused without asking the provider again', async () => {
    const config = configFor({}, { cooldownMs: 60_000 });
    const keys = createKeyResolver(config);
    server.discoveryFault = 'error';
    for (let i = 0; i < 5; i += 1) expect(await codeOf(verifyToken(await tokenOf(current), config, keys))).toBe('jwks_unavailable');
    expect(server.hits.discovery).toBe(1);
  });

  it(`WHEN discovery hangs THEN jwks_unavailable after about ${TIMEOUT_MS} ms`, async () => {
    server.discoveryFault = 'hang';
    const config = configFor({}, { timeoutMs: TIMEOUT_MS });
    const started = Date.now();
    expect(await codeOf(verifyToken(await tokenOf(current), config, createKeyResolver(config)))).toBe('jwks_unavailable');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + scaled(1500));
  });

  it('WHEN the discovery document is garbage THEN jwks_unavailable', async () => {
    server.discoveryFault = 'garbage';
    await expect(discoverJwksUri(server.origin, TIMEOUT_MS)).rejects.toMatchObject({ code: 'jwks_unavailable' });
  });
});

describe('GIVEN a key server that fails', () => {
  const faults = [
    ['returns HTTP 500', 'error'],
    ['returns a body that is not JSON', 'garbage'],
    ['returns JSON that is not a key set', 'invalid'],
    ['hangs past the timeout', 'hang'],
  ] as const;

  it.each(faults)('WHEN it %s THEN the handler answers Unauthorized and logs jwks_unavailable at ERROR', async (_, fault) => {
    server.jwksFault = fault;
    const config = configFor({ jwksUri: server.jwksUri }, { timeoutMs: TIMEOUT_MS });
    const handle = createHandler(config);
    const started = Date.now();
    await expect(handle(requestEvent(`Bearer ${await tokenOf(current)}`))).rejects.toThrow(/^Unauthorized$/);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + scaled(1500));
    expect(decisions(output).at(-1)).toMatchObject({ level: 'ERROR', decision: 'deny', reason: 'jwks_unavailable' });
    expect(metricCount(output, METRIC.denied, { reason: 'jwks_unavailable' })).toBe(1);
  });

  it('WHEN nothing listens on its port (connection refused) THEN the handler answers Unauthorized with jwks_unavailable', async () => {
    const origin = await refusedOrigin();
    const config = configFor({ jwksUri: `${origin}/jwks` });
    await expect(createHandler(config)(requestEvent(`Bearer ${await tokenOf(current)}`))).rejects.toThrow(/^Unauthorized$/);
    expect(decisions(output).at(-1)).toMatchObject({ reason: 'jwks_unavailable' });
    expect(String(decisions(output).at(-1)?.detail)).toMatch(/ECONNREFUSED/);
  });

  it('WHEN it recovers THEN the next token is accepted without waiting for a cooldown', async () => {
    const config = configFor({ jwksUri: server.jwksUri });
    const keys = createKeyResolver(config);
    server.jwksFault = 'error';
    expect(await codeOf(verifyToken(await tokenOf(current), config, keys))).toBe('jwks_unavailable');
    server.jwksFault = 'ok';
    await expect(verifyToken(await tokenOf(current), config, keys)).resolves.toBeDefined();
  });
});

describe('GIVEN keys baked into the config', () => {
  it('WHEN the token names a baked kid and the live JWKS answers THEN the live set decides: fetched once, then cached', async () => {
    const config = configFor({ jwks: jwksOf(current), jwksUri: server.jwksUri });
    const keys = createKeyResolver(config);
    await expect(verifyToken(await tokenOf(current), config, keys)).resolves.toBeDefined();
    await expect(verifyToken(await tokenOf(current), config, keys)).resolves.toBeDefined();
    expect(server.hits).toEqual({ discovery: 0, jwks: 1 });
  });

  it('WHEN the live JWKS no longer lists the baked kid THEN kid_unknown: the issuer withdrew it', async () => {
    server.keys = jwksOf(next);
    const config = configFor({ jwks: jwksOf(current), jwksUri: server.jwksUri });
    expect(await codeOf(verifyToken(await tokenOf(current), config, createKeyResolver(config)))).toBe('kid_unknown');
  });

  it('WHEN the live JWKS fails THEN the baked keys verify, and for one cooldown the live set is not asked again', async () => {
    server.jwksFault = 'error';
    const config = configFor({ jwks: jwksOf(current), jwksUri: server.jwksUri }, { cooldownMs: 60_000 });
    const keys = createKeyResolver(config);
    await expect(verifyToken(await tokenOf(current), config, keys)).resolves.toMatchObject({ kid: 'current' });
    await expect(verifyToken(await tokenOf(current), config, keys)).resolves.toMatchObject({ kid: 'current' });
    expect(server.hits.jwks).toBe(1);
    // A kid neither set knows cannot be checked during the outage: the outage is the reason.
    expect(await codeOf(verifyToken(await tokenOf(next), config, keys))).toBe('jwks_unavailable');
  });

  it('WHEN the token names a kid the issuer published after deploy THEN the live key set is fetched once and it passes', async () => {
    server.keys = jwksOf(current, next);
    const config = configFor({ jwks: jwksOf(current) }); // live set found through discovery
    const handle = createHandler(config);
    await handle(requestEvent(`Bearer ${await tokenOf(next)}`));
    await handle(requestEvent(`Bearer ${await tokenOf(next)}`));
    expect(server.hits).toEqual({ discovery: 1, jwks: 1 });
    expect(metricCount(output, METRIC.jwksFetch)).toBe(1);
    expect(metricCount(output, METRIC.discoveryFetch)).toBe(1);
  });
});

describe('GIVEN the issuer rotates to a key the authorizer has not seen', () => {
  it('WHEN a token with the new kid arrives within the cooldown of the last fetch THEN kid_not_yet_fetched (not a refusal) and no refetch', async () => {
    const config = configFor({ jwksUri: server.jwksUri }, { cooldownMs: 60_000 });
    const keys = createKeyResolver(config);
    await verifyToken(await tokenOf(current), config, keys);
    server.keys = jwksOf(current, next);
    expect(await codeOf(verifyToken(await tokenOf(next), config, keys))).toBe('kid_not_yet_fetched');
    expect(
      await codeOf(verifyToken(await signToken(next, { iss: server.origin, aud: AUDIENCE }, { kid: 'random-kid' }), config, keys)),
    ).toBe('kid_not_yet_fetched');
    expect(server.hits.jwks).toBe(1);
  });

  it('WHEN the kid is absent from a set fetched for this very token THEN kid_unknown: a refusal', async () => {
    const config = configFor({ jwksUri: server.jwksUri }, { cooldownMs: 60_000 });
    expect(await codeOf(verifyToken(await tokenOf(next), config, createKeyResolver(config)))).toBe('kid_unknown');
    expect(server.hits.jwks).toBe(1);
  });

  it('WHEN the kid is still absent from the set refetched after the cooldown THEN kid_unknown', async () => {
    const cooldownMs = 150;
    const config = configFor({ jwksUri: server.jwksUri }, { cooldownMs });
    const keys = createKeyResolver(config);
    await verifyToken(await tokenOf(current), config, keys);
    await new Promise((resolve) => setTimeout(resolve, cooldownMs + 50));
    expect(await codeOf(verifyToken(await tokenOf(next), config, keys))).toBe('kid_unknown');
    expect(server.hits.jwks).toBe(2);
  });

  it('WHEN it arrives after the cooldown THEN the key set is refetched once and the token passes', async () => {
    const cooldownMs = 150;
    const config = configFor({ jwksUri: server.jwksUri }, { cooldownMs });
    const keys = createKeyResolver(config);
    await verifyToken(await tokenOf(current), config, keys);
    server.keys = jwksOf(current, next);
    await new Promise((resolve) => setTimeout(resolve, cooldownMs + 50));
    await expect(verifyToken(await tokenOf(next), config, keys)).resolves.toMatchObject({ kid: 'next' });
    await expect(verifyToken(await tokenOf(current), config, keys)).resolves.toMatchObject({ kid: 'current' });
    expect(server.hits.jwks).toBe(2);
  });
});

describe('GIVEN a key set holding two keys of the same type', () => {
  it('WHEN a token carries no kid THEN each key is tried and the one that signed it verifies it', async () => {
    const [first, second] = await Promise.all([signingKey('first'), signingKey('second')]);
    server.keys = jwksOf(first, second);
    const config = configFor({ jwks: jwksOf(first, second) });
    const keys = createKeyResolver(config);
    const withoutKid = await signToken(second, { iss: server.origin, aud: AUDIENCE }, { kid: undefined });
    await expect(verifyToken(withoutKid, config, keys)).resolves.toBeDefined();
    const stranger = await signingKey('stranger');
    const forged = await signToken(stranger, { iss: server.origin, aud: AUDIENCE }, { kid: undefined });
    expect(await codeOf(verifyToken(forged, config, keys))).toBe('signature_invalid');
  });
});
