// Bundles the proxy handler with its config baked in: the Lambda asset the construct ships.
import { bundleHandler, type HandlerBundle } from '../shared/bundle';
import { PROXY_CONFIG_GLOBAL, type ProxyConfig } from './config';

export type ProxyBundle = HandlerBundle;

/** Writes `<outdir>/index.js` (handler `index.handler`): the proxy with `config` in place of `__GATEHOUSE_PROXY_CONFIG__`. */
export function bundleProxy(config: ProxyConfig, outdir: string): ProxyBundle {
  return bundleHandler('proxy/handler', outdir, { [PROXY_CONFIG_GLOBAL]: JSON.stringify(config) }, proxyLeftOut(config));
}

/**
 * Packages a proxy ships only when its config needs them: the JSON Schema validator (~120 KB minified) for a
 * body schema to check, fast-xml-parser (~43 KB with its dependencies) for `xmlToJson`. Both are loaded lazily
 * by the code that uses them, so a bundle without them never tries to load them.
 */
export function proxyLeftOut(config: ProxyConfig): string[] {
  const leftOut: string[] = [];
  if (!Object.values(config.routes).some((r) => r.validate?.body !== undefined)) leftOut.push('ajv', 'ajv-draft-04');
  if (config.transform.response?.xmlToJson !== true) leftOut.push('fast-xml-parser');
  return leftOut;
}
