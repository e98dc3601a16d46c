import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['solver/**/*.test.ts', 'cli/**/*.test.ts', 'bench/**/*.test.ts', 'fixtures/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
