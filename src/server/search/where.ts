/**
 * Where compiler: EspoCRM where items → one SQL condition (Select\Where\Checker + ItemGeneralConverter
 * + DefaultDateTimeItemTransformer). Attribute names are resolved through metadata only; every value
 * is a bound parameter. Malformed items are 400 (EspoCRM answers 500 for several of them).
 */
import { sql } from 'kysely';
import { escapeLike } from '../db/dialect.js';
import { BadRequest } from '../core/errors.js';
import type { AttributeDefs } from '../metadata/index.js';
import { scalarExpression } from '../read/expressions.js';
import { and, compare, FALSE, inList, isNull, like, not, or, TRUE, type Comparison, type Cond, type Expr } from '../db/sql-conditions.js';
import { assertTimeZone, DATE_PRESETS, DATE_VALUE_TYPES, datePreset, dateTimePreset, type SimpleItem } from './where-dates.js';
import { GROUP_TYPES, listValue, nestedItems, parseItem, SUB_QUERY_TYPES, type CompileContext, type WhereItem } from './where-item.js';
import { compileLinkItem, LINK_TYPES } from './where-links.js';
import { compileAddressItem, compileFlagItem } from './where-points.js';
import { coerceScalar, isStorageNumber } from './where-values.js';

export type { CompileContext } from './where-item.js';

/** Deeper nesting than any UI produces; guards the recursion. */
const MAX_DEPTH = 64;

const ARRAY_TYPES = new Set(['arrayAnyOf', 'arrayNoneOf', 'arrayAllOf', 'arrayIsEmpty', 'arrayIsNotEmpty']);
const COMPARISONS: Readonly<Record<string, Comparison>> = {
  greaterThan: '>',
  after: '>',
  lessThan: '<',
  before: '<',
  greaterThanOrEquals: '>=',
  lessThanOrEquals: '<=',
};
const SCALAR_TYPES = new Set([
  'equals', 'notEquals', 'on', 'notOn', 'in', 'notIn', 'like', 'notLike', 'startsWith', 'endsWith', 'contains', 'notContains',
  'between', 'isNull', 'isNotNull', 'ever', 'isTrue', 'isFalse', 'any', 'none', ...Object.keys(COMPARISONS),
]);

/** The top-level list is AND-ed, as SearchParams::getWhere wraps it in an `and` item. */
export async function compileWhere(items: readonly unknown[], c: CompileContext): Promise<Cond> {
  return and(await compileList(items, c, 1));
}

async function compileList(items: readonly unknown[], c: CompileContext, depth: number): Promise<Cond[]> {
  const conditions: Cond[] = [];
  for (const raw of items) {
    conditions.push(await compileItem(raw, c, depth)); // sequential: the first bad item decides the error
  }
  return conditions;
}

async function compileItem(raw: unknown, c: CompileContext, depth: number): Promise<Cond> {
  if (depth > MAX_DEPTH) {
    throw new BadRequest('Bad where item: nested too deeply.');
  }
  const item = parseItem(raw);
  if (SUB_QUERY_TYPES.has(item.type)) {
    throw new BadRequest('Sub-queries are forbidden in where.');
  }
  if (GROUP_TYPES.has(item.type)) {
    const conditions = await compileList(nestedItems(item), c, depth + 1);
    return item.type === 'and' ? and(conditions) : or(conditions);
  }
  const name = checkAttributeName(item);
  if (LINK_TYPES.has(item.type)) {
    return compileLinkItem(item, c);
  }
  const attribute = c.meta.attributes.get(name);
  if (!attribute) {
    throw new BadRequest(`Not existing attribute '${name}' in where.`);
  }
  if (!SCALAR_TYPES.has(item.type) && !DATE_PRESETS.has(item.type) && !ARRAY_TYPES.has(item.type)) {
    throw new BadRequest(`Unknown where item type '${item.type}'.`);
  }
  return compileAttributeItem(item, attribute, c);
}

function checkAttributeName(item: WhereItem): string {
  const name = item.attribute;
  if (name === null) {
    throw new BadRequest("No 'attribute' in where item.");
  }
  if (name.includes('#')) {
    throw new BadRequest('Not allowed character in attribute.');
  }
  // EspoCRM forbids foreign paths and functions in API where (checked live: 400 on 9.2.7).
  if (item.type === 'expression' || name.includes('.') || name.includes(':')) {
    throw new BadRequest('Complex expressions are forbidden in where.');
  }
  return name;
}

async function compileAttributeItem(item: WhereItem, attribute: AttributeDefs, c: CompileContext): Promise<Cond> {
  if (ARRAY_TYPES.has(item.type)) {
    throw new BadRequest(`Where item '${item.type}' needs an array field; '${attribute.name}' is not one.`);
  }
  if (!attribute.filterable) {
    throw new BadRequest(`Where items on attribute '${attribute.name}' are not supported.`);
  }
  switch (attribute.kind) {
    case 'primaryEmail':
    case 'primaryPhone':
    case 'phoneNumeric':
      return compileAddressItem(item, attribute, c);
    case 'emailFlag':
    case 'phoneFlag':
      return compileFlagItem(item, attribute, c);
    default: {
      const expr = scalarExpression(c.meta, attribute, c.alias);
      if (!expr) throw new BadRequest(`Where items on attribute '${attribute.name}' are not supported.`);
      return compileScalarItem(item, attribute, expr, c);
    }
  }
}

