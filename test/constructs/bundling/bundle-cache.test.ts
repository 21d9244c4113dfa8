import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleEntry } from '../../../lib/constructs/bundling/bundle-handler';
import { BUNDLE_CACHE_ENV, bundleCacheDir } from '../../../lib/constructs/bundling/bundle-cache';

describe('bundle cache', () => {
  let dir: string;
  let cacheDir: string;
  let entry: string;
  let dependency: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-bundle-cache-test-'));
    cacheDir = join(dir, 'cache');
    entry = join(dir, 'handler.ts');
    dependency = join(dir, 'greeting.ts');
    writeFileSync(
      entry,
      "import { greeting } from './greeting';\ndeclare const SUFFIX: string;\nexport const handler = async () => greeting + SUFFIX;\n",
    );
    writeFileSync(dependency, "export const greeting = 'hello-from-v1';\n");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const build = (out: string, define: Record<string, string> = { SUFFIX: '"-a"' }, leaveOut: string[] = []) =>
    bundleEntry(entry, join(dir, out), define, leaveOut, cacheDir);
  const text = (file: string) => readFileSync(file, 'utf8');

  it('builds on a miss and copies the same bytes from the cache when nothing changed', () => {
    const first = build('one');
    const second = build('two');

    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(text(second.file)).toBe(text(first.file));
    expect(second.bytes).toBe(first.bytes);
    expect(text(second.file)).toContain('hello-from-v1');
  });

  it('rebuilds when a file the entry imports changes, and serves the new bundle afterwards', () => {
    build('one');
    writeFileSync(dependency, "export const greeting = 'hello-from-v2';\n");

    const changed = build('two');
    const again = build('three');

    expect(changed.cached).toBe(false);
    expect(text(changed.file)).toContain('hello-from-v2');
    expect(text(changed.file)).not.toContain('hello-from-v1');
    expect(again.cached).toBe(true);
    expect(text(again.file)).toContain('hello-from-v2');
  });

  it('rebuilds when the entry file itself changes', () => {
    build('one');
    writeFileSync(entry, "import { greeting } from './greeting';\nexport const handler = async () => greeting + '-edited';\n");

    const changed = build('two');

    expect(changed.cached).toBe(false);
    expect(text(changed.file)).toContain('-edited');
  });

  it('rebuilds when the baked config (define) or the left-out packages change', () => {
    build('one', { SUFFIX: '"-a"' });

    const otherDefine = build('two', { SUFFIX: '"-b"' });
    const otherLeaveOut = build('three', { SUFFIX: '"-a"' }, ['ajv']);

    expect(otherDefine.cached).toBe(false);
    expect(text(otherDefine.file)).toContain('-b');
    expect(otherLeaveOut.cached).toBe(false);
  });

  it('rebuilds when the cached bundle no longer matches its manifest', () => {
    build('one');
    const [entryDir] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, entryDir!, 'index.js'), 'module.exports = "tampered";');

    const rebuilt = build('two');

    expect(rebuilt.cached).toBe(false);
    expect(text(rebuilt.file)).toContain('hello-from-v1');
    expect(text(rebuilt.file)).not.toContain('tampered');
  });

  it('rebuilds when the manifest is unreadable', () => {
    build('one');
    const [entryDir] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, entryDir!, 'manifest.json'), '{ not json');

    expect(build('two').cached).toBe(false);
  });

  it('never caches without a cache directory', () => {
    const first = bundleEntry(entry, join(dir, 'one'), { SUFFIX: '"-a"' }, [], false);
    const second = bundleEntry(entry, join(dir, 'two'), { SUFFIX: '"-a"' }, [], false);

    expect([first.cached, second.cached]).toEqual([false, false]);
  });
});

describe('bundleCacheDir', () => {
  it('is a directory in the OS temp dir by default', () => {
    expect(bundleCacheDir({})).toBe(join(tmpdir(), 'gatehouse-bundle-cache'));
  });

  it(`takes a directory from ${BUNDLE_CACHE_ENV}`, () => {
    expect(bundleCacheDir({ [BUNDLE_CACHE_ENV]: '/var/cache/gatehouse' })).toBe('/var/cache/gatehouse');
  });

  it.each(['off', 'false', '0'])(`is off when ${BUNDLE_CACHE_ENV}=%s`, (value) => {
    expect(bundleCacheDir({ [BUNDLE_CACHE_ENV]: value })).toBeUndefined();
  });
});
