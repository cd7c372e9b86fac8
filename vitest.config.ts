import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{engine,server,connectors,workflows,designer,test}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', 'designer/dist/**'],
    globalSetup: ['./test/support/web-build.setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
