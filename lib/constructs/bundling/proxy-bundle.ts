// Bundles the proxy handler with its config baked in: the Lambda asset the construct ships.
import { bundleHandler, type HandlerBundle } from './bundle-handler';
import { LAMBDA_CALLER_EXTERNAL } from '../../../lambdas/shared/lambda-sender';
import { PROXY_CONFIG_GLOBAL, type ProxyConfig } from '../../../lambdas/contract/proxy-config';

export type ProxyBundle = HandlerBundle;

/** Writes `<outdir>/index.js` (handler `index.handler`): the proxy with `config` in place of `__GATEHOUSE_PROXY_CONFIG__`. */
export function bundleProxy(config: ProxyConfig, outdir: string): ProxyBundle {
  return bundleHandler('proxy/handler', outdir, { [PROXY_CONFIG_GLOBAL]: JSON.stringify(config) }, proxyLeftOut(config));
}

/**
 * The JSON Schema validator (~120 KB minified) ships only in proxies with a body schema to check; the
 * Lambda caller (~9 KB) only in proxies with a Lambda target.
 */
export function proxyLeftOut(config: ProxyConfig): string[] {
  const validates = Object.values(config.routes).some((r) => r.validate?.body !== undefined);
  const invokes = config.targets.some((target) => target.lambda !== undefined);
  return [...(validates ? [] : ['ajv', 'ajv-draft-04']), ...(invokes ? [] : [LAMBDA_CALLER_EXTERNAL])];
}
