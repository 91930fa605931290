import type { Insertable, Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Multi-row inserts below SQLite's bound-parameter limit (also used by the related demo data). */
export async function insertChunked<T extends keyof Database>(db: Kysely<Database>, table: T, rows: Insertable<Database[T]>[]) {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object).length;
  const chunk = Math.max(1, Math.floor(30000 / columns));
  for (let index = 0; index < rows.length; index += chunk) {
    await db.insertInto(table).values(rows.slice(index, index + chunk) as never).execute();
  }
}