function compileScalarItem(item: WhereItem, attribute: AttributeDefs, expr: Expr, c: CompileContext): Cond {
  const isDate = attribute.valueType === 'date' || attribute.valueType === 'datetime';
  const usesDates = DATE_PRESETS.has(item.type) || (item.dateTime && DATE_VALUE_TYPES.has(item.type));
  if (usesDates) {
    if (!isDate) {
      throw new BadRequest(`Where item '${item.type}' needs a date or date-time attribute; '${attribute.name}' is not one.`);
    }
    if (item.timeZone !== null) assertTimeZone(item.timeZone);
    const options = { now: c.now, systemTimeZone: c.systemTimeZone, fiscalYearShift: c.fiscalYearShift };
    const simple = item.dateTime
      ? dateTimePreset(item.type, item.value, { ...options, timeZone: item.timeZone })
      : datePreset(item.type, item.value, { ...options, timeZone: item.date ? item.timeZone : null });
    return compileSimple(simple, expr, c);
  }
  return compileGeneric(item, attribute, expr, c);
}

function compileSimple(simple: SimpleItem, expr: Expr, c: CompileContext): Cond {
  if (typeof simple.value !== 'string') {
    const [from, to] = simple.value;
    const range = and([compare(c.engine, expr, '>=', from, false), compare(c.engine, expr, '<=', to, false)]);
    return simple.type === 'notBetween' ? not(range) : range;
  }
  const operators: Record<string, Comparison> = { equals: '=', notEquals: '!=', lessThan: '<', lessThanOrEquals: '<=', greaterThan: '>', greaterThanOrEquals: '>=' };
  return compare(c.engine, expr, operators[simple.type] ?? '=', simple.value, false);
}

function compileGeneric(item: WhereItem, attribute: AttributeDefs, expr: Expr, c: CompileContext): Cond {
  const { engine } = c;
  const ignoreCase = attribute.caseless;
  const value = () => coerceScalar(attribute, item.value);
  const text = () => (isStorageNumber(attribute) ? sql`cast(${expr} as varchar(255))` : expr);
  const pattern = () => String(value() ?? '');
  switch (item.type) {
    case 'equals':
    case 'on':
      if (Array.isArray(item.value)) return inList(engine, expr, listValue(item, attribute), ignoreCase);
      return value() === null ? isNull(expr) : compare(engine, expr, '=', value(), ignoreCase);
    case 'notEquals':
    case 'notOn':
      if (Array.isArray(item.value)) return inList(engine, expr, listValue(item, attribute), ignoreCase, true);
      return value() === null ? isNull(expr, true) : compare(engine, expr, '!=', value(), ignoreCase);
    case 'in':
      return inList(engine, expr, listValue(item, attribute), ignoreCase);
    case 'notIn':
      return inList(engine, expr, listValue(item, attribute), ignoreCase, true);
    case 'like':
      return like(engine, text(), pattern());
    case 'notLike':
      return like(engine, text(), pattern(), true);
    case 'startsWith':
      return like(engine, text(), `${escapeLike(pattern())}%`);
    case 'endsWith':
      return like(engine, text(), `%${escapeLike(pattern())}`);
    case 'contains':
      return like(engine, text(), `%${escapeLike(pattern())}%`);
    case 'notContains':
      return like(engine, text(), `%${escapeLike(pattern())}%`, true);
    case 'between':
      return between(item, attribute, expr, c);
    case 'isNull':
      return isNull(expr);
    case 'isNotNull':
    case 'ever':
      return isNull(expr, true);
    case 'isTrue':
    case 'isFalse':
      if (attribute.valueType !== 'bool') {
        throw new BadRequest(`Where item '${item.type}' needs a boolean attribute; '${attribute.name}' is not one.`);
      }
      return compare(engine, expr, '=', item.type === 'isTrue' ? 1 : 0, false);
    case 'any':
      return TRUE;
    case 'none':
      return FALSE;
    default: {
      const operator = COMPARISONS[item.type]!;
      const coerced = value();
      return coerced === null ? FALSE : compare(engine, expr, operator, coerced, ignoreCase);
    }
  }
}

function between(item: WhereItem, attribute: AttributeDefs, expr: Expr, c: CompileContext): Cond {
  const values = Array.isArray(item.value) || (item.value !== null && typeof item.value === 'object') ? listValue(item, attribute) : [];
  if (values.length < 2) {
    throw new BadRequest("Bad where item 'between'.");
  }
  return and([
    compare(c.engine, expr, '>=', values[0], attribute.caseless),
    compare(c.engine, expr, '<=', values[1], attribute.caseless),
  ]);
}

