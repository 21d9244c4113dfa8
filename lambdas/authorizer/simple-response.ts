// The HTTP API responder: a decision as the simple response (payload 2.0) an HTTP API reads from a Lambda authorizer.
import type { AuthorizerContext } from '../contract/authorizer-config';
import { isOperational, type Decision } from './decision';

/** What an HTTP API reads from a Lambda authorizer with simple responses (payload 2.0). */
export interface SimpleAuthorizerResult {
  readonly isAuthorized: boolean;
  readonly context: AuthorizerContext;
}

/**
 * Every answer about the caller is `isAuthorized`, which the API answers 403 when false: a token without the route's
 * scope or role, and a refused one (malformed, forged, expired, another issuer or audience) alike. A thrown
 * `Unauthorized` is answered 401 by REST authorizers only; for HTTP APIs AWS documents the simple response, and that a
 * request lacking an identity source (no Authorization header) gets 401 from the API without the authorizer running:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html and `identitySource` in
 * https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-authorizers.html
 * An operational failure (the issuer's keys unreachable and none baked in, a bug) is no answer about the caller: it
 * throws a plain Error, which the API answers 500 and caches nothing, so a transient outage is not cached as a deny
 * for the authorizer's TTL. So do the transient refusals (a kid not fetched yet during a key rotation, a token not
 * valid yet: decision.ts), which would otherwise stay denied for the TTL on that route after they pass.
 */
export function simpleResponse(decision: Decision): SimpleAuthorizerResult {
  if (isOperational(decision)) throw new Error('token could not be checked', { cause: decision.rejection });
  return { isAuthorized: decision.allow, context: decision.context };
}
