/**
 * The few places where SQLite and PostgreSQL need different SQL.
 *
 * EspoCRM runs on MySQL with a case-insensitive collation, so `=`, `IN`, `LIKE` and `ORDER BY` on
 * text ignore case. We reproduce that on both engines:
 * - SQLite: text columns are declared `COLLATE NOCASE` by the migrations, so their indexes (including
 *   the LIKE prefix optimisation) serve case-insensitive lookups; comparisons say `COLLATE NOCASE`
 *   explicitly so computed values (joined names) ignore case too;
 * - PostgreSQL (C collation here): compare `lower(…)` (also for LIKE, so expression indexes serve it).
 * Everything else is the same Kysely code for both engines.
 */
import { PostgresAdapter, sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';

export type Engine = 'sqlite' | 'postgres';

/** Works for a Kysely instance or a transaction of any schema. */
export function engineOf(db: Kysely<never> | Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

type Value = Expression<unknown>;

/** A text expression as it should be compared or ordered case-insensitively. */
export function caseless(engine: Engine, expr: Value): Value {
  return engine === 'postgres' ? sql`lower(${expr})` : sql`${expr} collate nocase`;
}

/** The value side of a case-insensitive comparison. */
function caselessValue(engine: Engine, value: unknown): Value {
  return engine === 'postgres' ? sql`lower(${value})` : sql`${value}`;
}

export function equalsIgnoringCase(engine: Engine, expr: Value, value: unknown): RawBuilder<SqlBool> {
  return sql<SqlBool>`${caseless(engine, expr)} = ${caselessValue(engine, value)}`;
}

/**
 * Equality that folds only the ASCII letters A-Z, identically on both engines (SQLite's NOCASE does only
 * that; PostgreSQL's `lower()` folds by the database's locale, `İ` to `i` under C.UTF-8, unless told to use
 * the C collation). For identifiers such as user names, whose characters are ASCII by rule.
 */
export function equalsIgnoringAsciiCase(engine: Engine, expr: Value, value: string): RawBuilder<SqlBool> {
  return engine === 'postgres'
    ? sql<SqlBool>`lower(${expr} collate "C") = ${asciiLower(value)}`
    : sql<SqlBool>`${expr} collate nocase = ${value}`;
}

/** Lower-cases A-Z only. */
export function asciiLower(value: string): string {
  return value.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

export function inIgnoringCase(engine: Engine, expr: Value, values: readonly unknown[]): RawBuilder<SqlBool> {
  const list = sql.join(values.map((value) => caselessValue(engine, value)));
  return sql<SqlBool>`${caseless(engine, expr)} in (${list})`;
}

/**
 * `LIKE` that ignores case on both engines. The escape character is the backslash, as MySQL's default,
 * so escaped `\%` and `\_` match literally.
 */
export function likeIgnoringCase(engine: Engine, expr: Value, pattern: string): RawBuilder<SqlBool> {
  // PostgreSQL: `lower(x) LIKE lower(p)` is what ILIKE does on a multi-byte database (like.c lowers both
  // sides), written so that an index on `lower(x)` (migration 0002) can serve a prefix.
  return engine === 'postgres'
    ? sql<SqlBool>`lower(${expr}) like lower(${closeTrailingEscape(pattern)}) escape '\\'`
    : sql<SqlBool>`${expr} like ${closeTrailingEscape(pattern)} escape '\\'`;
}

/**
 * A pattern ending in an unpaired backslash: MySQL matches that backslash literally, PostgreSQL refuses the
 * pattern and SQLite matches nothing. Escaping it gives MySQL's meaning on both engines.
 */
export function closeTrailingEscape(pattern: string): string {
  const trailing = /\\*$/.exec(pattern)?.[0].length ?? 0;
  return trailing % 2 === 1 ? `${pattern}\\` : pattern;
}

/** Escapes LIKE wildcards (and the escape character) so a user value matches literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}
