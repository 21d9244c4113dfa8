// The bearer token checked: from the container's cache of verified tokens or verified now, its identity and granted methods read once per token; any failure becomes a refusal with its code.
import type { AuthorizerConfig } from '../contract/authorizer-config';
import { readIdentity, type Identity } from './claims';
import type { Finding } from './decision';
import { TokenRejected } from './errors';
import type { KeyResolver } from './jwks';
import type { RouteTable } from './route-table';
import type { VerifiedTokenCache } from './token-cache';
import { rejection, verifyToken, type VerifiedToken } from './verify';

export interface TokenCheckDeps {
  readonly keysFor: KeyResolver;
  readonly cache: VerifiedTokenCache<VerifiedToken>;
  /** The clock (epoch ms) tokens and cache entries are checked against. */
  readonly now: () => number;
  readonly onCacheHit: () => void;
}

/** Checks the token `readToken` finds (it throws TokenRejected when there is none); a REST request metered by client id also needs one. */
export type TokenCheck = (readToken: () => string, needsClientId: boolean) => Promise<Finding>;

export function createTokenCheck(config: AuthorizerConfig, table: RouteTable, deps: TokenCheckDeps): TokenCheck {
  // What a verified token is granted depends only on its claims: worked out once per cached token.
  const grants = new WeakMap<VerifiedToken, { identity: Identity; granted: string[] }>();
  const grantsOf = (verified: VerifiedToken) => {
    let known = grants.get(verified);
    if (!known) {
      const identity = readIdentity(verified.claims, config, verified.issuer.grants);
      known = { identity, granted: table.granted(identity, verified.claims.iss) };
      grants.set(verified, known);
    }
    return known;
  };

  const verify = async (token: string): Promise<{ verified: VerifiedToken; fresh: boolean }> => {
    const cached = deps.cache.get(token);
    if (cached) {
      deps.onCacheHit();
      return { verified: cached, fresh: false };
    }
    const verified = await verifyToken(token, config, deps.keysFor, deps.now);
    // Its identity is read before it is cached, so a token refused for its claims is refused every time.
    grantsOf(verified);
    deps.cache.set(token, verified, cacheExpiry(verified, config, deps.now()));
    return { verified, fresh: true };
  };

  return async (readToken, needsClientId) => {
    try {
      const { verified, fresh } = await verify(readToken());
      const { identity, granted } = grantsOf(verified);
      if (needsClientId && !identity.clientId) {
        throw new TokenRejected('claim_missing', `no client id in ${config.clientIdClaims.join(', ')} to meter against a usage plan`);
      }
      return { token: { verified, fresh, identity, granted } };
    } catch (err) {
      return { rejection: rejection(err) };
    }
  };
}

/**
 * Never past `exp`, nor past `iat + maxTokenAge` when the config bounds token age, nor longer than the
 * key set is trusted (`jwks.cacheMaxAgeMs`): a token verified with a key the issuer then withdraws is
 * checked again within the same window as any new token of that key.
 */
function cacheExpiry({ claims }: VerifiedToken, config: AuthorizerConfig, nowMs: number): number {
  const bounds = [claims.exp * 1000, nowMs + config.jwks.cacheMaxAgeMs];
  if (config.maxTokenAgeSeconds !== undefined && typeof claims.iat === 'number')
    bounds.push((claims.iat + config.maxTokenAgeSeconds) * 1000);
  return Math.min(...bounds);
}
