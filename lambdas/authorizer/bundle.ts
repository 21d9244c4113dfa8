// Bundles the authorizer handler with its config baked in: the Lambda asset the construct ships.
import { buildSync } from 'esbuild';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_GLOBAL, type AuthorizerConfig } from './config';

export interface AuthorizerBundle {
  /** Absolute path of the bundle, `<outdir>/index.js` (handler: `index.handler`). */
  readonly file: string;
  readonly bytes: number;
}

/**
 * Writes `<outdir>/index.js`: the handler and its dependencies for Node.js 22, minified CommonJS,
 * `@aws-sdk/*` left to the runtime, `config` injected as a JSON literal in place of
 * `__GATEHOUSE_AUTHORIZER_CONFIG__`. Synchronous, because CDK constructs are built synchronously.
 * Deterministic: the same config gives the same bytes, so the asset hash only changes with it.
 */
export function bundleAuthorizer(config: AuthorizerConfig, outdir: string): AuthorizerBundle {
  const file = join(outdir, 'index.js');
  buildSync({
    entryPoints: [handlerEntry()],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    external: ['@aws-sdk/*'],
    define: { [CONFIG_GLOBAL]: JSON.stringify(config) },
    logLevel: 'silent',
  });
  return { file, bytes: statSync(file).size };
}

/**
 * The TypeScript source: beside this file in the repo, or shipped in the package's `lambdas/` when
 * this runs from `dist/`. Bundling the source (ES modules) lets esbuild tree-shake jose and
 * Powertools; bundling tsc's CommonJS output would pull their whole CommonJS builds (~2x larger).
 */
function handlerEntry(): string {
  const candidates = [join(__dirname, 'handler.ts'), join(__dirname, '../../../lambdas/authorizer/handler.ts'), join(__dirname, 'handler.js')];
  return candidates.find((file) => existsSync(file)) ?? candidates[0]!;
}
