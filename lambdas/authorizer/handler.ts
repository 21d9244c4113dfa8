// Lambda REQUEST authorizer: a Bearer JWT in; for a REST API an IAM policy for every route the token may call, for an HTTP API a simple yes or no for the route (and CloudFront's origin-verify header, when configured).
import { LogLevelThreshold, type Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { countMetric, countMetricBy, logger as sharedLogger, metrics as sharedMetrics, publishMetrics } from '../shared/observability';
import { originVerifierFromEnv, type OriginVerifier } from '../shared/origin-verify';
import { bearerToken } from './bearer';
import { DENY_REASON_DIMENSION, METRIC } from '../contract/authorizer-metrics';
import { readIdentity, type Identity } from './claims';
import { NO_IDENTITY_VALUE, type AuthorizerConfig, type AuthorizerContext } from '../contract/authorizer-config';
import { TokenRejected, type RejectionCode } from './errors';
import { createKeyResolver, type KeyResolver } from './jwks';
import { buildPolicy, grantedMethods, parseMethod, type Policy, type PolicyDocument } from '../contract/route-grants';
import { MAX_CACHED_TOKENS, VerifiedTokenCache } from './token-cache';
import { acceptedAlgorithms, rejection, verifyToken, type VerifiedToken } from './verify';

/** Injected by esbuild `define` when the construct bundles this handler at synth (see bundle.ts). */
declare const __GATEHOUSE_AUTHORIZER_CONFIG__: AuthorizerConfig | undefined;
/** Defined false by bundle.ts when the baked config checks no origin header, so the check's code stays out of the bundle. */
declare const __GATEHOUSE_AUTHORIZER_ORIGIN_VERIFY__: boolean | undefined;

export { METRIC } from '../contract/authorizer-metrics';

/** API Gateway answers 401 when an authorizer throws exactly this message. */
export const UNAUTHORIZED = 'Unauthorized';

/** What API Gateway reads from a REST API Lambda authorizer (APIGatewayAuthorizerResult, with our context). */
export interface AuthorizerResult {
  readonly principalId: string;
  readonly policyDocument: PolicyDocument;
  readonly context: AuthorizerContext;
  /** The client id, when `clientIdAsApiKey`: API Gateway meters it as the API key of a usage plan. */
  readonly usageIdentifierKey?: string;
}
/** What an HTTP API reads from a Lambda authorizer with simple responses (payload 2.0). */
export interface SimpleAuthorizerResult {
  readonly isAuthorized: boolean;
  readonly context: AuthorizerContext;
}

/** REST APIs send REQUEST events and get a policy; HTTP APIs send payload 2.0 events and get a simple response. */
export interface AuthorizerHandler {
  (event: APIGatewayRequestAuthorizerEvent): Promise<AuthorizerResult>;
  (event: APIGatewayRequestAuthorizerEventV2): Promise<SimpleAuthorizerResult>;
}

/** The route table's method for an HTTP API route key: `ANY /api/orders/{proxy+}` → `ANY/api/orders/*`. */
export function routeKeyMethod(routeKey: string): string {
  const space = routeKey.indexOf(' ');
  const [verb, path] = [routeKey.slice(0, space), routeKey.slice(space + 1)];
  return `${verb}${path.endsWith('/{proxy+}') ? `${path.slice(0, -'{proxy+}'.length)}*` : path}`;
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

/** Policies kept per container, by method ARN and granted methods; the oldest goes first. */
export const MAX_CACHED_POLICIES = 256;

/** The context of a request refused before its token was read: every field present, as API Gateway expects. */
const NO_IDENTITY: AuthorizerContext = Object.freeze({ sub: '', iss: '', roles: '', scopes: '', clientId: '' });

/**
 * Builds the handler once per container. Throws TypeError for a config no token could pass
 * (no accepted algorithm, no issuer) or a malformed route method: a planner bug, caught at init.
 */
export function createHandler(config: AuthorizerConfig, deps: AuthorizerDeps = {}): AuthorizerHandler {
  const log = deps.logger ?? sharedLogger;
  const metrics = deps.metrics ?? sharedMetrics;
  checkConfig(config, log);
  const methods = config.routes.map((route) => route.method);
  // The table as if no route named issuers: only read on a deny, to log that the issuer was the reason.
  const routesForAnyIssuer = config.routes.map(({ issuers: _ignored, ...route }) => route);
  const deniedForIssuer = (identity: Identity, allowedIgnoringIssuer: (granted: string[]) => boolean): boolean =>
    config.routes.some((route) => route.issuers) && allowedIgnoringIssuer(grantedMethods(routesForAnyIssuer, identity.scopes, identity.roles));
  const now = deps.now ?? Date.now;
  const cache = deps.tokenCache ?? new VerifiedTokenCache<VerifiedToken>(MAX_CACHED_TOKENS, now);
  // What a verified token is granted depends only on its claims: worked out once per cached token.
  const grants = new WeakMap<VerifiedToken, { identity: Identity; granted: string[] }>();
  const grantsOf = (verified: VerifiedToken) => {
    let known = grants.get(verified);
    if (!known) {
      const identity = readIdentity(verified.claims, config, verified.issuer.grants);
      known = { identity, granted: grantedMethods(config.routes, identity.scopes, identity.roles, verified.claims.iss) };
      grants.set(verified, known);
    }
    return known;
  };
  // A policy depends only on the method ARN and the granted methods (the route table is fixed): built once per
  // pair, it is most of a cache hit's remaining work, and tokens of the same scopes share it. Frozen, as it is shared.
  const policies = new Map<string, Policy>();
  const policyFor = (methodArn: string, granted: readonly string[]): Policy => {
    const key = `${methodArn}\n${granted.join('\n')}`;
    let known = policies.get(key);
    if (!known) {
      known = frozen(buildPolicy(methodArn, granted, methods));
      if (policies.size >= MAX_CACHED_POLICIES) policies.delete(policies.keys().next().value as string);
      policies.set(key, known);
    }
    return known;
  };
  // Powertools reads the environment (X-Ray trace id) on every call, even for a level it will not print.
  const debugEnabled = () => log.level <= LogLevelThreshold.DEBUG;
  const keysFor =
    deps.keyResolver ??
    createKeyResolver(config, {
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      onFetch: (kind) => countMetric(kind === 'jwks' ? METRIC.jwksFetch : METRIC.discoveryFetch, metrics),
      onBakedKeys: (issuer, why) =>
        log.warn('live JWKS unreachable: verifying with the keys baked in at deploy', { iss: issuer.issuer, reason: why.code, detail: why.message, error: causeOf(why) }),
    });
  // Payload 2.0 hands authorizers header names lower-cased.
  const origin = (typeof __GATEHOUSE_AUTHORIZER_ORIGIN_VERIFY__ === 'undefined' || __GATEHOUSE_AUTHORIZER_ORIGIN_VERIFY__) && config.originVerify && {
    header: config.originVerify.header.toLowerCase(),
    verifier: deps.originVerifier ?? originVerifierFromEnv(log),
  };

  const verify = async (token: string): Promise<{ verified: VerifiedToken; fresh: boolean }> => {
    const cached = cache.get(token);
    if (cached) {
      countMetric(METRIC.tokenCacheHit, metrics);
      return { verified: cached, fresh: false };
    }
    const verified = await verifyToken(token, config, keysFor, now);
    // Its identity is read before it is cached, so a token refused for its claims is refused every time.
    grantsOf(verified);
    cache.set(token, verified, cacheExpiry(verified, config, now()));
    return { verified, fresh: true };
  };

  /** Logs and counts a refused token; API Gateway answers 401 to exactly this error. */
  const refuse = (err: unknown, requestId: string | undefined): Error => {
    const refused = rejection(err);
    countMetricBy(METRIC.denied, DENY_REASON_DIMENSION, refused.code, metrics);
    // The message is ours or jose's; neither carries the token.
    const fields = { requestId, decision: 'deny', reason: refused.code, detail: refused.message };
    if (OPERATIONAL.has(refused.code)) log.error('token could not be checked', { ...fields, error: causeOf(refused) });
    else log.info('token refused', fields);
    return new Error(UNAUTHORIZED);
  };
  /** The identity as context; `absent` stands for a value the token lacks. */
  const contextOf = (verified: VerifiedToken, identity: Identity, absent = ''): AuthorizerContext => ({
    sub: verified.claims.sub || absent,
    iss: verified.claims.iss || absent,
    roles: identity.roles.join(',') || absent,
    scopes: identity.scopes.join(' ') || absent,
    clientId: identity.clientId || absent,
  });

  /**
   * Whether an HTTP API request came through CloudFront, asked before the token so a direct call costs no
   * verification. When the verifier cannot tell, this throws a plain Error, never 'Unauthorized': API Gateway
   * answers 500 and caches nothing, where a cached deny would lock CloudFront out for the authorizer's TTL.
   */
  const cameThroughCloudFront = async (event: APIGatewayRequestAuthorizerEventV2, requestId: string | undefined): Promise<boolean> => {
    if (!origin) return true;
    const value = event.headers?.[origin.header];
    let matches: boolean;
    try {
      matches = await origin.verifier.matches(value);
    } catch (err) {
      throw new Error('origin-verify header could not be checked', { cause: err });
    }
    if (!matches) {
      countMetricBy(METRIC.denied, DENY_REASON_DIMENSION, 'origin_verify', metrics);
      // Never the value: a wrong one may be a real secret from elsewhere, or this one with a typo.
      const header = value ? 'mismatch' : 'missing';
      log.info('request did not come through CloudFront', { requestId, decision: 'deny', reason: 'origin_verify', header, routeKey: event.routeKey, sourceIp: event.requestContext?.http?.sourceIp });
    }
    return matches;
  };

  /**
   * An HTTP API has already picked the route, so the answer is whether the token may call that one
   * route key; the API caches it per token and route key (both are identity sources, and so is the
   * origin-verify header when it is checked).
   */
  const simple = async (event: APIGatewayRequestAuthorizerEventV2): Promise<SimpleAuthorizerResult> => {
    const requestId = event.requestContext?.requestId;
    if (!(await cameThroughCloudFront(event, requestId))) {
      publishMetrics(metrics);
      return { isAuthorized: false, context: NO_IDENTITY };
    }
    try {
      const { verified, fresh } = await verify(bearerToken(event.headers ?? {}));
      const { identity, granted } = grantsOf(verified);
      const method = routeKeyMethod(event.routeKey);
      const isAuthorized = granted.includes(method);
      const who = { requestId, sub: verified.claims.sub, iss: verified.claims.iss, clientId: identity.clientId, kid: verified.kid, routeKey: event.routeKey };
      if (isAuthorized) {
        countMetric(METRIC.allowed, metrics);
        if (fresh) log.info('token accepted', { ...who, decision: 'allow', cached: false });
        else if (debugEnabled()) log.debug('token accepted', { ...who, decision: 'allow', cached: true });
      } else {
        const reason = !methods.includes(method)
          ? 'route_not_configured'
          : deniedForIssuer(identity, (anyIssuer) => anyIssuer.includes(method))
            ? 'issuer_not_accepted'
            : 'insufficient_scope';
        countMetricBy(METRIC.denied, DENY_REASON_DIMENSION, reason, metrics);
        log.info('token lacks the issuer, scope or role for this route', { ...who, decision: 'deny', reason });
      }
      return { isAuthorized, context: contextOf(verified, identity) };
    } catch (err) {
      throw refuse(err, requestId);
    } finally {
      publishMetrics(metrics);
    }
  };

  const policy = async (event: APIGatewayRequestAuthorizerEvent): Promise<AuthorizerResult> => {
    const requestId = event.requestContext?.requestId;
    try {
      const { verified, fresh } = await verify(bearerToken(event.headers, event.multiValueHeaders));
      const { claims } = verified;
      const { identity, granted } = grantsOf(verified);
      if (config.clientIdAsApiKey && !identity.clientId) {
        throw new TokenRejected('claim_missing', `no client id in ${config.clientIdClaims.join(', ')} to meter against a usage plan`);
      }
      const policy = policyFor(event.methodArn, granted);
      const who = { requestId, sub: claims.sub, iss: claims.iss, clientId: identity.clientId, kid: verified.kid };
      if (policy.allowsMethod) {
        countMetric(METRIC.allowed, metrics);
        // One info line per verified token; its reuses from the container cache log at debug only.
        const accepted = () => ({ ...who, decision: 'allow', methodArn: event.methodArn, granted: granted.length, cached: !fresh });
        if (fresh) log.info('token accepted', accepted());
        else if (debugEnabled()) log.debug('token accepted', accepted());
      } else {
        // A valid token without the scope or role for this method: API Gateway answers 403.
        const reason = !policy.routeKnown
          ? 'route_not_configured'
          : deniedForIssuer(identity, (anyIssuer) => buildPolicy(event.methodArn, anyIssuer, methods).allowsMethod)
            ? 'issuer_not_accepted'
            : 'insufficient_scope';
        countMetricBy(METRIC.denied, DENY_REASON_DIMENSION, reason, metrics);
        const fields = { ...who, decision: 'deny', reason, methodArn: event.methodArn };
        if (policy.routeKnown) log.info('token lacks the issuer, scope or role for this method', fields);
        else log.warn('method is not in the route table the authorizer was built with', fields);
      }
      if (!policy.coversAllRoutes) {
        log.warn('policy covers this method only: cache the authorizer result with TTL 0 for this route table', { requestId });
      }
      return {
        principalId: claims.sub,
        policyDocument: policy.policyDocument,
        // A REST gateway maps these into identity headers, so none is empty (see NO_IDENTITY_VALUE).
        context: contextOf(verified, identity, NO_IDENTITY_VALUE),
        ...(config.clientIdAsApiKey ? { usageIdentifierKey: identity.clientId } : {}),
      };
    } catch (err) {
      throw refuse(err, requestId);
    } finally {
      publishMetrics(metrics);
    }
  };
  return (async (event: APIGatewayRequestAuthorizerEvent | APIGatewayRequestAuthorizerEventV2) =>
    (event as { version?: string }).version === '2.0' ? simple(event as APIGatewayRequestAuthorizerEventV2) : policy(event as APIGatewayRequestAuthorizerEvent)) as AuthorizerHandler;
}

/** Rejections that mean something is wrong on our side or the issuer's, not with the caller. */
const OPERATIONAL: ReadonlySet<RejectionCode> = new Set(['jwks_unavailable', 'internal_error']);

/**
 * Never past `exp`, nor past `iat + maxTokenAge` when the config bounds token age, nor longer than the
 * key set is trusted (`jwks.cacheMaxAgeMs`): a token verified with a key the issuer then withdraws is
 * checked again within the same window as any new token of that key.
 */
function cacheExpiry({ claims }: VerifiedToken, config: AuthorizerConfig, nowMs: number): number {
  const bounds = [claims.exp * 1000, nowMs + config.jwks.cacheMaxAgeMs];
  if (config.maxTokenAgeSeconds !== undefined && typeof claims.iat === 'number') bounds.push((claims.iat + config.maxTokenAgeSeconds) * 1000);
  return Math.min(...bounds);
}

function checkConfig(config: AuthorizerConfig, log: Logger): void {
  const accepted = acceptedAlgorithms(config);
  const ignored = config.algorithms.filter((alg) => !accepted.includes(alg));
  if (ignored.length > 0) log.warn('ignoring algorithms this authorizer never accepts', { ignored });
  if (accepted.length === 0) {
    throw new TypeError(`config.algorithms ${JSON.stringify(config.algorithms)} has no asymmetric algorithm: no token could pass`);
  }
  if (config.issuers.length === 0) throw new TypeError('config.issuers is empty: no token could pass');
  config.routes.forEach((route) => parseMethod(route.method));
}

function frozen(policy: Policy): Policy {
  for (const statement of policy.policyDocument.Statement) Object.freeze(Object.freeze(statement).Resource);
  Object.freeze(policy.policyDocument.Statement);
  Object.freeze(policy.policyDocument);
  return Object.freeze(policy);
}

function causeOf(err: Error): string | undefined {
  return err.cause instanceof Error ? `${err.cause.name}: ${err.cause.message}` : undefined;
}

/** The Lambda entry point: the config baked into the bundle, read once at init. */
export const handler: AuthorizerHandler =
  typeof __GATEHOUSE_AUTHORIZER_CONFIG__ === 'undefined'
    ? // eslint-disable-next-line @typescript-eslint/require-await -- the handler's async signature; it only refuses
      ((async () => {
        sharedLogger.error('authorizer bundle has no baked config: refusing every token');
        throw new Error(UNAUTHORIZED);
      }))
    : createHandler(__GATEHOUSE_AUTHORIZER_CONFIG__);
