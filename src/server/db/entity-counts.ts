/**
 * The maintained count of an entity table's non-deleted rows (migration 0003: triggers keep it exact in
 * the writing transaction). It equals `select count(*) from <table> where deleted = 0` in the same
 * snapshot, and costs a primary-key lookup of at most 16 rows instead of a scan of the table.
 */
import { sql } from 'kysely';
import type { Db } from './dynamic.js';
import { executeFixed } from './prepared.js';
import { COUNTED_TABLES } from './migrations/0003-entity-counts.js';

const counted: ReadonlySet<string> = new Set(COUNTED_TABLES);

export function hasMaintainedCount(table: string): boolean {
  return counted.has(table);
}

/** The number of rows of `table` with `deleted = 0` (a table of COUNTED_TABLES). */
export async function maintainedCount(db: Db, table: string): Promise<number> {
  if (!counted.has(table)) throw new Error(`No maintained count for table '${table}'`);
  const query = sql<{ total: number | string | null }>`select sum("total") as "total" from "entity_count" where "tableName" = ${table}`;
  const [row] = (await executeFixed(db, { compile: () => query.compile(db) })).rows;
  return Number(row?.total ?? 0);
}
