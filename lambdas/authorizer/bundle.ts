// Bundles the authorizer handler with its config baked in: the Lambda asset the construct ships.
import { bundleHandler, type HandlerBundle } from '../shared/bundle';
import { CONFIG_GLOBAL, type AuthorizerConfig } from './config';

export type AuthorizerBundle = HandlerBundle;

/** Writes `<outdir>/index.js`: the handler with `config` injected as a JSON literal in place of `__GATEHOUSE_AUTHORIZER_CONFIG__`. */
export function bundleAuthorizer(config: AuthorizerConfig, outdir: string): AuthorizerBundle {
  return bundleHandler('authorizer/handler', outdir, { [CONFIG_GLOBAL]: JSON.stringify(config) });
}
