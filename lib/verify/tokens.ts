// Tokens the auth checks send: a forged one signed with a throwaway key, and what a caller's token does (not) carry.
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { isHttpGateway, type GatewayPlan } from '../plan/types';

/** The issuer and audience a forged token claims, so only its signature can give it away. */
export function trustedIssuerOf(gateway: GatewayPlan): { issuer: string; audience?: string } | undefined {
  const lambda = gateway.authorizer?.config.issuers[0];
  if (lambda) return { issuer: lambda.issuer, audience: lambda.audiences[0] };
  const native = isHttpGateway(gateway) ? gateway.nativeJwtAuthorizer : undefined;
  return native ? { issuer: native.issuer, audience: native.audiences[0] } : undefined;
}

/**
 * A token that looks right in every way but its signature: the caller's claims (or the plan's issuer and audience,
 * and every scope the routes ask for), a fresh `exp`, the caller's `kid`, signed with a key made for this run.
 */
export async function forgeToken(gateway: GatewayPlan, template?: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const header = template ? safely(() => decodeProtectedHeader(template)) : undefined;
  const alg = header?.alg === 'ES256' ? 'ES256' : 'RS256';
  const trusted = trustedIssuerOf(gateway);
  const scopes = [...new Set(gateway.routes.flatMap((r) => r.features.scopes))];
  const claims: JWTPayload = (template && safely(() => decodeJwt(template))) || {
    ...(trusted ? { iss: trusted.issuer } : {}),
    ...(trusted?.audience ? { aud: trusted.audience } : {}),
    sub: 'gatehouse-verify-forged',
    ...(scopes.length ? { scope: scopes.join(' ') } : {}),
  };
  const privateKey = await throwawayKey(alg);
  return new SignJWT({ ...claims, iat: now, exp: now + 600 })
    .setProtectedHeader({ alg, kid: typeof header?.kid === 'string' ? header.kid : 'gatehouse-verify-forged', typ: 'JWT' })
    .sign(privateKey);
}

/** One key per algorithm and process: made on first use (RSA generation takes a while), never published anywhere. */
const throwawayKeys = new Map<string, Promise<CryptoKey>>();
function throwawayKey(alg: 'RS256' | 'ES256'): Promise<CryptoKey> {
  let key = throwawayKeys.get(alg);
  if (!key) {
    key = generateKeyPair(alg).then((pair) => pair.privateKey);
    throwawayKeys.set(alg, key);
  }
  return key;
}

/** The token's claims without verifying it (it is the caller's own), or undefined when it is no JWT. */
export function claimsOf(token: string): JWTPayload | undefined {
  return safely(() => decodeJwt(token));
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
