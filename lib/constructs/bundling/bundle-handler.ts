// Bundles a handler for Lambda at synth: Node.js 22, minified CommonJS, `@aws-sdk/*` left to the runtime.
import { buildSync, version as esbuildVersion, type BuildOptions } from 'esbuild';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleCacheDir, bundleCacheKey, restoreBundle, storeBundle } from './bundle-cache';

/** The esbuild options of every Lambda bundle (the benchmarks reuse them to analyse or compare bundles). */
export const LAMBDA_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  external: ['@aws-sdk/*'],
  logLevel: 'silent',
} as const satisfies BuildOptions;

export interface HandlerBundle {
  /** Absolute path of the bundle, `<outdir>/index.js` (handler: `index.handler`). */
  readonly file: string;
  readonly bytes: number;
  /** True when the bundle came from the bundle cache (see bundle-cache.ts) instead of esbuild. */
  readonly cached: boolean;
}

/**
 * Writes `<outdir>/index.js` for `lambdas/<name>.ts` (e.g. `authorizer/handler`), with `define`
 * substituted. Synchronous, because CDK constructs are built synchronously; deterministic, so the
 * asset hash only changes with the code and what is defined. `leaveOut` names packages the baked
 * config never loads (a dynamic import that cannot run), kept out of the bundle.
 */
export function bundleHandler(
  name: string,
  outdir: string,
  define: Record<string, string> = {},
  leaveOut: readonly string[] = [],
): HandlerBundle {
  return bundleEntry(handlerSource(name), outdir, define, leaveOut);
}

/**
 * `bundleHandler` for any entry file. With a cache directory (by default `bundleCacheDir()`; `false`: none), a bundle
 * whose build configuration and input files (every file esbuild read, node_modules included) are
 * unchanged is copied from the cache; anything else is built and stored.
 */
export function bundleEntry(
  entry: string,
  outdir: string,
  define: Record<string, string> = {},
  leaveOut: readonly string[] = [],
  cacheDir: string | false = bundleCacheDir() ?? false,
): HandlerBundle {
  const file = join(outdir, 'index.js');
  const options = { ...LAMBDA_BUILD_OPTIONS, entryPoints: [entry], define, external: [...LAMBDA_BUILD_OPTIONS.external, ...leaveOut] };
  const key = bundleCacheKey({ esbuildVersion, options, entry: resolve(entry) });
  if (cacheDir && restoreBundle(cacheDir, key, file)) return { file, bytes: statSync(file).size, cached: true };
  const result = buildSync({ ...options, outfile: file, metafile: true });
  // esbuild reports inputs relative to its working directory, the process's.
  if (cacheDir)
    storeBundle(
      cacheDir,
      key,
      file,
      Object.keys(result.metafile.inputs).map((input) => resolve(input)),
    );
  return { file, bytes: statSync(file).size, cached: false };
}

/**
 * The TypeScript source: under lambdas/ in the repo, or shipped in the package's `lambdas/` when
 * this runs from `dist/`. Bundling the source (ES modules) lets esbuild tree-shake jose and
 * Powertools; bundling tsc's CommonJS output would pull their whole CommonJS builds (~2x larger).
 */
function handlerSource(name: string): string {
  const lambdas = join(__dirname, '../../../lambdas');
  const candidates = [join(lambdas, `${name}.ts`), join(__dirname, '../../../../lambdas', `${name}.ts`), join(lambdas, `${name}.js`)];
  return candidates.find((file) => existsSync(file)) ?? candidates[0]!;
}
