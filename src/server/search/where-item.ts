/** Where items as EspoCRM's Where\Item::fromRaw accepts them, with 400s instead of its 500s. */
import type { Engine } from '../db/dialect.js';
import type { Db } from '../db/dynamic.js';
import { BadRequest } from '../core/errors.js';
import type { AttributeDefs, EntityMeta } from '../metadata/index.js';
import type { RequestContext } from '../read/context.js';
import { listOf } from './search-params.js';
import { coerceScalar, flagOf, type Scalar } from './where-values.js';

export interface WhereItem {
  readonly type: string;
  readonly attribute: string | null;
  readonly value: unknown;
  readonly dateTime: boolean;
  readonly date: boolean;
  readonly timeZone: string | null;
}

export interface CompileContext {
  readonly db: Db;
  readonly engine: Engine;
  readonly meta: EntityMeta;
  /** Alias of the entity table in the query. */
  readonly alias: string;
  readonly ctx: RequestContext;
  readonly now: Date;
  readonly systemTimeZone: string;
  readonly fiscalYearShift: number;
}

const ALLOWED_KEYS = new Set(['type', 'attribute', 'field', 'value', 'dateTime', 'date', 'timeZone']);
/** Types without an attribute (Where\Item $noAttributeTypeList). */
export const GROUP_TYPES = new Set(['and', 'or']);
export const SUB_QUERY_TYPES = new Set(['not', 'subQueryIn', 'subQueryNotIn']);

export function parseItem(raw: unknown): WhereItem {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new BadRequest('Bad where item: should be an object.');
  }
  const params = raw as Record<string, unknown>;
  const unknownKey = Object.keys(params).find((key) => !ALLOWED_KEYS.has(key));
  if (unknownKey !== undefined) {
    throw new BadRequest(`Unknown parameter '${unknownKey}' in where item.`);
  }
  const type = params.type;
  if (typeof type !== 'string' || type === '') {
    throw new BadRequest("No 'type' in where item.");
  }
  const attribute = params.attribute ?? params.field ?? null;
  if (attribute !== null && typeof attribute !== 'string') {
    throw new BadRequest("Bad where item: 'attribute' should be a string.");
  }
  const timeZone = params.timeZone ?? null;
  if (timeZone !== null && typeof timeZone !== 'string') {
    throw new BadRequest('Bad timezone');
  }
  return {
    type,
    attribute: attribute === '' ? null : attribute,
    value: params.value ?? null,
    dateTime: flagOf(params.dateTime, 'dateTime'),
    date: flagOf(params.date, 'date'),
    timeZone: timeZone === '' ? null : timeZone,
  };
}

/** Nested items of and/or: a JSON list (or a PHP-style numerically keyed map). */
export function nestedItems(item: WhereItem): unknown[] {
  const list = item.value === null ? [] : listOf(item.value);
  if (list === null) {
    throw new BadRequest(`Bad where item '${item.type}': value should be an array of where items.`);
  }
  return list;
}

/** More values than any UI sends; keeps statements under the engines' bound-parameter limits. */
export const MAX_LIST_LENGTH = 10_000;

/** Values of in/notIn (and an array given to equals). */
export function listValue(item: WhereItem, attribute: AttributeDefs): Scalar[] {
  const list = listOf(item.value);
  if (list === null) {
    throw new BadRequest(`Bad where item '${item.type}'.`);
  }
  assertListLength(list);
  return list.map((value) => coerceScalar(attribute, value));
}

export function assertListLength(list: readonly unknown[]): void {
  if (list.length > MAX_LIST_LENGTH) {
    throw new BadRequest(`Bad where item: more than ${MAX_LIST_LENGTH} values.`);
  }
}
