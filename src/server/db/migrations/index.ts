import type { Migration, MigrationProvider } from 'kysely';
import * as initialSchema from './0001-initial-schema.js';
import * as postgresCaselessAccountIndexes from './0002-postgres-caseless-account-indexes.js';
import * as entityCounts from './0003-entity-counts.js';
import * as postgresDefaultOrderIndexes from './0004-postgres-default-order-indexes.js';

/**
 * Every migration, in order. Listed explicitly (no folder scan) so bundling and tests see the same
 * set; names are permanent once released.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-initial-schema': initialSchema,
  '0002-postgres-caseless-account-indexes': postgresCaselessAccountIndexes,
  '0003-entity-counts': entityCounts,
  '0004-postgres-default-order-indexes': postgresDefaultOrderIndexes,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...migrations }),
};
