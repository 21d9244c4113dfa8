// Bundles the authorizer handler with its config baked in: the Lambda asset the construct ships.
import { bundleHandler, type HandlerBundle } from './bundle-handler';
import type { AuthorizerConfig } from '../../../lambdas/contract/authorizer-config';
import { authorizerDefine } from '../../../lambdas/contract/authorizer-define';

export type AuthorizerBundle = HandlerBundle;

/**
 * Writes `<outdir>/index.js`: the handler with `config` injected as a JSON literal in place of
 * `__GATEHOUSE_AUTHORIZER_CONFIG__`, and without the origin-verify check when the config has none.
 */
export function bundleAuthorizer(config: AuthorizerConfig, outdir: string): AuthorizerBundle {
  return bundleHandler('authorizer/handler', outdir, authorizerDefine(config));
}
