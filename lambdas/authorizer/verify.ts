// Verifies a bearer JWT against the trusted issuers: signed claims out, or a TokenRejected with a stable code.
import type { JWTPayload } from 'jose';
import type { AuthorizerConfig, TrustedIssuer } from '../contract/authorizer-config';
import { TokenRejected } from './errors';
import { audienceMatches, checkClaims } from './claims-check';
import type { KeyResolver } from './jwks';
import type { KeyFunction } from './key-set';
import { checkSignature, type ResolvedKey } from './signature';

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
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
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

/** What verifyToken derives from a config, once per config object rather than once per token (configs are never mutated). */
const derived = new WeakMap<AuthorizerConfig, { readonly algorithms: readonly string[]; readonly requiredClaims: readonly string[] }>();

function derivedRules(config: AuthorizerConfig): { readonly algorithms: readonly string[]; readonly requiredClaims: readonly string[] } {
  let rules = derived.get(config);
  if (!rules) {
    rules = { algorithms: acceptedAlgorithms(config), requiredClaims: [...new Set([...ALWAYS_REQUIRED_CLAIMS, ...config.requiredClaims])] };
    derived.set(config, rules);
  }
  return rules;
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
  const [headerPart, payloadPart] = token.split('.') as [string, string, string];
  const header = decodePart(headerPart, 'header');
  const { alg, kid } = header;
  const payload = decodePart(payloadPart, 'payload');

  const { algorithms, requiredClaims } = derivedRules(config);
  if (typeof alg !== 'string' || !algorithms.includes(alg)) {
    throw new TokenRejected('algorithm_not_allowed', `alg ${JSON.stringify(alg)?.slice(0, 40)} is not accepted`);
  }
  if (typeof payload.iss !== 'string') throw new TokenRejected('claim_missing', 'token has no "iss" claim');
  const issuer = config.issuers.find((trusted) => trusted.issuer === payload.iss);
  if (!issuer) throw new TokenRejected('issuer_untrusted', 'token issuer is not trusted');

  await verifyWith(token, header, alg, keysFor(issuer));
  const nowSeconds = Math.floor(now() / 1000);
  checkClaims(payload, {
    issuer: issuer.issuer,
    // With audienceFromClientId the audience is checked below, since `aud` may be absent.
    ...(issuer.audienceFromClientId ? {} : { audiences: issuer.audiences }),
    clockToleranceSeconds: config.clockToleranceSeconds,
    ...(config.maxTokenAgeSeconds !== undefined ? { maxTokenAgeSeconds: config.maxTokenAgeSeconds } : {}),
    requiredClaims,
    nowSeconds,
  });
  if (typeof payload.sub !== 'string' || payload.sub === '') {
    throw new TokenRejected('claim_missing', '"sub" claim must be a non-empty string');
  }
  if (issuer.audienceFromClientId) checkAudienceOrClientId(payload, issuer.audiences);
  // checkClaims checks a future `iat` only with maxTokenAge; a token issued in the future is refused anyway.
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
    if (!audienceMatches(payload.aud, audiences)) throw new TokenRejected('audience_mismatch', 'unexpected "aud" claim value');
    return;
  }
  const clientId = payload.client_id;
  if (typeof clientId !== 'string') throw new TokenRejected('claim_missing', 'token has neither "aud" nor "client_id"');
  if (!audiences.includes(clientId)) throw new TokenRejected('audience_mismatch', 'unexpected "client_id" claim value');
}

/**
 * What jose's `jwtVerify` does before the claims, in its order: header extensions, key, signature
 * (node:crypto, signature.ts), then the refusal of an unencoded payload.
 */
