// Test runner settings: two cores here, so synth-heavy files run in a small fork pool.
import { configDefaults, defineConfig } from 'vitest/config';
import { scaled } from './test/support/time-factor';

/**
 * Files that share their worker's modules (isolate: false): a fresh fork per file re-imports aws-cdk-lib, which
 * was most of the suite's time. They plan, synthesize and read templates; nothing they import keeps state between
 * calls (lib/ holds only WeakMaps keyed by the object being built), and they neither mock modules, stub env or
 * globals, nor use fake timers. They pass in any order (`--sequence.shuffle`).
 * Everything else keeps a fresh process per file: the Lambda handlers' modules keep container-lifetime state on
 * purpose (SDK clients per region, metric hooks, the state-table client), which one file must not hand the next,
 * and the CLI, local and verify tests change env or run servers. A new file belongs in this list only if the same holds.
 */
const SHARED_MODULES = [
  'test/config/**/*.test.ts',
  'test/plan/**/*.test.ts',
  'test/openapi/**/*.test.ts',
  'test/constructs/**/*.test.ts',
  'test/templates.test.ts',
  'test/cfn-lint.test.ts',
  'test/benchmarks.test.ts',
];

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    // Lambda runs Node 22, where JSON.parse hands revivers each number's source text (the proxy keeps ids past
    // 2^53 exact with it); Node 20 has the same behind this flag, so the tests of that path run here too.
    execArgv: ['--harmony-json-parse-with-source'],
    // Deadlines, not budgets: stretched by the load (or GATEHOUSE_TEST_TIME_FACTOR), see test/support/time-factor.ts.
    testTimeout: scaled(60_000),
    hookTimeout: scaled(60_000),
    projects: [
      { extends: true, test: { name: 'shared-modules', include: SHARED_MODULES, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...SHARED_MODULES], isolate: true } },
    ],
  },
});
