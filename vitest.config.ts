import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'solver/**/*.test.ts',
      'cli/**/*.test.ts',
      'bench/**/*.test.ts',
      'fixtures/**/*.test.ts',
      'api/**/*.test.ts',
      'service/**/*.test.ts',
      'workers/**/*.test.ts',
      'web/e2e/**/*.test.ts',
      'web/src/**/*.test.ts',
    ],
    testTimeout: 60_000,
    // The service's suites start Redis-backed workers and solve a plan in beforeAll: on a loaded
    // 2-core machine that takes more than the default 10 s.
    hookTimeout: 60_000,
    pool: 'forks',
    exclude: ['node_modules/**', 'dist/**'],
    // Fastify's autoload and BullMQ's worker threads import .ts files natively: give them the loader.
    execArgv: ['--import', 'tsx'],
    // The tests run the sources: `hhc` in a child process too (not dist/, and no note about it).
    env: { HHC_FROM_SOURCE: '1' },
  },
});
