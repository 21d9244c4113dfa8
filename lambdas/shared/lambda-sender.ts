// Loads the Lambda caller on first use, so a handler whose config has no Lambda target leaves it (and its event code) out of its bundle.
import type { CallOptions, UpstreamRequest, UpstreamResponse } from './http-client';
import type { LambdaCallHooks } from './lambda-call';
import type { LambdaRequestContext } from './apigw/lambda-event';
import type { LambdaInvokeTarget } from '../contract/lambda-target';

/**
 * The esbuild `external` pattern of the dynamic import below: a bundle without Lambda targets keeps the
 * import (it never runs) instead of the module, as the proxy's bundle does with ajv.
 */
export const LAMBDA_CALLER_EXTERNAL = '*/lambda-call';

let caller: Promise<typeof import('./lambda-call')> | undefined;

function loadCaller(): Promise<typeof import('./lambda-call')> {
  caller ??= import('./lambda-call');
  return caller;
}

/** Loads the caller and `@aws-sdk/client-lambda` at init (Lambda's init phase), not inside the first request's timeout. Never rejects. */
export function preloadLambdaCaller(): Promise<unknown> {
  return loadCaller()
    .then(({ preloadLambdaClient }) => preloadLambdaClient())
    .catch(() => undefined); // a failed load surfaces on the first invoke
}

/** `lambdaSender` (see lambda-call.ts), loaded on the first call. */
export function lazyLambdaSender(
  target: LambdaInvokeTarget,
  context: LambdaRequestContext,
  hooks: LambdaCallHooks = {},
): (request: UpstreamRequest, options: CallOptions) => Promise<UpstreamResponse> {
  return async (request, options) => (await loadCaller()).lambdaSender(target, context, hooks)(request, options);
}
