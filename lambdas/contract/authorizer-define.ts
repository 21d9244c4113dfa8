// What esbuild defines in an authorizer bundle: its config, and the switches that leave unused code out.
import type { AuthorizerConfig } from './authorizer-config';
import { hasTemplatedPaths } from './route-grants';

/** The constant the bundle's config is injected as (esbuild `define`). */
export const CONFIG_GLOBAL = '__GATEHOUSE_AUTHORIZER_CONFIG__';

/** Whether the bundle's config checks CloudFront's header: when false, esbuild drops the check's code (~2.5 kB). */
export const ORIGIN_VERIFY_GLOBAL = '__GATEHOUSE_AUTHORIZER_ORIGIN_VERIFY__';

/** Whether the bundle's routes have path parameters: when false, esbuild drops the path automata (~3.6 kB, see route-grants.ts). */
export const TEMPLATED_PATHS_GLOBAL = '__GATEHOUSE_AUTHORIZER_TEMPLATED_PATHS__';

/** Everything the bundle defines for `config`: the config itself, and whether the origin-verify check and the path automata ship. */
export function authorizerDefine(config: AuthorizerConfig): Record<string, string> {
  return {
    [CONFIG_GLOBAL]: JSON.stringify(config),
    [ORIGIN_VERIFY_GLOBAL]: JSON.stringify(config.originVerify !== undefined),
    [TEMPLATED_PATHS_GLOBAL]: JSON.stringify(hasTemplatedPaths(config.routes)),
  };
}
