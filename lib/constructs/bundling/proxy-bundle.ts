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
 * Packages a proxy ships only when its config needs them: the JSON Schema validator (~120 KB minified) for a
 * body schema to check, fast-xml-parser (~43 KB with its dependencies) for `xmlToJson`, the Lambda caller
 * (~9 KB) for a Lambda target. Each is loaded lazily by the code that uses it, so a bundle without it never
 * tries to load it.
 */
export function proxyLeftOut(config: ProxyConfig): string[] {
  const validates = Object.values(config.routes).some((r) => r.validate?.body !== undefined);
  const convertsXml = config.transform.response?.xmlToJson === true;
  const invokes = config.targets.some((target) => target.lambda !== undefined);
  return [
    ...(validates ? [] : ['ajv', 'ajv-draft-04']),
    ...(convertsXml ? [] : ['fast-xml-parser']),
    ...(invokes ? [] : [LAMBDA_CALLER_EXTERNAL]),
  ];
}
