// Verifies a bearer JWT against the trusted issuers: signed claims out, or a TokenRejected with a stable code.
import {
  decodeJwt,
  decodeProtectedHeader,
  errors,
  UnsecuredJWT,
  type CompactJWSHeaderParameters,
  type JWTClaimVerificationOptions,
  type JWTPayload,
  type JWTVerifyGetKey,
  type ProtectedHeaderParameters,
} from 'jose';
import type { AuthorizerConfig, TrustedIssuer } from '../contract/authorizer-config';
import { TokenRejected } from './errors';
import type { KeyResolver } from './jwks';
import { checkSignature } from './signature';

/**
 * Longest token accepted, checked before any decoding. A compact JWS is ASCII, so characters are
 * bytes (anything else fails to decode anyway). Real access tokens are 0.8–2 kB; API Gateway caps all
 * request headers at 10 kB.
 */
export const MAX_TOKEN_BYTES = 8 * 1024;

/**
 * The only algorithms ever accepted, whatever the config lists: asymmetric ones. `none` is never
 * accepted, and HS* never, because an HMAC "key" would be the issuer's public key, which anyone can
 * fetch (the RS256→HS256 confusion attack).
 */
export const ASYMMETRIC_ALGORITHMS: ReadonlySet<string> = new Set([
  'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512',
  'EdDSA', 'Ed25519',
]);

/** Claims every token must carry whatever the config says: `sub` is the principal, `exp` bounds its life (and the cache's). */
export const ALWAYS_REQUIRED_CLAIMS = ['sub', 'exp'] as const;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export interface VerifiedClaims extends JWTPayload {
  readonly iss: string;
  readonly sub: string;
  readonly exp: number;
}

export interface VerifiedToken {
  readonly claims: VerifiedClaims;
  readonly issuer: TrustedIssuer;
  /** The `kid` of the key that verified it, when the token named one. */
  readonly kid?: string;
}

/** The config's algorithms less every one this authorizer refuses to accept. */
export function acceptedAlgorithms(config: Pick<AuthorizerConfig, 'algorithms'>): string[] {
  return config.algorithms.filter((alg) => ASYMMETRIC_ALGORITHMS.has(alg));
}

/** `now` (epoch ms) is the clock `exp`, `nbf` and `iat` are checked against. */
export async function verifyToken(
  token: string | undefined,
  config: AuthorizerConfig,
  keysFor: KeyResolver,
  now: () => number = Date.now,
): Promise<VerifiedToken> {
  if (!token) throw new TokenRejected('token_missing', 'no bearer token');
  if (token.length > MAX_TOKEN_BYTES) {
    throw new TokenRejected('token_too_large', `token is ${token.length} bytes, over ${MAX_TOKEN_BYTES}`);
  }
  if (!COMPACT_JWS.test(token)) throw new TokenRejected('token_malformed', 'not a compact JWS (three base64url parts)');

  // Unverified reads, only to choose the issuer's keys; verifyWith checks the signature over both before any claim is trusted.
  const header = unverified(() => decodeProtectedHeader(token), 'header');
  const { alg, kid } = header;
  const claimed = unverified(() => decodeJwt(token), 'payload');

  const algorithms = acceptedAlgorithms(config);
  if (typeof alg !== 'string' || !algorithms.includes(alg)) {
    throw new TokenRejected('algorithm_not_allowed', `alg ${JSON.stringify(alg)?.slice(0, 40)} is not accepted`);
  }
  if (typeof claimed.iss !== 'string') throw new TokenRejected('claim_missing', 'token has no "iss" claim');
  const issuer = config.issuers.find((trusted) => trusted.issuer === claimed.iss);
  if (!issuer) throw new TokenRejected('issuer_untrusted', 'token issuer is not trusted');

  const options: JWTClaimVerificationOptions = {
    issuer: issuer.issuer,
    // With audienceFromClientId the audience is checked below, since jose would require `aud`.
    audience: issuer.audienceFromClientId ? undefined : [...issuer.audiences],
    clockTolerance: config.clockToleranceSeconds,
    maxTokenAge: config.maxTokenAgeSeconds,
    requiredClaims: [...new Set([...ALWAYS_REQUIRED_CLAIMS, ...config.requiredClaims])],
    currentDate: new Date(now()),
  };
  const payload = await verifyWith(token, header, keysFor(issuer), options);
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    throw new TokenRejected('claim_missing', '"sub" claim must be a non-empty string');
  }
  if (issuer.audienceFromClientId) checkAudienceOrClientId(payload, issuer.audiences);
  // jose checks a future `iat` only with maxTokenAge; a token issued in the future is refused anyway.
  if (typeof payload.iat === 'number' && payload.iat > now() / 1000 + config.clockToleranceSeconds) {
    throw new TokenRejected('token_not_yet_valid', '"iat" is in the future beyond the clock tolerance');
  }
  return { claims: payload as VerifiedClaims, issuer, ...(typeof kid === 'string' ? { kid } : {}) };
}

/**
 * `aud` when the token has one, else `client_id`: what the HTTP API JWT authorizer checks
 * ("API Gateway validates client_id only if aud is not present",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html),
 * so a Cognito access token (`client_id`, no `aud`) and id token (`aud`) are judged alike on both flavors.
 */
