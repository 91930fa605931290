/**
 * Bulk loading (the demo seed): rows buffered as one flat array of values per table and written with
 * multi-row INSERTs whose SQL texts repeat. Kysely's query builder would compile a syntax tree of every value
 * of every statement; here each text is built once per table, column list and row count and sent as a raw
 * query, so SQLite prepares it once (the statement cache in open.ts) and afterwards only binds new values.
 */
import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import { engineOf, type Engine } from './dialect.js';
import type { Database } from './schema.js';

/** Rows per statement: a power of two, under both engines' bound-parameter limits for tables of up to 60 columns. */
export const ROWS_PER_STATEMENT = 512;

/** The columns of a table, in the order their values appear in a flat row. */
export type ColumnsOf<T extends keyof Database> = readonly (keyof Insertable<Database[T]> & string)[];

export class BulkInsert<T extends keyof Database> {
  /** The buffered rows: push each row's values in the order of `columns`. */
  readonly values: unknown[] = [];

  constructor(
    readonly table: T,
    readonly columns: ColumnsOf<T>,
  ) {}

  /**
   * Writes the buffered rows in statements of ROWS_PER_STATEMENT rows, keeping back fewer rows than that
   * for the next call unless `all`. The last rows go in power-of-two statements (at most log2 of them), so
   * a table only ever needs a few distinct texts.
   */
  async write(db: Kysely<Database>, all = false): Promise<void> {
    const width = this.columns.length;
    if (this.values.length % width !== 0) throw new Error(`BulkInsert(${this.table}): ${this.values.length} values do not make rows of ${width}`);
    const engine = engineOf(db);
    let row = 0;
    let left = this.values.length / width;
    while (left >= ROWS_PER_STATEMENT || (all && left > 0)) {
      let rows = ROWS_PER_STATEMENT;
      while (rows > left) rows >>= 1;
      const text = insertText(engine, this.table, this.columns, rows);
      await db.executeQuery(CompiledQuery.raw(text, this.values.slice(row * width, (row + rows) * width)));
      row += rows;
      left -= rows;
    }
    this.values.splice(0, row * width);
  }
}

const texts = new Map<string, string>();

/** `insert into "t" ("a", "b") values (?, ?), (?, ?)`, with `$n` placeholders on PostgreSQL; memoised. */
function insertText(engine: Engine, table: string, columns: readonly string[], rows: number): string {
  const key = `${engine} ${table} ${columns.join(',')} ${rows}`;
  let text = texts.get(key);
  if (text === undefined) {
    let parameter = 0;
    const placeholder = engine === 'postgres' ? () => `$${++parameter}` : () => '?';
    const tuples = Array.from({ length: rows }, () => `(${columns.map(placeholder).join(', ')})`);
    text = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${tuples.join(', ')}`;
    texts.set(key, text);
  }
  return text;
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
