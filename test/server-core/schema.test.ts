import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { engineOf } from '../../src/server/db/dialect.js';
import { createMigrator, migrateToLatest } from '../../src/server/db/migrate.js';
import { openDatabase } from '../../src/server/db/open.js';
import { entityTypes, getEntity } from '../../src/server/metadata/index.js';
import { generateId } from '../../src/server/core/ids.js';
import { describeEngines, useTestDatabase } from '../support/database.js';

const EXPECTED_TABLES = [
  'account', 'account_contact', 'account_document', 'account_portal_user', 'account_target_list', 'attachment', 'call', 'campaign',
  'case', 'contact', 'document', 'email', 'email_address', 'entity_count', 'entity_email_address', 'entity_phone_number', 'entity_team', 'meeting',
  'note', 'opportunity', 'phone_number', 'role', 'role_team', 'role_user', 'star_subscription', 'stream_subscription', 'target_list',
  'task', 'team', 'team_user', 'user',
];

describeEngines('schema', (engine) => {
  const t = useTestDatabase(engine);

  /** Tables of this test's own schema (PostgreSQL introspection lists every schema of the database). */
  async function ownTables() {
    const current = engine === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(t.db)).rows[0]?.schema : undefined;
    return (await t.db.introspection.getTables()).filter((table) => current === undefined || table.schema === current);
  }

  it('creates every table and reports the engine', async () => {
    const tables = (await ownTables()).map((table) => table.name).filter((name) => !name.startsWith('kysely_'));
    expect(tables.sort()).toEqual(EXPECTED_TABLES);
    expect(engineOf(t.db)).toBe(engine);
    expect(t.handle.engine).toBe(engine);
  });

  it('has a column for every stored attribute of every entity', async () => {
    const tables = new Map((await ownTables()).map((table) => [table.name, table.columns.map((column) => column.name)]));
    for (const entityType of entityTypes) {
      const meta = getEntity(entityType);
      const columns = tables.get(meta.table);
      expect(columns, meta.table).toBeDefined();
      expect(meta.columns.filter((name) => !columns!.includes(name)), entityType).toEqual([]);
    }
  });

  it('is idempotent: migrating again does nothing', async () => {
    const result = await migrateToLatest(t.db);
    expect(result.results).toEqual([]);
    const migrations = await (await createMigrator(t.db)).getMigrations();
    expect(migrations.map((migration) => [migration.name, Boolean(migration.executedAt)])).toEqual([
      ['0001-initial-schema', true],
      ['0002-postgres-caseless-account-indexes', true],
      ['0003-entity-counts', true],
      ['0004-postgres-default-order-indexes', true],
    ]);
  });

  it('contains the system user', async () => {
    const user = await t.db.selectFrom('user').select(['id', 'type', 'userName']).where('id', '=', 'system').executeTakeFirst();
    expect(user).toEqual({ id: 'system', type: 'system', userName: 'system' });
  });

  it('compares and sorts text ignoring case on both engines', async () => {
    const at = '2024-01-01 00:00:00';
    for (const name of ['beta', 'Alpha', 'ALPHA']) {
      await t.db.insertInto('account').values({ id: generateId(), name, createdAt: at, modifiedAt: at, createdById: 'system' } as never).execute();
    }
    const lower = engine === 'postgres' ? sql`lower("name")` : sql`"name"`;
    const rows = await t.db.selectFrom('account').select('name').orderBy(lower).orderBy('name').execute();
    expect(rows.map((row) => row.name.toLowerCase())).toEqual(['alpha', 'alpha', 'beta']);
  });

  it('enforces foreign keys', async () => {
    const at = '2024-01-01 00:00:00';
    await expect(
      t.db.insertInto('account').values({ id: generateId(), name: 'Orphan', createdAt: at, modifiedAt: at, createdById: 'no-such-user' } as never).execute(),
    ).rejects.toThrow();
  });

  it('keeps unique email addresses by lower-case value', async () => {
    await t.db.insertInto('email_address').values({ id: generateId(), name: 'A@x.com', lower: 'a@x.com' }).execute();
    await expect(t.db.insertInto('email_address').values({ id: generateId(), name: 'a@X.com', lower: 'a@x.com' }).execute()).rejects.toThrow();
  });
});

it('rejects unsupported database URLs', () => {
  expect(() => openDatabase('mysql://localhost/x')).toThrow(/Unsupported database URL/);
  expect(() => openDatabase('sqlite:')).toThrow(/Empty SQLite path/);
});

it('generates 17-character lowercase hex ids that increase', () => {
  // 5000 ids draw their random digits from more than one refill of the pool of random bytes.
  const ids = Array.from({ length: 5000 }, () => generateId());
  expect(ids.every((id) => /^[0-9a-f]{17}$/.test(id))).toBe(true);
  expect(new Set(ids).size).toBe(ids.length);
  expect(new Set(ids.map((id) => id.slice(13))).size).toBeGreaterThan(3000);
  expect([...ids.map((id) => id.slice(0, 13))]).toEqual([...ids.map((id) => id.slice(0, 13))].sort());
});
