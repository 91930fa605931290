import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { migrationProvider } from './migrations/index.js';

export function createMigrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: migrationProvider });
}

/** Applies every pending migration; throws the first migration error. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const resultSet = await createMigrator(db).migrateToLatest();
  if (resultSet.error) {
    throw resultSet.error instanceof Error ? resultSet.error : new Error(String(resultSet.error));
  }
  return resultSet;
}
