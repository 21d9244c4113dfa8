// The JWT authorizer behind CloudFront on an HTTP API: the origin-verify header is checked (against a real secret in moto_server) before the token.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleAuthorizer } from '../../../lib/constructs/bundling/authorizer-bundle';
import type { AuthorizerConfig } from '../../../lambdas/contract/authorizer-config';
import { createHandler, METRIC, UNAUTHORIZED } from '../../../lambdas/authorizer/handler';
import { DENY_REASON_DIMENSION } from '../../../lambdas/contract/authorizer-metrics';
import { METRICS_NAMESPACE } from '../../../lambdas/shared/observability';
import {
  createOriginVerifier,
  ORIGIN_VERIFY_HEADER,
  ORIGIN_VERIFY_SECRET_ENV,
  OriginSecretUnavailable,
  type OriginVerifier,
} from '../../../lambdas/shared/origin-verify';
import { originRequestEvent } from '../origin-verify/support/events';
import {
  replayInBundle,
  createOriginSecret,
  findMotoServer,
  freePort,
  MOTO_MISSING,
  originSecretValue,
  secretsClient,
  startMotoServer,
  type MotoServer,
} from '../shared/support/secrets-moto';
import { arnOf, authorizerConfig, captureOutput, decisions, metricCount, requestEvent, type CapturedOutput } from './support/fixtures';
import { startJwksServer, type JwksServer } from './support/jwks-server';
import { jwksOf, signingKey, signToken, type SigningKey } from './support/keys';
import { policyAllows } from './support/iam';
import { scaled } from '../../support/time-factor';

const AUDIENCE = 'orders-api';
const SERVICE = 'orders-authorizer';
const NO_IDENTITY = { sub: '-', iss: '-', roles: '-', scopes: '-', clientId: '-' };
/** Where the Lambda runtime's own AWS SDK is found here: the runtime puts its copy on NODE_PATH the same way. */

const motoServer = findMotoServer();

function observability() {
  const logger = new Logger({ serviceName: SERVICE });
  return { logger, metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE, logger }) };
}

/** A verifier that must not be asked: REST events and configs without originVerify never consult it. */
const untouchable: OriginVerifier = {
  matches: () => {
    throw new Error('the origin verifier was asked');
  },
};

