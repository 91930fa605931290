/**
 * PostgreSQL compares and sorts text through `lower(…)` (db/dialect.ts), which the column indexes of 0001
 * cannot serve: every account list filtered by type or name, or ordered by name, read the whole table,
 * and counted it a second time for the total. These expression indexes serve the common shapes:
 * - `orderBy=name` (ASC NULLS FIRST forwards, DESC NULLS LAST backwards, as the list query orders);
 * - `type` equals, ordered by name;
 * - name starts with (`startsWith`, the text filter), with or without `type`: `text_pattern_ops` lets a
 *   `lower(name) LIKE 'prefix%'` use the index whatever the database's collation.
 * SQLite needs none: its text columns are `COLLATE NOCASE` and the 0001 indexes serve the same shapes.
 */
import { sql, type Kysely } from 'kysely';
import { engineOf } from '../dialect.js';

const INDEXES: Record<string, string> = {
  account_caseless_name: '"deleted", lower("name") nulls first, "id" nulls first',
  account_caseless_type_name: '"deleted", lower("type"), lower("name") nulls first, "id" nulls first',
  account_caseless_name_prefix: '"deleted", lower("name") text_pattern_ops',
  account_caseless_type_name_prefix: '"deleted", lower("type"), lower("name") text_pattern_ops',
};

export async function up(db: Kysely<any>): Promise<void> {
  if (engineOf(db) !== 'postgres') return;
  for (const [name, columns] of Object.entries(INDEXES)) {
    await sql`create index ${sql.id(name)} on ${sql.table('account')} (${sql.raw(columns)})`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (engineOf(db) !== 'postgres') return;
  for (const name of Object.keys(INDEXES)) {
    await sql`drop index if exists ${sql.id(name)}`.execute(db);
  }
}