async function verifyWith(token: string, header: JoseHeader, alg: string, getKey: KeyFunction): Promise<void> {
  try {
    const encodedPayload = payloadEncoded(header);
    const [protectedPart, payloadPart, signaturePart] = token.split('.') as [string, string, string];
    const flattened = { protected: protectedPart, payload: payloadPart, signature: signaturePart };
    let key: ResolvedKey | undefined;
    try {
      key = await getKey(header as Parameters<KeyFunction>[0], flattened);
    } catch (err) {
      // A token without `kid` while the issuer publishes several keys of its type (mid-rotation): try each, in order.
      if ((err as { code?: unknown } | null)?.code !== MULTIPLE_MATCHING_KEYS) throw err;
      if (!(await someKeyVerifies(token, alg, err as AsyncIterable<ResolvedKey>)))
        throw new TokenRejected('signature_invalid', 'no key of the issuer verifies the signature');
    }
    if (key) checkSignature(token, alg, key);
    if (!encodedPayload) throw new TokenRejected('token_malformed', 'JWTs MUST NOT use unencoded payload');
  } catch (err) {
    throw rejection(err);
  }
}

/** jose's code for a kid-less token matching several keys (key-set.ts's MultipleMatchingKeys carries it too). */
const MULTIPLE_MATCHING_KEYS = 'ERR_JWKS_MULTIPLE_MATCHING_KEYS';

async function someKeyVerifies(token: string, alg: string, keys: AsyncIterable<ResolvedKey>): Promise<boolean> {
  for await (const key of keys) {
    try {
      checkSignature(token, alg, key);
      return true;
    } catch (next) {
      if (!(next instanceof TokenRejected && next.code === 'signature_invalid')) throw next;
    }
  }
  return false;
}

/** A protected header as read, before anything in it is trusted. */
type JoseHeader = Record<string, unknown> & { alg?: unknown; kid?: unknown; crit?: unknown; b64?: unknown };

/**
 * jose's checks of the JWS `crit` and `b64` header parameters (RFC 7515 §4.1.11, RFC 7797): the only
 * recognised extension is `b64`. False when the payload is declared unencoded, which a JWT may not be
 * (refused once the signature is checked, as jose does).
 */
function payloadEncoded(header: JoseHeader): boolean {
  const { crit } = header;
  if (crit === undefined) return true;
  const malformed = (why: string) => new TokenRejected('token_malformed', why);
  if (!Array.isArray(crit) || crit.length === 0 || crit.some((input) => typeof input !== 'string' || input.length === 0)) {
    throw malformed('"crit" (Critical) Header Parameter MUST be an array of non-empty strings when present');
  }
  for (const parameter of crit as string[]) {
    if (parameter !== 'b64') throw malformed(`Extension Header Parameter "${parameter}" is not recognized`);
    if (header.b64 === undefined) throw malformed(`Extension Header Parameter "${parameter}" is missing`);
  }
  if (typeof header.b64 !== 'boolean') throw malformed('The "b64" (base64url-encode payload) Header Parameter must be a boolean');
  return header.b64;
}

/** Strict UTF-8, as jose decodes: a header or payload that is not valid UTF-8 is malformed, not repaired. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A header or payload part: base64url of a JSON object (RFC 7515 §4, RFC 7519 §7.2). */
function decodePart(part: string, what: 'header' | 'payload'): JoseHeader & JWTPayload {
  let value: unknown;
  try {
    value = JSON.parse(UTF8.decode(Buffer.from(part, 'base64url')));
  } catch (cause) {
    throw new TokenRejected('token_malformed', `token ${what} is not valid base64url JSON`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenRejected('token_malformed', `token ${what} is not a JSON object`);
  }
  return value as JoseHeader & JWTPayload;
}

/** jose's error codes, for key functions of jose's own sets (injected in tests): what each means here. */
const JOSE_CODES: Readonly<Record<string, TokenRejected['code']>> = {
  ERR_JWKS_NO_MATCHING_KEY: 'kid_unknown',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'signature_invalid',
  ERR_JOSE_ALG_NOT_ALLOWED: 'algorithm_not_allowed',
  ERR_JOSE_NOT_SUPPORTED: 'token_malformed',
  ERR_JWS_INVALID: 'token_malformed',
  ERR_JWT_INVALID: 'token_malformed',
};

/** Maps what the verifier or a key function threw to a stable rejection code; anything unforeseen is `internal_error`. */
export function rejection(err: unknown): TokenRejected {
  if (err instanceof TokenRejected) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  return new TokenRejected((typeof code === 'string' && JOSE_CODES[code]) || 'internal_error', message, { cause: err });
}
