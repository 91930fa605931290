import { describe, it } from 'vitest';
import { postgresUrl } from '../support/database.js';
import { referenceSuite } from './reference-suite.js';

if (postgresUrl) {
  referenceSuite('postgres');
} else {
  describe.skip('conformance kit against the reference server (--strict) [postgres] (PostgreSQL: TEST_DATABASE_URL not set)', () => {
    it('PostgreSQL: TEST_DATABASE_URL not set', () => {});
  });
}
