// The HTTP API's native JWT authorizer, emulated with jose: issuer's JWKS by OpenID discovery, iss/aud/exp checks, route scopes.
// Doc: "Controlling access to HTTP APIs with JWT authorizers" (API Gateway developer guide): validation steps,
// audience from `aud` or `client_id`, scopes from `scope` or `scp`, 401 for a bad token and 403 for a missing scope.
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

export type JwtOutcome =
  | { readonly ok: true; readonly claims: JWTPayload; readonly scopes: string[] }
  | { readonly ok: false; readonly status: 401 | 403; readonly wwwAuthenticate: string; readonly reason: string };

export interface JwtConfiguration {
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly identitySource: string;
}

/** How long the issuer's discovery document may take (loopback issuers on a loaded machine included). */
const DISCOVERY_TIMEOUT_MS = 10_000;

export class JwtAuthorizer {
  private jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(readonly config: JwtConfiguration) {}

  async authorize(headerValue: string | undefined, requiredScopes: readonly string[]): Promise<JwtOutcome> {
    const unauthorized = (reason: string): JwtOutcome => ({
      ok: false,
      status: 401,
      reason,
      wwwAuthenticate: `Bearer scope="${requiredScopes.join(' ')}" error="invalid_token" error_description="${reason}"`,
    });
    if (!headerValue) return unauthorized('no token');
    const token = headerValue.replace(/^Bearer\s+/i, '');
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, await this.keys(), { issuer: this.config.issuer }));
    } catch (err) {
      return unauthorized((err as Error).message.replace(/"/g, "'"));
    }
    const audiences = [
      ...(Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : []),
      ...(typeof claims.client_id === 'string' ? [claims.client_id] : []),
    ];
    if (this.config.audience.length && !audiences.some((a) => this.config.audience.includes(a))) return unauthorized('invalid audience');
    const scopes =
      typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : Array.isArray(claims.scp) ? claims.scp.map(String) : [];
    if (requiredScopes.length && !requiredScopes.some((s) => scopes.includes(s))) {
      return {
        ok: false,
        status: 403,
        reason: 'insufficient scope',
        wwwAuthenticate: `Bearer scope="${requiredScopes.join(' ')}" error="insufficient_scope" error_description="expected scopes: [${requiredScopes.join(' ')}]"`,
      };
    }
    return { ok: true, claims, scopes };
  }

  private async keys(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (!this.jwks) {
      const discovery = `${this.config.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
      const response = await fetch(discovery, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`OpenID discovery at ${discovery} answered ${response.status}`);
      const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: string };
      if (!jwksUri) throw new Error(`${discovery} names no jwks_uri`);
      this.jwks = createRemoteJWKSet(new URL(jwksUri));
    }
    return this.jwks;
  }
}
