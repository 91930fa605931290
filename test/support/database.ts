/**
 * Fresh, migrated databases for tests: SQLite in memory, and PostgreSQL (when TEST_DATABASE_URL is
 * set) in a uniquely named schema dropped on close, so test files can run in parallel.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Engine } from '../../src/server/db/dialect.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { openDatabase, type DatabaseHandle } from '../../src/server/db/open.js';
import type { Database } from '../../src/server/db/schema.js';
import { adminQuery as adminQueryOn } from '../../src/tools/postgres-admin.js';

export type { Engine };

export const postgresUrl = process.env.TEST_DATABASE_URL;

export async function createTestDatabase(engine: Engine): Promise<DatabaseHandle> {
  if (engine === 'sqlite') {
    const handle = openDatabase('sqlite::memory:');
    await migrateToLatest(handle.db);
    return handle;
  }
  if (!postgresUrl) {
    throw new Error('PostgreSQL: TEST_DATABASE_URL not set');
  }
  const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`create schema "${schema}"`);
  const handle = openDatabase(postgresUrl, { schema, poolSize: 4 });
  try {
    await migrateToLatest(handle.db);
  } catch (error) {
    await handle.close();
    await adminQuery(`drop schema if exists "${schema}" cascade`);
    throw error;
  }
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await adminQuery(`drop schema if exists "${schema}" cascade`);
    },
  };
}

/** Schema DDL on a separate short-lived connection (schema names are generated above, not input). */
const adminQuery = (statement: string) => adminQueryOn(postgresUrl!, statement);

export const engines: readonly Engine[] = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];

/**
 * Runs a suite on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set; otherwise registers a
 * visibly skipped PostgreSQL suite.
 */
export function describeEngines(name: string, suite: (engine: Engine) => void): void {
  describe(`${name} [sqlite]`, () => suite('sqlite'));
  if (postgresUrl) {
    describe(`${name} [postgres]`, () => suite('postgres'));
  } else {
    describe.skip(`${name} [postgres] (PostgreSQL: TEST_DATABASE_URL not set)`, () => {
      it('PostgreSQL: TEST_DATABASE_URL not set', () => {});
    });
  }
}

export interface TestDatabaseRef {
  readonly db: Kysely<Database>;
  readonly handle: DatabaseHandle;
}

/** One database per describe block (created in beforeAll, closed in afterAll). */
export function useTestDatabase(engine: Engine): TestDatabaseRef {
  let handle: DatabaseHandle | undefined;
  beforeAll(async () => {
    handle = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await handle?.close();
  });
  return {
    get db() {
      if (!handle) throw new Error('Test database not ready (use it inside tests or hooks)');
      return handle.db;
    },
    get handle() {
      if (!handle) throw new Error('Test database not ready (use it inside tests or hooks)');
      return handle;
    },
  };
}
