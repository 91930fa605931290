import { Migrator, sql, type Kysely, type MigrationResultSet } from 'kysely';
import { engineOf } from './dialect.js';
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

/** Applies every pending migration; throws the first migration error. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const resultSet = await (await createMigrator(db)).migrateToLatest();
  if (resultSet.error) {
    throw resultSet.error instanceof Error ? resultSet.error : new Error(String(resultSet.error));
  }
  return resultSet;
}
