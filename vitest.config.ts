import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{engine,server,connectors,workflows,designer,test,bench}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', 'designer/dist/**'],
    globalSetup: ['./test/support/web-build.setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default in a run is one worker fewer than CPUs: one on a 2-CPU machine. Most files wait on Chromium,
    // child processes or Postgres, so as many workers as CPUs shortens the run (12 → 9 minutes on 2 CPUs).
    maxWorkers: '100%',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
