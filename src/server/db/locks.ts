/**
 * Serialising writers that read before they write, on every engine and across server processes.
 *
 * - SQLite: every write transaction begins with `BEGIN IMMEDIATE` (open.ts), so it holds the database's
 *   single write lock from its first statement: writers run one after another, whichever process they
 *   are in, and the row and key locks here have nothing to add.
 * - PostgreSQL (READ COMMITTED): transactions only see what was committed before each statement, so a
 *   check followed by a write can race. Row locks (`SELECT … FOR UPDATE`) serialise writers of one
 *   record; transaction-scoped advisory locks serialise writers of something that does not exist yet
 *   (a name, an email address). Both are released at commit or rollback.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { engineOf } from './dialect.js';
import type { Db } from './dynamic.js';

/**
 * Locks the row until the transaction ends (PostgreSQL); a concurrent writer of the same row waits
 * here and then reads the committed row. Call it before reading what the write depends on.
 */
export async function lockRow(trx: Db, table: string, id: string): Promise<void> {
  if (engineOf(trx) !== 'postgres') return;
  await sql`select 1 from ${sql.table(table)} where id = ${id} for update`.execute(trx);
}

/**
 * Takes a transaction-scoped advisory lock per key (PostgreSQL), in a fixed order so two transactions
 * wanting overlapping keys cannot deadlock. Keys are scoped to the current schema, so separate schemas in
 * one database (tests) do not wait for each other. A hash collision only makes two writers wait.
 */
export async function lockKeys(trx: Db, keys: readonly string[]): Promise<void> {
  if (engineOf(trx) !== 'postgres') return;
  // PostgreSQL text cannot hold NUL; dropping it only makes the key coarser.
  const names = [...new Set(keys.map((key) => `:${key.replaceAll('\0', '')}`))].sort();
  if (names.length === 0) return;
  // All keys in one statement: unnest yields them in array order, so they are locked in the sorted order.
  await sql`select count(pg_advisory_xact_lock(hashtextextended(current_schema() || name, 0))) from unnest(${names}::text[]) as name`.execute(trx);
}

/**
 * Runs `work` alone: servers starting together on one database migrate, create the bootstrap users and
 * seed one after the other. PostgreSQL: a session advisory lock named `name`, `work` gets the locked
 * connection. SQLite: `work` runs in one write transaction (the file's write lock serialises processes): a
 * Kysely transaction, or with `sqliteTransaction: false` (for work that must not be handed a transaction,
 * such as Kysely's migrator) a raw `BEGIN IMMEDIATE … COMMIT` around it on one connection.
 */
export async function withExclusiveLock<T>(
  db: Kysely<any>,
  name: string,
  work: (db: Kysely<any>) => Promise<T>,
  options: { sqliteTransaction: boolean } = { sqliteTransaction: true },
): Promise<T> {
  if (engineOf(db) !== 'postgres') return options.sqliteTransaction ? inTransaction(db, work) : inRawTransaction(db, work);
  return db.connection().execute(async (connection) => {
    const key = sql`hashtextextended(current_schema() || ${`:${name}`}, 0)`;
    await sql`select pg_advisory_lock(${key})`.execute(connection);
    try {
      return await work(connection);
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(connection);
    }
  });
}

async function inRawTransaction<T>(db: Kysely<any>, work: (db: Kysely<any>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const result = await work(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection);
      throw error;
    }
  });
}

/** PostgreSQL's deadlock_detected and serialization_failure: the transaction did nothing and may run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 4;

export function isRetryableConflict(error: unknown): boolean {
  return typeof error === 'object' && error !== null && RETRYABLE.has(String((error as { code?: unknown }).code));
}

/**
 * One write transaction. Writers that lock rows in different orders (relating A to B while B is related to A)
 * can deadlock on PostgreSQL, which then aborts one of them; that one is run again, as the work inside is
 * only database statements. After the last attempt the error goes up (answered 503 with a reason). Called
 * inside an open transaction, `work` simply joins it.
 */
export async function inTransaction<D, T>(db: Kysely<D>, work: (trx: Transaction<D>) => Promise<T>): Promise<T> {
  // Inside an open transaction: part of it (the outermost one retries).
  if (db.isTransaction) return work(db as Transaction<D>);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryableConflict(error)) throw error;
    }
  }
}
