/**
 * The list query (EspoCRM Record\Service::find): conditions from access control, where, primary,
 * bool and text filters; order; one page of records read with one statement; and the total. Counting
 * is skipped when the page itself proves the total, replaced by the −1/−2 markers when the client
 * asked for no total, and read from the table's maintained count (db/entity-counts.ts) when the list has
 * no condition but "not deleted".
 */
import { sql, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { engineOf, type Engine } from '../db/dialect.js';
import { hasMaintainedCount, maintainedCount } from '../db/entity-counts.js';
import { dynamic, type Db, type DynamicSchema, type Row } from '../db/dynamic.js';
import { prepareOnPostgres } from '../db/prepared.js';
import { Forbidden } from '../core/errors.js';
import type { EntityMeta } from '../metadata/index.js';
import type { RequestContext } from '../read/context.js';
import { readShape } from '../read/loaders.js';
import { bindSlots, USER_SLOT, type RecordShape } from '../read/record-query.js';
import type { RecordData } from '../read/values.js';
import { accessCondition } from '../acl/index.js';
import { boolFilterCondition, primaryFilterCondition } from './filters.js';
import { resolveOrder, type OrderItem } from './order.js';
import type { SearchParams } from './search-params.js';
import { selectAttributes } from './select.js';
import { and, type Cond } from '../db/sql-conditions.js';
import { textFilterCondition } from './text-filter.js';
import { compileWhere } from './where.js';
import type { CompileContext } from './where-item.js';

/** EspoCRM Collection::TOTAL_HAS_MORE / TOTAL_HAS_NO_MORE. */
export const TOTAL_HAS_MORE = -1;
export const TOTAL_HAS_NO_MORE = -2;
/** Config `maxSelectTextAttributeLengthForList`: text attributes explicitly selected are cut to this. */
const MAX_TEXT_LENGTH_IN_LIST = 10000;

export const MAIN_ALIAS = 'main';

export interface FindResult {
  total: number;
  list: RecordData[];
}

export interface SearchEnvironment {
  readonly now: Date;
  readonly systemTimeZone: string;
  readonly fiscalYearShift: number;
}

export interface FindOptions {
  /** A condition on `MAIN_ALIAS` AND-ed to the list's own (related lists: belonging to the parent record). */
  readonly restriction?: (alias: string) => Cond;
}

export async function findRecords(db: Db, meta: EntityMeta, params: SearchParams, ctx: RequestContext, env: SearchEnvironment, options: FindOptions = {}): Promise<FindResult> {
  if (!ctx.acl.checkScope(meta.entityType, 'read')) {
    throw new Forbidden('No read access.');
  }
  const c: CompileContext = { db, engine: engineOf(db), meta, alias: MAIN_ALIAS, ctx, ...env };
  const own = await listCondition(params, c);
  const condition = options.restriction ? and([own.condition, options.restriction(MAIN_ALIAS)]) : own.condition;
  // Every non-deleted row of the table: its total is the maintained count.
  const everyRow = own.onlyNotDeleted && !options.restriction;
  const order = resolveOrder(meta, c.engine, params.orderBy, params.order, MAIN_ALIAS);
  const attributes = selectAttributes(meta, params.select, params.orderBy);
  const noTotal = Boolean(ctx.noTotal) || params.noTotal;

  const limit = noTotal ? params.maxSize + 1 : params.maxSize;
  const shape = readShape(db, meta, attributes, ctx, MAIN_ALIAS);
  // Without client filters the statements have few shapes and nothing a generic plan would estimate badly
  // (a LIKE pattern, a value's frequency): PostgreSQL may prepare them (db/prepared.ts).
  const prepare = params.where.length === 0 && !params.textFilter && !params.primaryFilter && params.boolFilterList.length === 0;
  const rows = await pageRows(db, meta, c.engine, shape, condition, order, limit, params.offset, ctx, prepare);
  const page = rows.slice(0, params.maxSize);
  const total = noTotal
    ? rows.length > params.maxSize ? TOTAL_HAS_MORE : TOTAL_HAS_NO_MORE
    : await totalOf(db, meta, condition, params, page.length, prepare, everyRow);

  const list = page.map((row) => shape.toRecord(row));
  return { total, list: params.select ? list.map((record) => truncateTexts(meta, record)) : list };
}

export interface ListCondition {
  readonly condition: Cond;
  /** Nothing restricts the list but `deleted = 0`: no access filter, where, primary, bool or text filter. */
  readonly onlyNotDeleted: boolean;
}

/** Every restriction of a list request, AND-ed (also usable for related lists and mass actions). */
export async function listCondition(params: SearchParams, c: CompileContext): Promise<ListCondition> {
  const conditions: Cond[] = [sql<SqlBool>`${sql.ref(`${c.alias}.deleted`)} = 0`];
  const access = accessCondition(c.meta, c.ctx.acl, c.alias);
  if (access) conditions.push(access);
  if (params.where.length > 0) conditions.push(await compileWhere(params.where, c));
  if (params.primaryFilter) conditions.push(await primaryFilterCondition(params.primaryFilter, c));
  const bool = boolFilterCondition(params.boolFilterList, c);
  if (bool) conditions.push(bool);
  if (params.textFilter) conditions.push(await textFilterCondition(params.textFilter, c));
  return { condition: and(conditions), onlyNotDeleted: conditions.length === 1 };
}

/**
 * One page of records in one statement: the page's ids in order, then the rows with everything the read
 * model computes (./read/record-query.ts). Selecting only ids keeps the sort small when the order cannot
 * come from an index; the rows are joined afterwards by primary key (a "deferred join") and put in the
 * same order again, which is total (the id breaks ties).
 */
async function pageRows(db: Db, meta: EntityMeta, engine: Engine, shape: RecordShape, condition: Cond, order: readonly OrderItem[], limit: number, offset: number, ctx: RequestContext, prepare: boolean): Promise<Row[]> {
  // PostgreSQL's generic plan of a prepared statement guesses a LIMIT parameter at a tenth of the rows: a
  // hash join over the whole table (50 ms at 20 000 accounts), so it plans anew at every execution (1.5–2 ms,
  // three times the execution). With the first page's limit written in, the generic plan is the index walk
  // and is reused. Only the first page: one text per maxSize, where every offset would make its own.
  const literalLimit = prepare && engine === 'postgres' && offset === 0;
  const ids = ordered(
    dynamic(db)
      .selectFrom(`${meta.table} as ${MAIN_ALIAS}`)
      .select(sql.ref<string>(`${MAIN_ALIAS}.id`).as('id'))
      .where(condition),
    engine,
    order,
  )
    .limit(literalLimit ? sql.lit(limit) : limit)
    .offset(literalLimit ? sql.lit(0) : offset);
  const query = ordered(
    dynamic(db)
      .selectFrom(ids.as('page'))
      // CROSS JOIN keeps the page the outer loop on SQLite (which otherwise may walk the whole table in
      // index order to skip sorting 20 rows); PostgreSQL plans it as the inner join it is.
      .crossJoin(`${meta.table} as ${MAIN_ALIAS}`)
      .where(`${MAIN_ALIAS}.id`, '=', sql.ref('page.id'))
      .select([...shape.columns.map((name) => sql.ref(`${MAIN_ALIAS}.${name}`).as(name)), ...shape.computed.map(({ alias, expr }) => sql`${expr}`.as(alias))]),
    engine,
    order,
  );
  const compiled = query.compile();
  if (prepare) prepareOnPostgres(compiled.sql);
  return (await db.executeQuery<Row>(bindSlots(compiled, { [USER_SLOT]: ctx.user.id }))).rows;
}

function ordered<Q extends { orderBy: SelectQueryBuilder<DynamicSchema, string, Row>['orderBy'] }>(query: Q, engine: Engine, order: readonly OrderItem[]): Q {
  let result = query;
  for (const item of order) {
    // MySQL sorts NULLs first ascending and last descending; SQLite does too, PostgreSQL needs telling.
    result = result.orderBy(item.expr, (builder) => {
      const directed = item.direction === 'asc' ? builder.asc() : builder.desc();
      if (engine !== 'postgres') return directed;
      return item.direction === 'asc' ? directed.nullsFirst() : directed.nullsLast();
    }) as unknown as Q;
  }
  return result;
}

/**
 * A short page (not past the end) already tells the total; a list of every non-deleted row reads the
 * maintained count; otherwise count.
 */
async function totalOf(db: Db, meta: EntityMeta, condition: Cond, params: SearchParams, pageLength: number, prepare: boolean, everyRow: boolean): Promise<number> {
  if (pageLength < params.maxSize && (pageLength > 0 || params.offset === 0)) {
    return params.offset + pageLength;
  }
  if (everyRow && hasMaintainedCount(meta.table)) return maintainedCount(db, meta.table);
  const compiled = dynamic(db)
    .selectFrom(`${meta.table} as ${MAIN_ALIAS}`)
    .select((eb) => eb.fn.countAll().as('total'))
    .where(condition)
    .compile();
  if (prepare) prepareOnPostgres(compiled.sql);
  const [row] = (await db.executeQuery<Row>(compiled)).rows;
  return Number(row!.total);
}

function truncateTexts(meta: EntityMeta, record: RecordData): RecordData {
  for (const [name, value] of Object.entries(record)) {
    if (typeof value === 'string' && value.length > MAX_TEXT_LENGTH_IN_LIST && meta.attributes.get(name)?.valueType === 'text') {
      record[name] = value.slice(0, MAX_TEXT_LENGTH_IN_LIST);
    }
  }
  return record;
}
