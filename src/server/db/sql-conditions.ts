/** Building blocks for where conditions; every value is a bound parameter. */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { caseless, equalsIgnoringCase, inIgnoringCase, likeIgnoringCase, type Engine } from './dialect.js';

export type Cond = RawBuilder<SqlBool>;
export type Expr = Expression<unknown>;

/** `alias.name` as a column reference. */
export function column(alias: string, name: string): Expr {
  return sql.ref(`${alias}.${name}`);
}

export const TRUE: Cond = sql<SqlBool>`1 = 1`;
export const FALSE: Cond = sql<SqlBool>`1 = 0`;

export function and(conditions: readonly Cond[]): Cond {
  if (conditions.length === 0) return TRUE;
  if (conditions.length === 1) return conditions[0]!;
  return sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}

export function or(conditions: readonly Cond[]): Cond {
  if (conditions.length === 0) return FALSE;
  if (conditions.length === 1) return conditions[0]!;
  return sql<SqlBool>`(${sql.join(conditions, sql` or `)})`;
}

export function not(condition: Cond): Cond {
  return sql<SqlBool>`not (${condition})`;
}

export type Comparison = '=' | '!=' | '>' | '<' | '>=' | '<=';

export function compare(engine: Engine, expr: Expr, operator: Comparison, value: unknown, ignoreCase: boolean): Cond {
  if (operator === '=' && ignoreCase) return equalsIgnoringCase(engine, expr, value);
  const left = ignoreCase ? caseless(engine, expr) : expr;
  const right = ignoreCase && engine === 'postgres' ? sql`lower(${value})` : sql`${value}`;
  return sql<SqlBool>`${left} ${sql.raw(operator === '!=' ? '<>' : operator)} ${right}`;
}

export function inList(engine: Engine, expr: Expr, values: readonly unknown[], ignoreCase: boolean, negate = false): Cond {
  if (values.length === 0) return negate ? TRUE : FALSE;
  const condition = ignoreCase ? inIgnoringCase(engine, expr, values) : sql<SqlBool>`${expr} in (${sql.join(values)})`;
  return negate ? not(condition) : condition;
}

export function like(engine: Engine, expr: Expr, pattern: string, negate = false): Cond {
  const condition = likeIgnoringCase(engine, expr, pattern);
  return negate ? not(condition) : condition;
}

export function isNull(expr: Expr, negate = false): Cond {
  return negate ? sql<SqlBool>`${expr} is not null` : sql<SqlBool>`${expr} is null`;
}

/** `id IN (subquery)`, the shape EspoCRM uses for email/phone and link conditions. */
export function idIn(idExpr: Expr, subquery: Expr, negate = false): Cond {
  return negate ? sql<SqlBool>`${idExpr} not in (${subquery})` : sql<SqlBool>`${idExpr} in (${subquery})`;
}
