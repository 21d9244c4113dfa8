// Signing keys per trusted issuer: the issuer's live JWKS (discovered when not configured), and baked keys while it cannot be fetched.
import type { AuthorizerConfig, TrustedIssuer } from '../contract/authorizer-config';
import { TokenRejected } from './errors';
import { localKeySet, MultipleMatchingKeys, remoteKeySet, type KeyFunction } from './key-set';

/** Returns the key function for tokens of one trusted issuer (jose's `JWTVerifyGetKey` shape). */
export type KeyResolver = (issuer: TrustedIssuer) => KeyFunction;

/** The suffix OpenID Connect Discovery appends to an issuer to find its metadata. */
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/** Hosts where plain `http://` key URLs are accepted (a provider running beside the tests or the emulator). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface KeyResolverDeps {
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Called before every network fetch, to count them. */
  readonly onFetch?: (kind: 'jwks' | 'discovery') => void;
  /** Called when the live JWKS could not be fetched and the issuer's baked keys answer instead. */
  readonly onBakedKeys?: (issuer: TrustedIssuer, why: TokenRejected) => void;
}

/**
 * One resolver per container: each issuer's remote key set (and its discovered `jwks_uri`) is
 * created on first use and kept, so its cache, `cacheMaxAgeMs` and `cooldownMs` hold across
 * invocations.
 */
export function createKeyResolver(config: Pick<AuthorizerConfig, 'jwks'>, deps: KeyResolverDeps = {}): KeyResolver {
  const fetchImpl = deps.fetch ?? ((input, init) => fetch(input, init));
  const onFetch = deps.onFetch ?? (() => undefined);
  const onBakedKeys = deps.onBakedKeys ?? (() => undefined);
  const perIssuer = new Map<string, KeyFunction>();

  return (trusted) => {
    let getKey = perIssuer.get(trusted.issuer);
    if (!getKey) {
      getKey = issuerKeys(trusted, config.jwks, fetchImpl, onFetch, onBakedKeys);
      perIssuer.set(trusted.issuer, getKey);
    }
    return getKey;
  };
}

function issuerKeys(
  trusted: TrustedIssuer,
  options: AuthorizerConfig['jwks'],
  fetchImpl: typeof fetch,
  onFetch: (kind: 'jwks' | 'discovery') => void,
  onBakedKeys: (issuer: TrustedIssuer, why: TokenRejected) => void,
): KeyFunction {
  const baked = trusted.jwks ? localKeySet(trusted.jwks) : undefined;
  /** Until when baked keys answer without asking the live JWKS again, after it could not be fetched. */
  let bakedOnlyUntil = 0;
  let outage: TokenRejected | undefined;
  let remote: Promise<KeyFunction> | undefined;
  let failedAt: number | undefined;

  const remoteKeys = (): Promise<KeyFunction> => {
    // A failure is kept for one cooldown, like the key set's refetch cooldown: while a provider is
    // down, a burst of tokens (junk kids included) costs it one request, not one per token.
    if (remote && (failedAt === undefined || Date.now() - failedAt < options.cooldownMs)) return remote;
    failedAt = undefined;
    const attempt = (async () => {
      const url = trusted.jwksUri
        ? keyUrl(trusted.jwksUri, 'jwksUri')
        : await discoverJwksUri(trusted.issuer, options.timeoutMs, fetchImpl, onFetch);
      return remoteKeySet(url, { ...options, fetch: fetchImpl, onFetch: () => onFetch('jwks') });
    })();
    // After the cooldown the next token retries, rather than every token being denied until the container is recycled.
    attempt.catch(() => {
      if (remote === attempt) failedAt = Date.now();
    });
    remote = attempt;
    return attempt;
  };

  const liveKey: KeyFunction = async (header, token) => {
    const getKey = await remoteKeys();
    try {
      return await getKey(header, token);
    } catch (err) {
      // kid_unknown or kid_not_yet_fetched: the set answered.
      if (err instanceof TokenRejected || err instanceof MultipleMatchingKeys) throw err;
      throw new TokenRejected('jwks_unavailable', `keys of ${trusted.issuer} could not be fetched: ${reasonOf(err)}`, {
        cause: err,
      });
    }
  };
  if (!baked) return liveKey;

  // The live JWKS decides whenever it answers, so a key the issuer withdrew is refused within
  // cacheMaxAgeMs (a set older than that is refetched before it answers), in new containers too.
  // Baked keys are the fallback that keeps tokens verifiable while it cannot be fetched; after a
  // failure they answer alone for one cooldown, so an outage costs one timeout per cooldown, not one per token.
  const fromBaked = async (header: Parameters<KeyFunction>[0], token: Parameters<KeyFunction>[1], why: TokenRejected) => {
    try {
      return await baked(header, token);
    } catch (err) {
      // A kid the baked set does not know either: the outage is the reason the token cannot be checked.
      if (isKidUnknown(err)) throw why;
      throw err;
    }
  };
  return async (header, token) => {
    if (outage && Date.now() < bakedOnlyUntil) return fromBaked(header, token, outage);
    try {
      const key = await liveKey(header, token);
      outage = undefined;
      return key;
    } catch (err) {
      if (!(err instanceof TokenRejected) || err.code !== 'jwks_unavailable') throw err;
      outage = err;
      bakedOnlyUntil = Date.now() + options.cooldownMs;
      onBakedKeys(trusted, err);
      return fromBaked(header, token, err);
    }
  };
}

/**
 * Finds `jwks_uri` in the issuer's discovery document. The document must name the same issuer
 * (OpenID Connect Discovery 1.0 §4.3), so one issuer's metadata cannot hand out another's keys.
 */
export async function discoverJwksUri(
  issuer: string,
  timeoutMs: number,
  fetchImpl: typeof fetch = fetch,
  onFetch: (kind: 'discovery') => void = () => undefined,
): Promise<URL> {
  const url = `${issuer.replace(/\/$/, '')}${DISCOVERY_PATH}`;
  const fail = (why: string, cause?: unknown): never => {
    throw new TokenRejected('jwks_unavailable', `OpenID discovery at ${url} failed: ${why}`, { cause });
  };
  let metadata: unknown;
  try {
    onFetch('discovery');
    // The timeout covers the body too: a provider that sends headers and stalls is cut off the same way.
    const response = await fetchImpl(url, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
    if (response.status !== 200) fail(`HTTP ${response.status}`);
    metadata = await response.json();
  } catch (err) {
    if (err instanceof TokenRejected) throw err;
    fail(reasonOf(err), err);
  }
  const { issuer: named, jwks_uri: jwksUri } = (metadata ?? {}) as { issuer?: unknown; jwks_uri?: unknown };
  if (named !== issuer) fail(`the document names issuer ${JSON.stringify(named)}`);
  if (typeof jwksUri !== 'string') fail('the document has no jwks_uri');
  return keyUrl(jwksUri as string, 'jwks_uri');
}

/** Keys are only fetched over https, or plain http on loopback. */
function keyUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new TokenRejected('jwks_unavailable', `${what} is not a URL`, { cause });
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  if (!secure) throw new TokenRejected('jwks_unavailable', `${what} ${url.href} must use https`);
  return url;
}

function isKidUnknown(err: unknown): boolean {
  return err instanceof TokenRejected && err.code === 'kid_unknown';
}

function reasonOf(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'timed out';
  if (err instanceof Error) return err.cause instanceof Error ? `${err.message} (${err.cause.message})` : err.message;
  return String(err);
}
