// Lambda REQUEST authorizer: a Bearer JWT in; for a REST API an IAM policy for every route the token may call, for an HTTP API a simple yes or no for the route (and CloudFront's origin-verify header, when configured).
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { countMetric, logger as sharedLogger, metrics as sharedMetrics } from '../shared/observability';
import { originVerifierFromEnv, type OriginVerifier } from '../shared/origin-verify';
import { bearerToken } from './bearer';
import { METRIC } from '../contract/authorizer-metrics';
import type { AuthorizerConfig } from '../contract/authorizer-config';
import { decide, type AuthorizerRequest, type Finding } from './decision';
import { createKeyResolver, type KeyResolver } from './jwks';
import { policyResponse, UNAUTHORIZED, type AuthorizerResult } from './policy-response';
import { causeOf, createRecorder } from './record';
import { createRouteTable } from './route-table';
import { simpleResponse, type SimpleAuthorizerResult } from './simple-response';
import { createTokenCheck } from './token-check';
import { MAX_CACHED_TOKENS, VerifiedTokenCache } from './token-cache';
import { acceptedAlgorithms, type VerifiedToken } from './verify';

/** Injected by esbuild `define` when the construct bundles this handler at synth (see bundle.ts). */
declare const __GATEHOUSE_AUTHORIZER_CONFIG__: AuthorizerConfig | undefined;
/** Defined false by bundle.ts when the baked config checks no origin header, so the check's code stays out of the bundle. */
declare const __GATEHOUSE_AUTHORIZER_ORIGIN_VERIFY__: boolean | undefined;

export { METRIC } from '../contract/authorizer-metrics';
export { routeKeyMethod } from './decision';
export { UNAUTHORIZED, type AuthorizerResult } from './policy-response';
export { MAX_CACHED_POLICIES } from './route-table';
export type { SimpleAuthorizerResult } from './simple-response';

/** REST APIs send REQUEST events and get a policy; HTTP APIs send payload 2.0 events and get a simple response. */
export interface AuthorizerHandler {
  (event: APIGatewayRequestAuthorizerEvent): Promise<AuthorizerResult>;
  (event: APIGatewayRequestAuthorizerEventV2): Promise<SimpleAuthorizerResult>;
}

export interface AuthorizerDeps {
  /** @default keys fetched with `fetch` per config.jwks */
  readonly keyResolver?: KeyResolver;
  /** Used by the default key resolver. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default the shared Powertools logger */
  readonly logger?: Logger;
  /** @default the shared Powertools metrics */
  readonly metrics?: Metrics;
  /** A cache of verified tokens; pass one with 0 entries to verify every time. @default 1000 entries */
  readonly tokenCache?: VerifiedTokenCache<VerifiedToken>;
  /** The clock (epoch ms) tokens and cache entries are checked against. @default Date.now */
  readonly now?: () => number;
  /**
   * Checks CloudFront's header when `config.originVerify` is set (unused otherwise).
   * @default one reading the secret named by env GATEHOUSE_ORIGIN_VERIFY_SECRET_ARN
   */
  readonly originVerifier?: OriginVerifier;
}

/**
 * Builds the handler once per container: what is found out about a request (origin header, token) goes through
 * `decide`, is recorded, and answered by the flavor's responder. Throws TypeError for a config no token could pass
 * (no accepted algorithm, no issuer) or a malformed route method: a planner bug, caught at init.
 */
