import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs for each mutant of the search code and `src/client` (stryker.config.json):
 * only the unit suites that exercise that code (no browsers, generators, PostgreSQL, or the client's round
 * trips through a live server, which take seconds per mutant), so a mutation run
 * stays bounded on a small machine.
 */
export default defineConfig({
  test: {
    include: [
      'test/server-core/where.test.ts',
      'test/server-core/search-params.test.ts',
      'test/server-core/find.test.ts',
      'test/client/auth.test.ts',
      'test/client/base-url.test.ts',
      'test/client/captures.test.ts',
      'test/client/errors.test.ts',
      'test/client/paginate.test.ts',
      'test/client/query-serializer.test.ts',
      'test/client/where.test.ts',
      'test/client/wire.test.ts',
      'test/client/hmac-path.test.ts',
    ],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    restoreMocks: true,
  },
});
