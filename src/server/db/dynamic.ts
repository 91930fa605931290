/**
 * Entity tables are addressed by names taken from metadata, which Kysely's static table types cannot
 * check. Generic record code uses this loosely typed view of the same connection; every table and
 * column name it passes comes from metadata, never from input.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

export type Row = Record<string, unknown>;
export type DynamicSchema = Record<string, Row>;
export type DynamicDb = Kysely<DynamicSchema>;

/** A connection or an open transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

export function dynamic(db: Db): DynamicDb {
  return db as unknown as DynamicDb;
}
