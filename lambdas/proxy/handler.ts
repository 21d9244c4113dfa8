// Lambda entry point of the resilient proxy: the config baked into the bundle, read once at init.
import type { APIGatewayProxyResult } from 'aws-lambda';
import { logger } from '../shared/observability';
import type { ProxyConfig } from '../contract/proxy-config';
import { createProxy, type ProxyHandler } from './proxy';

/** Injected by esbuild `define` when the construct bundles this handler at synth (see bundle.ts). */
declare const __GATEHOUSE_PROXY_CONFIG__: ProxyConfig | undefined;

export { createProxy, type ProxyDeps, type ProxyHandler } from './proxy';

/** A bundle built without a config answers every request with the proxy's own 502 rather than crash at init. */
const unconfigured = ((): Promise<APIGatewayProxyResult> => {
  logger.error('proxy bundle has no baked config: answering 502');
  return Promise.resolve({
    statusCode: 502,
    multiValueHeaders: { 'content-type': ['application/json'] },
    body: JSON.stringify({ message: 'the gateway could not forward the request', code: 'proxy_error' }),
    isBase64Encoded: false,
  });
}) as ProxyHandler;

export const handler: ProxyHandler =
  typeof __GATEHOUSE_PROXY_CONFIG__ === 'undefined' ? unconfigured : createProxy(__GATEHOUSE_PROXY_CONFIG__);
