// Issue 23 item 9 through the bundled handler: a baked key the issuer withdrew stops being trusted; baked keys carry an outage.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundledHandler, outcome, removeBundles } from './support/bundled';
import { arnOf, authorizerConfig, captureOutput, decisions, requestEvent, type CapturedOutput } from './support/fixtures';
import { refusedOrigin, startJwksServer, type JwksServer } from './support/jwks-server';
import { jwksOf, signingKey, signToken, type SigningKey } from './support/keys';

const AUDIENCE = 'orders-api';

let server: JwksServer;
let withdrawn: SigningKey;
let current: SigningKey;
let output: CapturedOutput;

beforeAll(async () => {
  [withdrawn, current] = await Promise.all([signingKey('withdrawn'), signingKey('current')]);
  server = await startJwksServer(jwksOf(withdrawn, current));
  output = captureOutput();
});
afterEach(() => {
  server.keys = jwksOf(withdrawn, current);
  server.jwksFault = 'ok';
  server.resetCounts();
  output.clear();
});
afterAll(async () => {
  output.restore();
  removeBundles();
  await server.close();
});

/** A container baked with both keys, reading the live set at `jwksUri`. */
const containerFor = (jwksUri: string, cacheMaxAgeMs = 600_000) =>
  bundledHandler(
    authorizerConfig([{ issuer: server.origin, audiences: [AUDIENCE], jwksUri, jwks: jwksOf(withdrawn, current) }], {
      jwks: { timeoutMs: 5000, cacheMaxAgeMs, cooldownMs: 30_000 },
    }),
  );
const call = async (handle: ReturnType<typeof containerFor>, key: SigningKey) =>
  outcome(
    handle(
      requestEvent(`Bearer ${await signToken(key, { iss: server.origin, aud: AUDIENCE, scope: 'orders:read' })}`, arnOf('GET/api/orders')),
    ),
  );

describe('GIVEN an issuer whose keys were baked in at deploy', () => {
  it('WHEN a new container starts after the issuer withdrew a baked key THEN tokens of that key are refused (kid_unknown) and the others pass', async () => {
    server.keys = jwksOf(current);
    const handle = containerFor(server.jwksUri);
    expect((await call(handle, withdrawn)).thrown).toBe('Unauthorized');
    expect(decisions(output).at(-1)).toMatchObject({ decision: 'deny', reason: 'kid_unknown' });
    expect((await call(handle, current)).result?.principalId).toBe('user-1');
  });

  it('WHEN the issuer withdraws a key a running container already fetched THEN it stops being trusted once jwks.cacheMaxAgeMs has passed', async () => {
    const cacheMaxAgeMs = 200;
    const handle = containerFor(server.jwksUri, cacheMaxAgeMs);
    expect((await call(handle, withdrawn)).result?.principalId).toBe('user-1');
    server.keys = jwksOf(current);
    await new Promise((resolve) => setTimeout(resolve, cacheMaxAgeMs + 50));
    expect((await call(handle, withdrawn)).thrown).toBe('Unauthorized');
    expect(server.hits.jwks).toBe(2);
  });

  it('WHEN the live JWKS is unreachable THEN the baked keys keep the API up, with a warning logged once per cooldown', async () => {
    const handle = containerFor(`${await refusedOrigin()}/jwks.json`);
    expect((await call(handle, withdrawn)).result?.principalId).toBe('user-1');
    expect((await call(handle, current)).result?.principalId).toBe('user-1');
    const warnings = output.records().filter((r) => r.message === 'live JWKS unreachable: verifying with the keys baked in at deploy');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'WARN', iss: server.origin, reason: 'jwks_unavailable' });
  });

  it('WHEN the live JWKS answers 500 THEN the baked keys verify too', async () => {
    server.jwksFault = 'error';
    expect((await call(containerFor(server.jwksUri), current)).result?.principalId).toBe('user-1');
  });
});
