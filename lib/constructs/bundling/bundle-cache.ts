// Reuses a handler bundle at synth when nothing esbuild read to build it has changed, so a warm `cdk synth` skips esbuild.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * `GATEHOUSE_BUNDLE_CACHE`: a directory for the cache, or `off` to build every bundle afresh.
 * Unset: `gatehouse-bundle-cache` in the OS temp dir, next to the staging directories the bundles are
 * written to (not node_modules/.cache: a node_modules shared by several checkouts through a symlink
 * would then be written by all of them). Entries are keyed by absolute paths and checked by content,
 * so checkouts sharing the directory never get each other's bundles.
 */
export const BUNDLE_CACHE_ENV = 'GATEHOUSE_BUNDLE_CACHE';

/** The cache directory to use, or undefined when caching is off. */
export function bundleCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const setting = env[BUNDLE_CACHE_ENV]?.trim();
  if (setting === 'off' || setting === '0' || setting === 'false') return undefined;
  return setting || join(tmpdir(), 'gatehouse-bundle-cache');
}

/** What one cache entry records: every file esbuild read, with the hash of its content when it was built. */
interface CacheManifest {
  readonly inputs: Record<string, string>;
  /** The bundle's own hash, so an entry whose index.js was replaced under its manifest is a miss. */
  readonly output: string;
}

/**
 * The entry's key: the build configuration (options, entry point, defines, externals, esbuild's version).
 * The inputs' contents are not in the key (esbuild finds them while it builds), so they are checked on lookup.
 */
export function bundleCacheKey(config: unknown): string {
  return createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 32);
}

/**
 * Copies the cached bundle of `key` to `outfile` when every input it was built from still has the same
 * content; returns false (and copies nothing) otherwise. A missing or unreadable entry is a miss.
 */
export function restoreBundle(cacheDir: string, key: string, outfile: string): boolean {
  const entry = join(cacheDir, key);
  let manifest: CacheManifest;
  try {
    manifest = JSON.parse(readFileSync(join(entry, 'manifest.json'), 'utf8')) as CacheManifest;
  } catch {
    return false;
  }
  for (const [file, hash] of Object.entries(manifest.inputs)) {
    if (contentHash(file) !== hash) return false;
  }
  try {
    const bundle = readFileSync(join(entry, 'index.js'));
    if (createHash('sha256').update(bundle).digest('hex') !== manifest.output) return false;
    mkdirSync(dirname(outfile), { recursive: true });
    writeFileSync(outfile, bundle);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stores `outfile` as the bundle of `key`, with the inputs esbuild reported (absolute paths). Written to
 * a temporary name and renamed, so a parallel synth (two test workers) never reads half an entry. A cache
 * that cannot be written is skipped: the bundle is already built.
 */
export function storeBundle(cacheDir: string, key: string, outfile: string, inputs: readonly string[]): void {
  try {
    const entry = join(cacheDir, key);
    mkdirSync(entry, { recursive: true });
    const hashes: Record<string, string> = {};
    for (const file of inputs) {
      const hash = contentHash(file);
      // An input that cannot be read back (deleted mid-build) would make the entry unverifiable.
      if (hash === undefined) return;
      hashes[file] = hash;
    }
    const output = contentHash(outfile);
    if (output === undefined) return;
    const manifest: CacheManifest = { inputs: hashes, output };
    const suffix = `.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    copyFileSync(outfile, join(entry, `index.js${suffix}`));
    renameSync(join(entry, `index.js${suffix}`), join(entry, 'index.js'));
    writeFileSync(join(entry, `manifest.json${suffix}`), JSON.stringify(manifest));
    renameSync(join(entry, `manifest.json${suffix}`), join(entry, 'manifest.json'));
  } catch {
    // A read-only or full disk only costs the next synth a build.
  }
}

function contentHash(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}
