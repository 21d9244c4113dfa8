// Lambda authorizers run from their bundle: REST REQUEST authorizers (policy) and HTTP API ones (simple responses), with the result cache.
import type { JsonObject } from './definition';
import type { LocalFunction } from './assembly';
import type { FunctionRunner } from './functions';
import { evaluatePolicy } from './policy';

export type AuthorizerOutcome =
  | {
      readonly kind: 'allow';
      readonly principalId?: string;
      readonly context: Readonly<Record<string, unknown>>;
      readonly usageIdentifierKey?: string;
      readonly cached: boolean;
    }
  | { readonly kind: 'unauthorized'; readonly reason: string }
  | { readonly kind: 'denied'; readonly explicit: boolean }
  | { readonly kind: 'failure'; readonly type: 'AUTHORIZER_FAILURE' | 'AUTHORIZER_CONFIGURATION_ERROR'; readonly reason: string };

export interface AuthorizerScheme {
  readonly name: string;
  readonly fn: LocalFunction;
  /** `method.request.header.Authorization`, `$request.header.Authorization`, ... (comma-separated in the definition). */
  readonly identitySources: readonly string[];
  readonly ttlSeconds: number;
  /** REST: policy result; HTTP: payload 2.0 with simple responses (isAuthorized). */
  readonly kind: 'rest' | 'http-simple';
}

/** Values of the identity sources, or undefined when one is missing or empty (API Gateway then answers 401 without calling the function). */
export type IdentityLookup = (source: string) => string | undefined;

interface CachedResult {
  readonly expires: number;
  readonly result: JsonObject;
}

/**
 * Doc: "Use API Gateway Lambda authorizers" (REST) and "Working with AWS Lambda authorizers for HTTP APIs": cache key,
 * TTL and outputs. What each flavor documents, and so what is emulated:
 * - both: a request lacking an identity source value gets 401 without the function being invoked (`identitySource` in
 *   https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-authorizers.html and the REST
 *   equivalent);
 * - REST: a thrown `Unauthorized` is 401, any other error 500, the returned policy is evaluated (Deny wins, else 403);
 * - HTTP API with simple responses: `isAuthorized: false` is 403, and any error the function throws is 500
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html documents no 401
 *   for a thrown `Unauthorized`, so local gives none: a design that relied on it would pass here and fail deployed).
 */
export class LambdaAuthorizer {
  private readonly cache = new Map<string, CachedResult>();

  constructor(
    readonly scheme: AuthorizerScheme,
    private readonly runner: FunctionRunner,
    private readonly now: () => number = Date.now,
  ) {}

  async authorize(identity: IdentityLookup, event: Record<string, unknown>, methodArn: string): Promise<AuthorizerOutcome> {
    const values = this.scheme.identitySources.map((s) => identity(s));
    if (values.some((v) => v === undefined || v === '')) return { kind: 'unauthorized', reason: 'identity source missing' };
    const key = values.join('\u0000');
    let cached = false;
    let result: JsonObject;
    const hit = this.scheme.ttlSeconds > 0 ? this.cache.get(key) : undefined;
    if (hit && hit.expires > this.now()) {
      result = hit.result;
      cached = true;
    } else {
      const outcome = await this.runner.invoke(this.scheme.fn, event);
      if (!outcome.ok) {
        // On REST, exactly "Unauthorized" is API Gateway's 401; any other error, and any error at all on an HTTP API, is an authorizer failure (500).
        if (this.scheme.kind === 'rest' && outcome.error.errorMessage === 'Unauthorized')
          return { kind: 'unauthorized', reason: 'the authorizer answered Unauthorized' };
        return { kind: 'failure', type: 'AUTHORIZER_FAILURE', reason: `${outcome.error.errorType}: ${outcome.error.errorMessage}` };
      }
      result = outcome.result ?? {};
      if (this.scheme.ttlSeconds > 0) this.cache.set(key, { expires: this.now() + this.scheme.ttlSeconds * 1000, result });
    }
    const context = (result.context ?? {}) as Record<string, unknown>;
    if (this.scheme.kind === 'http-simple') {
      if (typeof result.isAuthorized !== 'boolean')
        return { kind: 'failure', type: 'AUTHORIZER_CONFIGURATION_ERROR', reason: 'no boolean isAuthorized in the response' };
      return result.isAuthorized ? { kind: 'allow', context, cached } : { kind: 'denied', explicit: true };
    }
    if (!result.policyDocument || typeof result.principalId !== 'string') {
      return { kind: 'failure', type: 'AUTHORIZER_CONFIGURATION_ERROR', reason: 'the result lacks principalId or policyDocument' };
    }
    // A cached policy is evaluated against this request's method ARN: it must cover every route the identity may call.
    const decision = evaluatePolicy(result.policyDocument, { action: 'execute-api:Invoke', resource: methodArn });
    if (decision !== 'allow') return { kind: 'denied', explicit: decision === 'deny' };
    return { kind: 'allow', principalId: result.principalId, context, usageIdentifierKey: result.usageIdentifierKey, cached };
  }
}
