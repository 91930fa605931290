/**
 * A small column vocabulary for migrations, so the engine differences live in one place.
 *
 * FROZEN: migrations that already ran depend on exactly this output. Add new kinds instead of
 * changing existing ones.
 */
import { sql, type ColumnDefinitionBuilder, type Kysely, type RawBuilder } from 'kysely';
import { engineOf, type Engine } from '../dialect.js';

export type ColumnSpec =
  /** Record id (EspoCRM: 17 hex chars, UUIDs fit too). */
  | { kind: 'id'; primaryKey?: boolean; notNull?: boolean; references?: string; unique?: boolean }
  /** Short text compared case-insensitively (names, enums, addresses). */
  | { kind: 'text'; length?: number; notNull?: boolean; caseSensitive?: boolean; default?: string; unique?: boolean }
  /** Long text (descriptions, bodies, JSON). */
  | { kind: 'longText'; caseSensitive?: boolean }
  | { kind: 'flag'; default?: 0 | 1 }
  | { kind: 'int'; default?: number; notNull?: boolean }
  | { kind: 'float' }
  | { kind: 'datetime' }
  | { kind: 'date' }
  /** Autoincrement integer primary key. */
  | { kind: 'serial' };

export type Columns = Record<string, ColumnSpec>;

export interface TableOptions {
  primaryKey?: readonly string[];
  indexes?: readonly (readonly string[])[];
  uniqueIndexes?: readonly (readonly string[])[];
}

const ID_LENGTH = 36;

export async function createTable(
  db: Kysely<any>,
  name: string,
  columns: Columns,
  options: TableOptions = {},
): Promise<void> {
  const engine = engineOf(db);
  let builder = db.schema.createTable(name);
  for (const [column, spec] of Object.entries(columns)) {
    builder = builder.addColumn(column, dataType(engine, spec), (col) => constraints(engine, col, spec));
  }
  if (options.primaryKey) {
    builder = builder.addPrimaryKeyConstraint(`${name}_pkey`, [...options.primaryKey] as never);
  }
  await builder.execute();
  for (const columnList of options.indexes ?? []) {
    await createIndex(db, name, columnList, false);
  }
  for (const columnList of options.uniqueIndexes ?? []) {
    await createIndex(db, name, columnList, true);
  }
}

async function createIndex(db: Kysely<any>, table: string, columns: readonly string[], unique: boolean) {
  const indexName = `${table}_${columns.join('_')}${unique ? '_unique' : ''}`.toLowerCase();
  let builder = db.schema.createIndex(indexName).on(table).columns([...columns]);
  if (unique) {
    builder = builder.unique();
  }
  await builder.execute();
}

function dataType(engine: Engine, spec: ColumnSpec): RawBuilder<unknown> {
  switch (spec.kind) {
    case 'id':
      return sql.raw(`varchar(${ID_LENGTH})`);
    case 'text':
      return sql.raw(`varchar(${spec.length ?? 255})`);
    case 'longText':
      return sql.raw('text');
    case 'flag':
    case 'int':
      return sql.raw('integer');
    case 'float':
      return sql.raw(engine === 'postgres' ? 'double precision' : 'real');
    case 'datetime':
      return sql.raw('varchar(19)');
    case 'date':
      return sql.raw('varchar(10)');
    case 'serial':
      return sql.raw(engine === 'postgres' ? 'serial' : 'integer');
  }
}

function constraints(engine: Engine, col: ColumnDefinitionBuilder, spec: ColumnSpec): ColumnDefinitionBuilder {
  switch (spec.kind) {
    case 'id': {
      let result = spec.primaryKey ? col.primaryKey() : col;
      result = spec.notNull ? result.notNull() : result;
      result = spec.unique ? result.unique() : result;
      return spec.references ? result.references(spec.references) : result;
    }
    case 'text': {
      let result = spec.notNull ? col.notNull() : col;
      result = spec.default !== undefined ? result.defaultTo(spec.default) : result;
      result = spec.unique ? result.unique() : result;
      return caseInsensitive(engine, result, spec.caseSensitive);
    }
    case 'longText':
      return caseInsensitive(engine, col, spec.caseSensitive);
    case 'flag':
      return col.notNull().defaultTo(spec.default ?? 0);
    case 'int': {
      const result = spec.notNull ? col.notNull() : col;
      return spec.default !== undefined ? result.defaultTo(spec.default) : result;
    }
    case 'serial':
      return engine === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement();
    default:
      return col;
  }
}

/** SQLite only: see dialect.ts for how PostgreSQL gets the same semantics. */
function caseInsensitive(engine: Engine, col: ColumnDefinitionBuilder, caseSensitive = false) {
  return engine === 'sqlite' && !caseSensitive ? col.modifyEnd(sql`collate nocase`) : col;
}

// Shorthands used by the migrations.
export const id = (extra: Omit<Extract<ColumnSpec, { kind: 'id' }>, 'kind'> = {}): ColumnSpec => ({ kind: 'id', ...extra });
export const ref = (target: string): ColumnSpec => ({ kind: 'id', references: `${target}.id` });
export const text = (length = 255, extra: Omit<Extract<ColumnSpec, { kind: 'text' }>, 'kind' | 'length'> = {}): ColumnSpec => ({
  kind: 'text',
  length,
  ...extra,
});
export const longText = (caseSensitive = false): ColumnSpec => ({ kind: 'longText', caseSensitive });
export const flag = (value: 0 | 1 = 0): ColumnSpec => ({ kind: 'flag', default: value });
export const int = (extra: Omit<Extract<ColumnSpec, { kind: 'int' }>, 'kind'> = {}): ColumnSpec => ({ kind: 'int', ...extra });
export const float = (): ColumnSpec => ({ kind: 'float' });
export const datetime = (): ColumnSpec => ({ kind: 'datetime' });
export const date = (): ColumnSpec => ({ kind: 'date' });
export const serial = (): ColumnSpec => ({ kind: 'serial' });