export function createHandler(config: AuthorizerConfig, deps: AuthorizerDeps = {}): AuthorizerHandler {
  const log = deps.logger ?? sharedLogger;
  const metrics = deps.metrics ?? sharedMetrics;
  checkConfig(config, log);
  const table = createRouteTable(config.routes);
  const now = deps.now ?? Date.now;
  const keysFor =
    deps.keyResolver ??
    createKeyResolver(config, {
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      onFetch: (kind) => countMetric(kind === 'jwks' ? METRIC.jwksFetch : METRIC.discoveryFetch, metrics),
      onBakedKeys: (issuer, why) =>
        log.warn('live JWKS unreachable: verifying with the keys baked in at deploy', {
          iss: issuer.issuer,
          reason: why.code,
          detail: why.message,
          error: causeOf(why),
        }),
    });
  const checkToken = createTokenCheck(config, table, {
    keysFor,
    now,
    cache: deps.tokenCache ?? new VerifiedTokenCache<VerifiedToken>(MAX_CACHED_TOKENS, now),
    onCacheHit: () => countMetric(METRIC.tokenCacheHit, metrics),
  });
  const record = createRecorder(log, metrics);
  /**
   * Whether an HTTP API request came through CloudFront, asked before the token so a direct call costs no
   * verification. When the verifier cannot tell, this throws a plain Error, never 'Unauthorized': API Gateway
   * answers 500 and caches nothing, where a cached deny would lock CloudFront out for the authorizer's TTL.
   * Written as one conditional so esbuild drops it from a bundle whose config checks no origin header.
   */
  const originRefused =
    (typeof __GATEHOUSE_AUTHORIZER_ORIGIN_VERIFY__ === 'undefined' || __GATEHOUSE_AUTHORIZER_ORIGIN_VERIFY__) && config.originVerify
      ? originCheck(config.originVerify.header, deps.originVerifier ?? originVerifierFromEnv(log))
      : undefined;

  /**
   * An HTTP API has already picked the route, so the answer is whether the token may call that one
   * route key; the API caches it per token and route key (both are identity sources, and so is the
   * origin-verify header when it is checked).
   */
  const simple = async (event: APIGatewayRequestAuthorizerEventV2): Promise<SimpleAuthorizerResult> => {
    const request: AuthorizerRequest = {
      kind: 'simple',
      requestId: event.requestContext?.requestId,
      routeKey: event.routeKey,
      sourceIp: event.requestContext?.http?.sourceIp,
    };
    const finding = (await originRefused?.(event)) ?? (await checkToken(() => bearerToken(event.headers ?? {}), false));
    const decision = decide(finding, table, request);
    record(decision);
    return simpleResponse(decision);
  };

  const policy = async (event: APIGatewayRequestAuthorizerEvent): Promise<AuthorizerResult> => {
    const request: AuthorizerRequest = { kind: 'policy', requestId: event.requestContext?.requestId, methodArn: event.methodArn };
    const decision = decide(
      await checkToken(() => bearerToken(event.headers, event.multiValueHeaders), config.clientIdAsApiKey),
      table,
      request,
    );
    record(decision);
    return policyResponse(decision, config.clientIdAsApiKey);
  };
  return (async (event: APIGatewayRequestAuthorizerEvent | APIGatewayRequestAuthorizerEventV2) =>
    (event as { version?: string }).version === '2.0'
      ? simple(event as APIGatewayRequestAuthorizerEventV2)
      : policy(event as APIGatewayRequestAuthorizerEvent)) as AuthorizerHandler;
}

function originCheck(name: string, verifier: OriginVerifier): (event: APIGatewayRequestAuthorizerEventV2) => Promise<Finding | undefined> {
  // Payload 2.0 hands authorizers header names lower-cased.
  const header = name.toLowerCase();
  return async (event) => {
    const value = event.headers?.[header];
    let matches: boolean;
    try {
      matches = await verifier.matches(value);
    } catch (err) {
      throw new Error('origin-verify header could not be checked', { cause: err });
    }
    return matches ? undefined : { originHeader: value ? 'mismatch' : 'missing' };
  };
}

function checkConfig(config: AuthorizerConfig, log: Logger): void {
  const accepted = acceptedAlgorithms(config);
  const ignored = config.algorithms.filter((alg) => !accepted.includes(alg));
  if (ignored.length > 0) log.warn('ignoring algorithms this authorizer never accepts', { ignored });
  if (accepted.length === 0) {
    throw new TypeError(`config.algorithms ${JSON.stringify(config.algorithms)} has no asymmetric algorithm: no token could pass`);
  }
  if (config.issuers.length === 0) throw new TypeError('config.issuers is empty: no token could pass');
}

/** The Lambda entry point: the config baked into the bundle, read once at init. */
export const handler: AuthorizerHandler =
  typeof __GATEHOUSE_AUTHORIZER_CONFIG__ === 'undefined'
    ? // eslint-disable-next-line @typescript-eslint/require-await -- the handler's async signature; it only refuses
      async () => {
        sharedLogger.error('authorizer bundle has no baked config: refusing every token');
        throw new Error(UNAUTHORIZED);
      }
    : createHandler(__GATEHOUSE_AUTHORIZER_CONFIG__);
