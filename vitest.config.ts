import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Most test files wait on child processes, PostgreSQL or a browser rather than on the CPU, so even a
    // 2-core machine runs two files at once (vitest's default there would be one).
    maxWorkers: Math.max(2, Math.min(4, availableParallelism())),
    // Timeouts only catch hangs: on a loaded machine a test may take many times longer than alone, and that
    // must not fail it. Speed is measured by `npm run bench`, never by a test.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    restoreMocks: true,
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
});
