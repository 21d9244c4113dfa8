// The REST API responder: a decision as what API Gateway reads from a REQUEST authorizer, an IAM policy, or the `Unauthorized` it answers with 401.
import type { AuthorizerContext } from '../contract/authorizer-config';
import type { PolicyDocument } from '../contract/route-grants';
import type { Decision } from './decision';

/** API Gateway answers 401 when a REST API's authorizer throws exactly this message. */
export const UNAUTHORIZED = 'Unauthorized';

/** What API Gateway reads from a REST API Lambda authorizer (APIGatewayAuthorizerResult, with our context). */
export interface AuthorizerResult {
  readonly principalId: string;
  readonly policyDocument: PolicyDocument;
  readonly context: AuthorizerContext;
  /** The client id, when `clientIdAsApiKey`: API Gateway meters it as the API key of a usage plan. */
  readonly usageIdentifierKey?: string;
}

/**
 * A verified token gets its policy, allowing the method or not (a valid token without the scope or role for it is
 * answered 403); a refused one, whatever the reason, is thrown as `Unauthorized` (401):
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 * The transient refusals too (a kid not fetched yet, a token not valid yet): unlike the HTTP API's cached
 * `isAuthorized: false`, AWS documents caching for the policy a REST authorizer returns
 * (`authorizerResultTtlInSeconds`: "API Gateway will cache authorizer responses",
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html), and not that a thrown `Unauthorized` is
 * cached, so 401 stays the documented answer, where a plain error would answer a client's token with a 500.
 */
export function policyResponse({ token, policy, context }: Decision, clientIdAsApiKey: boolean): AuthorizerResult {
  if (!token || !policy) throw new Error(UNAUTHORIZED);
  return {
    principalId: token.verified.claims.sub,
    policyDocument: policy.policyDocument,
    context,
    ...(clientIdAsApiKey ? { usageIdentifierKey: token.identity.clientId } : {}),
  };
}
