/** Storage: connections, schema migrations, demo data. */
export { engineOf, type Engine } from './dialect.js';
export { createMigrator, migrateToLatest } from './migrate.js';
export { openDatabase, type DatabaseHandle, type OpenDatabaseOptions } from './open.js';
export type { Database, TableName } from './schema.js';
export { insertTeam, insertUser, seedAccounts, type SeedAccountsOptions, type SeedUser } from './seed.js';
export { formatDate, formatDateTime, parseDate, parseDateTime } from './time.js';
