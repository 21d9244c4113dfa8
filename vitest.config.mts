// Test runner settings: two cores here, so two workers; synth-heavy files share their modules, handler tests keep a process each.
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

/**
 * Shares modules like the above but needs a process of its own: CDK's NodejsFunction bundles locally with
 * spawnSync(..., { stdio: [..., process.stderr] }), and a worker thread's process.stderr is no file descriptor.
 */
const OWN_PROCESS = ['test/constructs/cdk-user-app.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    // Deadlines, not budgets: stretched by the load (or GATEHOUSE_TEST_TIME_FACTOR), see test/support/time-factor.ts.
    testTimeout: scaled(60_000),
    hookTimeout: scaled(60_000),
    projects: [
      // Threads, not forks: with one module cache per worker the pool's own cost is what is left; threads were 20-25 %
      // faster over plan, config and openapi (many small files) and the same within noise over the construct files,
      // measured back to back. Should they ever misbehave, forks work here too. A worker thread takes no V8 flags, so this
      // project has no execArgv (extends merges arrays, hence none at the root): none of its files runs the proxy.
      {
        extends: true,
        test: {
          name: 'shared-modules',
          include: SHARED_MODULES,
          exclude: [...configDefaults.exclude, ...OWN_PROCESS],
          pool: 'threads',
          isolate: false,
        },
      },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS, pool: 'forks', isolate: true } },
      {
        extends: true,
        test: {
          name: 'isolated',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...SHARED_MODULES],
          isolate: true,
          // Lambda runs Node 22, where JSON.parse hands revivers each number's source text (the proxy keeps ids past
          // 2^53 exact with it); Node 20 has the same behind this flag, so the tests of that path run here too.
          execArgv: ['--harmony-json-parse-with-source'],
        },
      },
    ],
  },
});
