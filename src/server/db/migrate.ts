import { Migrator, sql, type Kysely, type MigrationResultSet } from 'kysely';
import { engineOf } from './dialect.js';
import { withExclusiveLock } from './locks.js';
import { migrationProvider, migrations } from './migrations/index.js';

/**
 * On PostgreSQL the migration tables are pinned to the connection's current schema: without that,
 * Kysely looks for them in every schema and, with several schemas in one database (parallel test
 * schemas), finds another schema's tables and skips creating its own.
 */
export async function createMigrator(db: Kysely<any>): Promise<Migrator> {
  if (engineOf(db) !== 'postgres') {
    return new Migrator({ db, provider: migrationProvider });
  }
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return new Migrator({ db, provider: migrationProvider, migrationTableSchema: rows[0]?.schema ?? 'public' });
}

/**
 * Applies every pending migration; throws the first migration error. Servers starting together on one
 * PostgreSQL database migrate one after the other (Kysely's own lock is taken only after it has created
 * its tables, which can race).
 */
/** invalid_schema_name, undefined_table, and "cache lookup failed" (internal_error) during concurrent DDL. */
const CONCURRENT_DDL = new Set(['3F000', '42P01', 'XX000']);

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  // Up to date (every start but the first): no lock, so a start never waits for another process's writes.
  if (!(await hasPending(db))) return { results: [] };
  for (let attempt = 1; ; attempt++) {
    const resultSet = await withExclusiveLock(db, 'migrate', async (connection) => (await createMigrator(connection)).migrateToLatest(), {
      sqliteTransaction: false,
    });
    if (!resultSet.error) return resultSet;
    // Kysely reads the table list of every schema; a schema or table dropped meanwhile by someone else
    // (parallel test schemas) fails that read. Nothing was applied: try again.
    if (attempt < 5 && CONCURRENT_DDL.has(String((resultSet.error as { code?: unknown }).code))) continue;
    throw resultSet.error instanceof Error ? resultSet.error : new Error(String(resultSet.error));
  }
}

/**
 * Whether a migration is not applied yet. PostgreSQL: read from this schema's migration table directly
 * (Kysely's check reads every schema's tables, see above).
 */
async function hasPending(db: Kysely<any>): Promise<boolean> {
  if (engineOf(db) !== 'postgres') {
    return (await (await createMigrator(db)).getMigrations()).some((migration) => migration.executedAt === undefined);
  }
  const { rows } = await sql<{ present: boolean }>`select to_regclass(quote_ident(current_schema()) || '.kysely_migration') is not null as present`.execute(db);
  if (!rows[0]?.present) return true;
  const applied = new Set((await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((row) => row.name));
  return Object.keys(migrations).some((name) => !applied.has(name));
}
