import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{engine,server,connectors,workflows,test}/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
