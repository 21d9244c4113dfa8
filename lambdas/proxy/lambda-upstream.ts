// A Lambda target's sender for one request: the invoke in place of the HTTP call, with the caller's identity in the event's requestContext.
import type { Logger } from '@aws-lambda-powertools/logger';
import { lazyLambdaSender } from '../shared/lambda-sender';
import type { LambdaRequestContext } from '../shared/apigw/lambda-event';
import type { ProxyConfig, ProxyTarget } from '../contract/proxy-config';
import type { ClientRequest } from './event';
import type { TargetCallDeps } from './upstream-call';

/** Undefined for an HTTP target (the shared HTTP client sends). */
export function lambdaSendFor(target: ProxyTarget, request: ClientRequest, config: ProxyConfig, log: Logger): TargetCallDeps['send'] {
  if (target.lambda === undefined) return undefined;
  return lazyLambdaSender(target.lambda, requestContextOf(request, config), {
    onFailure: (failure) =>
      log.warn('lambda target did not answer with a result', { requestId: request.requestId, target: target.name, ...failure }),
  });
}

/**
 * The identity the proxy forwards anyway: the verified caller's `sub`, `roles`, `scopes` and `clientId`
 * (the values of the identity headers), only when the config forwards identity and a JWT verified `sub`.
 */
function requestContextOf(request: ClientRequest, config: ProxyConfig): LambdaRequestContext {
  const userAgent = request.headers['user-agent']?.[0];
  const sub = request.authorizer?.sub;
  const verified = config.identityHeaders !== undefined && typeof sub === 'string' && sub !== '';
  const authorizer = verified
    ? Object.fromEntries(
        (['sub', 'roles', 'scopes', 'clientId'] as const).flatMap((name) => {
          const value = request.authorizer?.[name];
          return typeof value === 'string' && value !== '' ? [[name, value]] : [];
        }),
      )
    : undefined;
  return {
    requestId: request.requestId,
    ...(request.sourceIp ? { sourceIp: request.sourceIp } : {}),
    ...(userAgent ? { userAgent } : {}),
    ...(authorizer ? { authorizer } : {}),
  };
}
