/**
 * CacheInvalidation: `invalidate(db)` clears this process's caches, and on PostgreSQL reaches the other
 * processes only when the change commits (NOTIFY is transactional); a rolled-back change notifies nobody.
 */
import { describe, expect, it } from 'vitest';
import { CacheInvalidation } from '../../src/server/db/cache-invalidation.js';
import { TtlCache } from '../../src/server/core/ttl-cache.js';
import { createTestDatabase, postgresUrl } from '../support/database.js';

async function until(what: string, check: () => boolean, deadlineMs = 20_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Not within ${deadlineMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('CacheInvalidation [sqlite]', () => {
  it('clears every registered cache of this process', async () => {
    const database = await createTestDatabase('sqlite');
    const invalidation = new CacheInvalidation();
    await invalidation.start();
    const users = new TtlCache<string>(60_000);
    const tables = new TtlCache<string>(60_000);
    invalidation.register(users);
    invalidation.register(tables);
    users.set('a', 'alice');
    tables.set('a', 'table');
    await database.db.transaction().execute((trx) => invalidation.invalidate(trx));
    expect(users.get('a')).toBeUndefined();
    expect(tables.get('a')).toBeUndefined();
    await invalidation.close();
    await database.close();
  });
});

(postgresUrl ? describe : describe.skip)(`CacheInvalidation [postgres]${postgresUrl ? '' : ' (PostgreSQL: TEST_DATABASE_URL not set)'}`, () => {
  it('notifies the other processes when the change commits, not when it rolls back', { timeout: 60_000 }, async () => {
    const database = await createTestDatabase('postgres');
    const writer = new CacheInvalidation();
    // Only this test's schema: other test files change roles in their own schemas of the same database.
    const reader = new CacheInvalidation({ listenUrl: postgresUrl, applicationName: `cache-invalidation test ${process.pid}`, schema: database.schema! });
    let clears = 0;
    reader.register({ clear: () => clears++ });
    await reader.start();
    try {
      await until('the initial clear after LISTEN', () => clears === 1);
      await database.db
        .transaction()
        .execute(async (trx) => {
          await writer.invalidate(trx);
          throw new Error('roll back');
        })
        .catch(() => {});
      await database.db.transaction().execute(async (trx) => {
        await writer.invalidate(trx);
        // Not delivered before the commit: the other process would reload the old data.
        await trx.selectNoFrom((eb) => eb.val(1).as('x')).execute();
        expect(clears).toBe(1);
      });
      await until('the committed change is heard', () => clears === 2);
      // Notices arrive in commit order: had the rolled-back one been sent, it would have come first.
      expect(clears).toBe(2);
      // A writer in another schema of the same database is not heard; the next one of ours is.
      const other = await createTestDatabase('postgres');
      try {
        await writer.invalidate(other.db);
      } finally {
        await other.close();
      }
      await writer.invalidate(database.db);
      await until('the next change in this schema is heard', () => clears >= 3);
      expect(clears).toBe(3);
    } finally {
      await reader.close();
      await database.close();
    }
  });
});
