import { Migrator, sql, type Kysely, type MigrationResultSet } from 'kysely';
import { engineOf } from './dialect.js';
import { withExclusiveLock } from './locks.js';
import { migrationProvider } from './migrations/index.js';

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
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  // Up to date (every start but the first): no lock, so a start never waits for another process's writes.
  if (!(await hasPending(db))) return { results: [] };
  const resultSet = await withExclusiveLock(db, 'migrate', async (connection) => (await createMigrator(connection)).migrateToLatest(), {
    sqliteTransaction: false,
  });
  if (resultSet.error) {
    throw resultSet.error instanceof Error ? resultSet.error : new Error(String(resultSet.error));
  }
  return resultSet;
}

async function hasPending(db: Kysely<any>): Promise<boolean> {
  return (await (await createMigrator(db)).getMigrations()).some((migration) => migration.executedAt === undefined);
}
