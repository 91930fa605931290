import { sql, type Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { BulkInsert } from '../../src/server/db/bulk-insert.js';
import { engineOf } from '../../src/server/db/dialect.js';
import { hasMaintainedCount, maintainedCount } from '../../src/server/db/entity-counts.js';
import { createMigrator, migrateToLatest } from '../../src/server/db/migrate.js';
import { COUNTED_TABLES, POSTGRES_STRIPES } from '../../src/server/db/migrations/0003-entity-counts.js';
import type { Database } from '../../src/server/db/schema.js';
import { generateId } from '../../src/server/core/ids.js';
import { seedDemoData } from '../../src/server/demo/seed.js';
import { LinkService } from '../../src/server/links/link-service.js';
import { entityTypes, getEntity } from '../../src/server/metadata/index.js';
import { createContext, type RequestContext } from '../../src/server/read/context.js';
import { RecordService } from '../../src/server/records/record-service.js';
import { defaultSearchParams, type SearchParams } from '../../src/server/search/search-params.js';
import { createTestDatabase, describeEngines, useTestDatabase } from '../support/database.js';
import { contextWithLevel, createFixtures, type Fixtures } from '../support/fixtures.js';

/** What the maintained count stands for. */
async function counted(db: Kysely<Database>, table: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)} where "deleted" = 0`.execute(db);
  return Number(rows[0]!.n);
}

async function expectEveryCountExact(db: Kysely<Database>): Promise<void> {
  const maintained: Record<string, number> = {};
  const real: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    maintained[table] = await maintainedCount(db, table);
    real[table] = await counted(db, table);
  }
  expect(maintained).toEqual(real);
}

/** In this test's own schema (PostgreSQL introspection would list every schema's tables). */
async function hasTable(db: Kysely<Database>, name: string): Promise<boolean> {
  const query =
    engineOf(db) === 'postgres'
      ? sql<{ present: unknown }>`select to_regclass(${name}) is not null as present`
      : sql<{ present: unknown }>`select count(*) > 0 as present from sqlite_master where type = 'table' and name = ${name}`;
  return Boolean((await query.execute(db)).rows[0]!.present);
}

function accountRow(name: string, deleted = 0) {
  return { id: generateId(), name, deleted, createdAt: '2026-01-01 00:00:00', modifiedAt: '2026-01-01 00:00:00' };
}

describe('maintained counts: coverage', () => {
  it('exist for the table of every entity type', () => {
    expect(entityTypes.map((entityType) => getEntity(entityType).table).filter((table) => !hasMaintainedCount(table))).toEqual([]);
  });
});

describeEngines('maintained counts', (engine) => {
  const t = useTestDatabase(engine);
  let records: RecordService;
  let fx: Fixtures;
  let admin: RequestContext;

  beforeAll(async () => {
    records = new RecordService(t.db);
    fx = await createFixtures(t.db);
    admin = createContext(fx.admin, { skipDuplicateCheck: true });
  });

  const accounts = () => maintainedCount(t.db, 'account');

  it('start exact (the system user and the fixtures)', async () => {
    expect(await maintainedCount(t.db, 'user')).toBe(4);
    expect(await maintainedCount(t.db, 'team')).toBe(2);
    await expectEveryCountExact(t.db);
  });

  it('follow creates, soft deletes, restores and hard deletes', async () => {
    const before = await accounts();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(String((await records.create('Account', { name: `Counted ${i}` }, admin)).id));
    expect(await accounts()).toBe(before + 5);

    await records.delete('Account', ids[0]!, admin);
    await records.delete('Account', ids[1]!, admin);
    expect(await accounts()).toBe(before + 3);

    // Updates that leave `deleted` as it was change nothing, also setting it to its own value.
    await records.update('Account', ids[2]!, { name: 'Renamed' }, admin);
    await t.db.updateTable('account').set({ deleted: 1 }).where('id', '=', ids[0]!).execute();
    await t.db.updateTable('account').set({ deleted: 0 }).where('id', '=', ids[2]!).execute();
    expect(await accounts()).toBe(before + 3);

    // Restore (EspoCRM's restoreDeleted sets deleted back to 0).
    await t.db.updateTable('account').set({ deleted: 0 }).where('id', '=', ids[1]!).execute();
    expect(await accounts()).toBe(before + 4);

    // Several rows in one statement, both ways.
    await t.db.updateTable('account').set({ deleted: 1 }).where('id', 'in', ids.slice(1, 4)).execute();
    expect(await accounts()).toBe(before + 1);
    await t.db.updateTable('account').set({ deleted: 0 }).where('id', 'in', ids.slice(0, 3)).execute();
    expect(await accounts()).toBe(before + 4);

    // Hard deletes: a non-deleted row leaves the count, a soft-deleted one was not in it.
    await t.db.updateTable('account').set({ deleted: 1 }).where('id', '=', ids[4]!).execute();
    expect(await accounts()).toBe(before + 3);
    await t.db.deleteFrom('account').where('id', 'in', [ids[0]!, ids[4]!]).execute();
    expect(await accounts()).toBe(before + 2);
    await expectEveryCountExact(t.db);
  });

  it('follow a rolled-back transaction (nothing changes)', async () => {
    const before = await accounts();
    await expect(
      t.db.transaction().execute(async (trx) => {
        await trx.insertInto('account').values([accountRow('Gone 1'), accountRow('Gone 2')]).execute();
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await accounts()).toBe(before);
  });

  it('follow bulk inserts, counting only the non-deleted rows of each statement', async () => {
    const before = await accounts();
    const bulk = new BulkInsert('account', ['id', 'name', 'deleted', 'createdAt']);
    // 600 rows: statements of 512, 64, 16 and 8 rows; every third row deleted.
    for (let i = 0; i < 600; i++) bulk.values.push(generateId(), `Bulk ${i}`, i % 3 === 0 ? 1 : 0, '2026-01-02 00:00:00');
    await bulk.write(t.db, true);
    expect(await accounts()).toBe(before + 400);
    await t.db.deleteFrom('account').where('name', 'like', 'Bulk %').execute();
    expect(await accounts()).toBe(before);
    await expectEveryCountExact(t.db);
  });

  it('are what an unfiltered list reads; restricted, filtered and related lists still count', async () => {
    const contacts = new LinkService(t.db);
    const parent = await records.create('Account', { name: 'Parent Co' }, admin);
    await records.create('Account', { name: 'Mine 1', assignedUserId: fx.alice.id }, admin);
    await records.create('Account', { name: 'Mine 2', assignedUserId: fx.alice.id }, admin);
    await records.create('Account', { name: 'Mine 3', assignedUserId: fx.alice.id, type: 'Customer' }, admin);
    const children = [];
    for (const lastName of ['One', 'Two', 'Three']) children.push(String((await records.create('Contact', { lastName }, admin)).id));
    await contacts.relate('Account', String(parent.id), 'contacts', children, admin);
    const real = await counted(t.db, 'account');
    const list = (params: Partial<SearchParams>, ctx = admin) => records.find('Account', { ...defaultSearchParams, maxSize: 2, ...params }, ctx);

    // Off by 1000 on purpose: every total that reads the maintained count shows it.
    const SKEW = 1000;
    await sql`update "entity_count" set "total" = "total" + ${SKEW} where "stripe" = 0`.execute(t.db);
    try {
      expect((await list({})).total).toBe(real + SKEW);
      expect((await list({}, contextWithLevel(fx.bob, 'all'))).total).toBe(real + SKEW);
      expect((await list({ boolFilterList: ['shared'] })).total).toBe(real + SKEW);

      // Access restriction: alice reads her own accounts only.
      expect((await list({}, contextWithLevel(fx.alice, 'own'))).total).toBe(3);
      expect((await list({}, contextWithLevel(fx.alice, 'team'))).total).toBe(3);
      expect((await list({ boolFilterList: ['onlyMy'] }, createContext(fx.alice))).total).toBe(3);
      expect((await list({ where: [{ type: 'startsWith', attribute: 'name', value: 'Mine' }] })).total).toBe(3);
      expect((await list({ primaryFilter: 'customers' })).total).toBe(await customers());
      expect((await list({ textFilter: 'Mine' })).total).toBe(3);
      // A related list counts its parent's records.
      const related = await contacts.findLinked('Account', String(parent.id), 'contacts', { ...defaultSearchParams, maxSize: 2 }, admin);
      expect(related.total).toBe(3);
      // The page that tells the total, and the no-total markers, are as before.
      expect((await list({ maxSize: 200 })).total).toBe(real);
      expect((await list({ noTotal: true })).total).toBe(-1);
      expect((await list({ maxSize: 200, noTotal: true })).total).toBe(-2);
    } finally {
      await sql`update "entity_count" set "total" = "total" - ${SKEW} where "stripe" = 0`.execute(t.db);
    }
    expect((await list({})).total).toBe(real);
    await expectEveryCountExact(t.db);
  });

  const customers = () => t.db.selectFrom('account').select((eb) => eb.fn.countAll<number>().as('n')).where('deleted', '=', 0).where('type', '=', 'Customer').executeTakeFirstOrThrow().then((row) => Number(row.n));

  it('start from the rows already there when the migration runs', async () => {
    const handle = await createTestDatabase(engine);
    try {
      const db = handle.db;
      const down = await (await createMigrator(db)).migrateTo('0002-postgres-caseless-account-indexes');
      expect(down.error).toBeUndefined();
      expect(down.results?.map((result) => result.migrationName)).toContain('0003-entity-counts');
      expect(await hasTable(db, 'entity_count')).toBe(false);
      await db.insertInto('account').values([accountRow('Old 1'), accountRow('Old 2'), accountRow('Old 3', 1)]).execute();
      await db.insertInto('team').values({ id: generateId(), name: 'Old team', deleted: 1 }).execute();
      await migrateToLatest(db);
      expect(await hasTable(db, 'entity_count')).toBe(true);
      expect(await maintainedCount(db, 'account')).toBe(2);
      expect(await maintainedCount(db, 'team')).toBe(0);
      expect(await maintainedCount(db, 'user')).toBe(1);
      await expectEveryCountExact(db);
    } finally {
      await handle.close();
    }
  });

  it('follow the demo seed', async () => {
    const handle = await createTestDatabase(engine);
    try {
      expect(await seedDemoData(handle.db, { accounts: 700 })).toBe(true);
      expect(await maintainedCount(handle.db, 'account')).toBe(700);
      expect(await maintainedCount(handle.db, 'contact')).toBeGreaterThan(0);
      await expectEveryCountExact(handle.db);
    } finally {
      await handle.close();
    }
  });

  if (engine === 'postgres') {
    it('stay exact under concurrent writers on several connections, spread over stripes', async () => {
      const before = await accounts();
      const WRITERS = 40;
      const created = await Promise.all(Array.from({ length: WRITERS }, (_, i) => records.create('Account', { name: `Concurrent ${i}` }, admin)));
      // Deletes and restores racing new creates and bulk inserts.
      await Promise.all([
        ...created.slice(0, 10).map((record) => records.delete('Account', String(record.id), admin)),
        ...Array.from({ length: 10 }, (_, i) => records.create('Account', { name: `Concurrent late ${i}` }, admin)),
        ...Array.from({ length: 4 }, (_, i) =>
          t.db.transaction().execute((trx) => trx.insertInto('account').values([accountRow(`Concurrent bulk ${i}a`), accountRow(`Concurrent bulk ${i}b`), accountRow(`Concurrent bulk ${i}c`, 1)]).execute()),
        ),
      ]);
      expect(await accounts()).toBe(before + WRITERS - 10 + 10 + 8);
      await expectEveryCountExact(t.db);
      const { rows } = await sql<{ stripes: number }>`select count(distinct "stripe")::int as stripes from "entity_count" where "tableName" = 'account' and "total" <> 0`.execute(t.db);
      expect(rows[0]!.stripes).toBeGreaterThan(1);
      const all = await sql<{ n: number }>`select count(*)::int as n from "entity_count" where "tableName" = 'account'`.execute(t.db);
      expect(all.rows[0]!.n).toBe(POSTGRES_STRIPES);
    });

    it('do not make a writer wait for another open transaction writing the same table', async () => {
      const before = await accounts();
      await t.db.connection().execute(async (first) => {
        await sql`begin`.execute(first);
        await first.insertInto('account').values(accountRow('Open writer')).execute();
        const { rows } = await sql<{ stripe: string }>`select txid_current() % ${POSTGRES_STRIPES} as stripe`.execute(first);
        try {
          // A second transaction whose stripe differs (a new transaction id until it does) inserts and commits
          // while the first still holds its stripe; with one counter row per table it would wait for it.
          for (let attempt = 1; ; attempt++) {
            const inserted = await t.db.transaction().execute(async (trx) => {
              await sql`set local lock_timeout = '3s'`.execute(trx);
              const own = await sql<{ stripe: string }>`select txid_current() % ${POSTGRES_STRIPES} as stripe`.execute(trx);
              if (own.rows[0]!.stripe === rows[0]!.stripe) return false;
              await trx.insertInto('account').values(accountRow('Second writer')).execute();
              return true;
            });
            if (inserted) break;
            expect(attempt).toBeLessThan(10);
          }
          expect(await accounts()).toBe(before + 1);
        } finally {
          await sql`commit`.execute(first);
        }
      });
      expect(await accounts()).toBe(before + 2);
      await expectEveryCountExact(t.db);
    });
  }
});
