import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_API_ROLE, ensureBootstrapUsers } from '../../src/server/bootstrap.js';
import { seedDemoData } from '../../src/server/demo/seed.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { openDatabase, type DatabaseHandle } from '../../src/server/db/open.js';
import { adminQuery } from '../../src/tools/postgres-admin.js';
import { postgresUrl } from '../support/database.js';

/**
 * Servers starting together on one empty database (issue 14 item 3): each start-up (migrate, bootstrap
 * users, demo data) runs on its own connection pool at the same moment; every one succeeds and the
 * database ends with one of each. SQLite processes starting together on one file are covered by
 * test/server/campaign.test.ts (separate processes: better-sqlite3 blocks its thread while it waits for the
 * file's lock, so several connections in one process cannot show it).
 */
const STARTS = 6;
const ROUNDS = 3;
const users = { apiKey: 'startup-key', apiSecret: 'startup-secret', adminUserName: 'admin', adminPassword: 'startup-pw' };

async function startUp(handle: DatabaseHandle): Promise<void> {
  await migrateToLatest(handle.db);
  await ensureBootstrapUsers(handle.db, users);
  await seedDemoData(handle.db, { accounts: 5 });
}

async function expectOneOfEach(handle: DatabaseHandle): Promise<void> {
  const { db } = handle;
  const count = async (table: 'role_user') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  expect(await db.selectFrom('user').select('userName').where('type', 'in', ['api', 'admin']).orderBy('userName').execute()).toEqual([{ userName: 'admin' }, { userName: 'api' }]);
  expect(await db.selectFrom('role').select('name').where('name', '=', BOOTSTRAP_API_ROLE).execute()).toHaveLength(1);
  expect(await count('role_user')).toBe(1);
  expect(await db.selectFrom('account').select('id').where('createdById', '=', 'system').execute()).toHaveLength(5);
}

const admin = (statement: string) => adminQuery(postgresUrl!, statement);

describe.skipIf(!postgresUrl)('concurrent start-up [postgres]', () => {
  it(`${STARTS} start-ups at once on a fresh schema, ${ROUNDS} times: all succeed, one of each`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const schema = `startup_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin(`create schema "${schema}"`);
      const handles = Array.from({ length: STARTS }, () => openDatabase(postgresUrl!, { schema, poolSize: 2 }));
      try {
        const outcomes = await Promise.allSettled(handles.map(startUp));
        expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => String((outcome as PromiseRejectedResult).reason))).toEqual([]);
        await expectOneOfEach(handles[0]!);
      } finally {
        await Promise.all(handles.map((handle) => handle.close()));
        await admin(`drop schema if exists "${schema}" cascade`);
      }
    }
  }, 300_000);
});
if (!postgresUrl) it.skip('concurrent start-up [postgres] (PostgreSQL: TEST_DATABASE_URL not set)', () => {});