function checkAudienceOrClientId(payload: JWTPayload, audiences: readonly string[]): void {
  if (payload.aud !== undefined) {
    const given = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!given.some((aud) => typeof aud === 'string' && audiences.includes(aud))) {
      throw new TokenRejected('audience_mismatch', 'unexpected "aud" claim value');
    }
    return;
  }
  const clientId = payload.client_id;
  if (typeof clientId !== 'string') throw new TokenRejected('claim_missing', 'token has neither "aud" nor "client_id"');
  if (!audiences.includes(clientId)) throw new TokenRejected('audience_mismatch', 'unexpected "client_id" claim value');
}

/**
 * What jose's `jwtVerify` does, in its order and with its errors, but with the signature checked by
 * node:crypto (signature.ts): header extensions, key, signature, then the claims (jose's own checks,
 * through `UnsecuredJWT.decode` of the verified payload).
 */
async function verifyWith(token: string, header: ProtectedHeaderParameters, getKey: JWTVerifyGetKey, options: JWTClaimVerificationOptions): Promise<JWTPayload> {
  try {
    const encodedPayload = payloadEncoded(header);
    const [protectedPart, payloadPart, signaturePart] = token.split('.') as [string, string, string];
    const flattened = { protected: protectedPart, payload: payloadPart, signature: signaturePart };
    const alg = header.alg as string;
    try {
      checkSignature(token, alg, await getKey(header as CompactJWSHeaderParameters, flattened));
    } catch (err) {
      if (!(err instanceof errors.JWKSMultipleMatchingKeys)) throw err;
      // A token without `kid` while the issuer publishes several keys of its type (mid-rotation): try each, in order.
      if (!(await someKeyVerifies(token, alg, err))) throw new TokenRejected('signature_invalid', 'no key of the issuer verifies the signature');
    }
    if (!encodedPayload) throw new errors.JWTInvalid('JWTs MUST NOT use unencoded payload');
    return UnsecuredJWT.decode(`${UNSECURED_HEADER}.${payloadPart}.`, options).payload;
  } catch (err) {
    throw rejection(err);
  }
}

async function someKeyVerifies(token: string, alg: string, keys: errors.JWKSMultipleMatchingKeys): Promise<boolean> {
  for await (const key of keys) {
    try {
      checkSignature(token, alg, key);
      return true;
    } catch (next) {
      if (!(next instanceof errors.JWSSignatureVerificationFailed)) throw next;
    }
  }
  return false;
}

/** `{"alg":"none"}`: the claims of a payload whose signature was already checked go through jose's claim validation. */
const UNSECURED_HEADER = 'eyJhbGciOiJub25lIn0';

/**
 * jose's checks of the JWS `crit` and `b64` header parameters (RFC 7515 §4.1.11, RFC 7797), with its
 * errors: the only recognised extension is `b64`. False when the payload is declared unencoded, which a
 * JWT may not be (refused once the signature is checked, as jose does).
 */
function payloadEncoded(header: ProtectedHeaderParameters): boolean {
  const { crit } = header;
  if (crit === undefined) return true;
  if (!Array.isArray(crit) || crit.length === 0 || crit.some((input) => typeof input !== 'string' || input.length === 0)) {
    throw new errors.JWSInvalid('"crit" (Critical) Header Parameter MUST be an array of non-empty strings when present');
  }
  for (const parameter of crit) {
    if (parameter !== 'b64') throw new errors.JOSENotSupported(`Extension Header Parameter "${parameter}" is not recognized`);
    if (header.b64 === undefined) throw new errors.JWSInvalid(`Extension Header Parameter "${parameter}" is missing`);
  }
  if (typeof header.b64 !== 'boolean') throw new errors.JWSInvalid('The "b64" (base64url-encode payload) Header Parameter must be a boolean');
  return header.b64;
}

function unverified<T>(decode: () => T, part: string): T {
  try {
    return decode();
  } catch (cause) {
    throw new TokenRejected('token_malformed', `token ${part} is not valid base64url JSON`, { cause });
  }
}

/** Maps what jose (or the key resolver) threw to a stable rejection code. */
export function rejection(err: unknown): TokenRejected {
  if (err instanceof TokenRejected) return err;
  const message = err instanceof Error ? err.message : String(err);
  const as = (code: TokenRejected['code']) => new TokenRejected(code, message, { cause: err });
  if (err instanceof errors.JWTExpired) return as(err.claim === 'iat' ? 'token_too_old' : 'token_expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.reason === 'missing') return as('claim_missing');
    switch (err.claim) {
      case 'nbf':
      case 'iat': // with maxTokenAge, an iat in the future
        return as('token_not_yet_valid');
      case 'iss':
        return as('issuer_untrusted');
      case 'aud':
        return as('audience_mismatch');
      default:
        return as('token_malformed');
    }
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return as('signature_invalid');
  if (err instanceof errors.JOSEAlgNotAllowed) return as('algorithm_not_allowed');
  if (err instanceof errors.JWKSNoMatchingKey) return as('kid_unknown');
  if (err instanceof errors.JWTInvalid || err instanceof errors.JWSInvalid || err instanceof errors.JOSENotSupported) {
    return as('token_malformed');
  }
  return as('internal_error');
}