// Without moto_server these tests fail (beforeAll throws, naming the fix) rather than skip.
describe(
  'GIVEN a JWT authorizer with originVerify, its keys served live and its secret in Secrets Manager (moto_server)',
  { timeout: scaled(30_000) },
  () => {
    let moto: MotoServer;
    let client: SecretsManagerClient;
    let jwks: JwksServer;
    let key: SigningKey;
    let config: AuthorizerConfig;
    let secretArn: string;
    let value: string;
    let token: string;
    let output: CapturedOutput;

    beforeAll(async () => {
      if (motoServer === undefined) throw new Error(MOTO_MISSING);
      moto = await startMotoServer(motoServer);
      client = secretsClient(moto.endpoint);
      value = originSecretValue();
      secretArn = await createOriginSecret(client, value);
      key = await signingKey('k1');
      jwks = await startJwksServer(jwksOf(key));
      // No baked keys: verifying a token fetches the JWKS, so a fetch shows whether the token was looked at.
      config = authorizerConfig([{ issuer: jwks.origin, audiences: [AUDIENCE], jwksUri: jwks.jwksUri }], {
        originVerify: { header: ORIGIN_VERIFY_HEADER },
      });
      token = `Bearer ${await signToken(key, { iss: jwks.origin, aud: AUDIENCE, scope: 'orders:read', client_id: 'web' })}`;
      output = captureOutput();
    });

    afterAll(async () => {
      output?.restore();
      client?.destroy();
      await jwks?.close();
      await moto?.stop();
    });

    afterEach(() => {
      output.clear();
      jwks.resetCounts();
    });

    /** A handler as one container builds it, with a real verifier reading the secret through `secrets`. */
    const container = (secrets: SecretsManagerClient = client) =>
      createHandler(config, { originVerifier: createOriginVerifier({ secretId: secretArn, client: secrets }), ...observability() });

    it('WHEN a valid token comes with the right header THEN the route is authorized with the identity in the context', async () => {
      const handle = container();
      const result = await handle(originRequestEvent({ authorization: token, originVerify: value, routeKey: 'GET /api/orders/{proxy+}' }));
      expect(result).toEqual({
        isAuthorized: true,
        context: { sub: 'user-1', iss: jwks.origin, roles: '-', scopes: 'orders:read', clientId: 'web' },
      });
    });

    it('WHEN a valid token comes with a wrong or no header THEN isAuthorized is false without the token being verified, logged and counted as origin_verify', async () => {
      const handle = container();
      const wrong = originSecretValue();
      expect(
        await handle(originRequestEvent({ authorization: token, originVerify: wrong, sourceIp: '198.51.100.7', requestId: 'req-direct' })),
      ).toEqual({
        isAuthorized: false,
        context: NO_IDENTITY,
      });
      expect(await handle(originRequestEvent({ authorization: token }))).toEqual({ isAuthorized: false, context: NO_IDENTITY });
      expect(jwks.hits.jwks).toBe(0);
      expect(decisions(output)).toEqual([
        expect.objectContaining({
          requestId: 'req-direct',
          decision: 'deny',
          reason: 'origin_verify',
          header: 'mismatch',
          routeKey: 'GET /api/orders',
          sourceIp: '198.51.100.7',
        }),
        expect.objectContaining({ decision: 'deny', reason: 'origin_verify', header: 'missing' }),
      ]);
      expect(metricCount(output, METRIC.denied, { [DENY_REASON_DIMENSION]: 'origin_verify' })).toBe(2);
      expect(output.text()).not.toContain(wrong);
      expect(output.text()).not.toContain(value);
      expect(output.text()).not.toContain(token.split('.')[2]!);

      // The same container verifies the same token once the header is right: the fetch above was skipped, not impossible.
      expect(await handle(originRequestEvent({ authorization: token, originVerify: value }))).toMatchObject({ isAuthorized: true });
      expect(jwks.hits.jwks).toBe(1);
    });

    it('WHEN the right header comes without a token THEN the token is still required (not authorized)', async () => {
      expect(await container()(originRequestEvent({ originVerify: value }))).toEqual({ isAuthorized: false, context: NO_IDENTITY });
      expect(decisions(output).at(-1)).toMatchObject({ reason: 'token_missing' });
    });

    it('WHEN a REST API (payload 1.0) event comes without the header THEN it is not checked: the web ACL protects a REST API', async () => {
      const handle = createHandler(config, { originVerifier: untouchable, ...observability() });
      const result = await handle(requestEvent(token, arnOf('GET/api/orders')));
      expect(policyAllows(result.policyDocument, arnOf('GET/api/orders'))).toBe(true);
    });

    it('WHEN the config has no originVerify THEN payload 2.0 events go straight to the token', async () => {
      const handle = createHandler({ ...config, originVerify: undefined }, { originVerifier: untouchable, ...observability() });
      expect(await handle(originRequestEvent({ authorization: token }))).toMatchObject({ isAuthorized: true });
    });

    it('WHEN Secrets Manager cannot be reached at cold start THEN it throws a plain error (API Gateway answers 500, caching nothing), not Unauthorized', async () => {
      const unreachable = secretsClient(`http://127.0.0.1:${await freePort()}`, { maxAttempts: 1 });
      try {
        const failure = await container(unreachable)(originRequestEvent({ authorization: token, originVerify: value })).then(
          () => undefined,
          (error: unknown) => error as Error,
        );
        expect(failure).toBeInstanceOf(Error);
        expect(failure?.message).not.toBe(UNAUTHORIZED);
        expect(failure?.cause).toBeInstanceOf(OriginSecretUnavailable);
        expect(jwks.hits.jwks).toBe(0);
        expect(metricCount(output, METRIC.denied)).toBe(0);
      } finally {
        unreachable.destroy();
      }
    });

    it('WHEN an injected verifier fails with "Unauthorized" THEN the authorizer still throws something else: a 401 would not say the check failed', async () => {
      const failing: OriginVerifier = { matches: async () => Promise.reject(new Error(UNAUTHORIZED)) };
      const handle = createHandler(config, { originVerifier: failing, ...observability() });
      await expect(handle(originRequestEvent({ authorization: token, originVerify: value }))).rejects.toThrow(
        /^origin-verify header could not be checked$/,
      );
    });

    it(`WHEN it is deployed without ${ORIGIN_VERIFY_SECRET_ENV} THEN it logs an error at init and refuses every payload 2.0 request`, async () => {
      const before = process.env[ORIGIN_VERIFY_SECRET_ENV];
      delete process.env[ORIGIN_VERIFY_SECRET_ENV];
      try {
        const handle = createHandler(config, observability());
        expect(output.records().filter((record) => record.level === 'ERROR')).toEqual([
          expect.objectContaining({ message: `${ORIGIN_VERIFY_SECRET_ENV} is not set: refusing every request` }),
        ]);
        expect(await handle(originRequestEvent({ authorization: token, originVerify: value }))).toEqual({
          isAuthorized: false,
          context: NO_IDENTITY,
        });
      } finally {
        if (before !== undefined) process.env[ORIGIN_VERIFY_SECRET_ENV] = before;
      }
    });

    it('WHEN the bundle with originVerify baked in runs in a fresh Node process, the secret ARN and endpoint in its environment THEN it checks the header before the token', async () => {
      const outdir = mkdtempSync(join(tmpdir(), 'gatehouse-authorizer-origin-'));
      try {
        const baked = authorizerConfig(
          [{ issuer: jwks.origin, audiences: [AUDIENCE], jwks: jwksOf(key), jwksUri: 'https://keys.invalid/jwks' }],
          {
            originVerify: { header: ORIGIN_VERIFY_HEADER },
          },
        );
        const bundle = bundleAuthorizer(baked, outdir);
        const events = [
          originRequestEvent({ authorization: token, originVerify: value }),
          originRequestEvent({ authorization: token, originVerify: originSecretValue() }),
          originRequestEvent({ authorization: token }),
        ];
        const { answers, stdout } = await replayInBundle(bundle.file, {
          cwd: outdir,
          endpoint: moto.endpoint,
          secretArn,
          serviceName: SERVICE,
          events,
        });
        expect(answers).toEqual([
          { isAuthorized: true, context: { sub: 'user-1', iss: jwks.origin, roles: '-', scopes: 'orders:read', clientId: 'web' } },
          { isAuthorized: false, context: NO_IDENTITY },
          { isAuthorized: false, context: NO_IDENTITY },
        ]);
        expect(stdout).not.toContain(value);
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    });
  },
);
