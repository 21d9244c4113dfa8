// Test runner settings: two cores here, so synth-heavy files run in a small fork pool.
import { defineConfig } from 'vitest/config';
import { scaled } from './test/support/time-factor';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // Lambda runs Node 22, where JSON.parse hands revivers each number's source text (the proxy keeps ids past
    // 2^53 exact with it); Node 20 has the same behind this flag, so the tests of that path run here too.
    execArgv: ['--harmony-json-parse-with-source'],
    // Deadlines, not budgets: stretched by the load (or GATEHOUSE_TEST_TIME_FACTOR), see test/support/time-factor.ts.
    testTimeout: scaled(60_000),
    hookTimeout: scaled(60_000),
  },
});
