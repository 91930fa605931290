/**
 * Duplicate check on create (EspoCRM Duplicate\Finder + DuplicateWhereBuilders\General over
 * scopes.<Entity>.duplicateCheckFieldList): a non-deleted record the user can read with the same name
 * (ignoring case, as MySQL's collation) OR any of the same email addresses / phone numbers.
 */
import { sql } from 'kysely';
import { engineOf } from '../db/dialect.js';
import { dynamic, type Db } from '../db/dynamic.js';
import type { EntityMeta } from '../metadata/index.js';
import { accessCondition } from '../acl/index.js';
import { MAIN_ALIAS } from '../search/find.js';
import { resolveOrder } from '../search/order.js';
import { listAttributes } from '../search/select.js';
import { and, compare, or, type Cond } from '../db/sql-conditions.js';
import type { CompileContext } from '../search/where-item.js';
import { compileAddressItem } from '../search/where-points.js';
import type { RequestContext } from '../read/context.js';
import { hydrate, requiredColumns } from '../read/loaders.js';
import type { RecordData } from '../read/values.js';

/** EspoCRM returns at most this many duplicates in the 409 body. */
const MAX_DUPLICATES = 5;

export async function findDuplicates(db: Db, meta: EntityMeta, values: RecordData, ctx: RequestContext, now: Date): Promise<RecordData[]> {
  const c: CompileContext = { db, engine: engineOf(db), meta, alias: MAIN_ALIAS, ctx, now, systemTimeZone: 'UTC', fiscalYearShift: 0 };
  const matches: Cond[] = [];
  for (const field of meta.duplicateCheckFields ?? []) {
    matches.push(...(await fieldMatches(field, values, c)));
  }
  if (matches.length === 0) return [];
  const access = accessCondition(meta, ctx.acl, MAIN_ALIAS);
  const condition = and([sql`${sql.ref(`${MAIN_ALIAS}.deleted`)} = 0`, ...(access ? [access] : []), or(matches)]);
  // The ORM's `*` select (Duplicate\Finder::findByWhere) without the list's loaders and appliers: no isStarred.
  const attributes = listAttributes(meta).filter((name) => name !== 'isStarred');
  let query = dynamic(db)
    .selectFrom(`${meta.table} as ${MAIN_ALIAS}`)
    .select(requiredColumns(meta, attributes).map((name) => sql.ref(`${MAIN_ALIAS}.${name}`).as(name)))
    .where(condition);
  for (const item of resolveOrder(meta, c.engine, null, null, MAIN_ALIAS)) {
    query = query.orderBy(item.expr, item.direction);
  }
  return hydrate(db, meta, await query.limit(MAX_DUPLICATES).execute(), attributes, ctx);
}

async function fieldMatches(field: string, values: RecordData, c: CompileContext): Promise<Cond[]> {
  const defs = c.meta.fields.get(field);
  const column = (name: string) => sql.ref(`${MAIN_ALIAS}.${name}`);
  switch (defs?.type) {
    case 'personName': {
      if (!values.firstName && !values.lastName) return [];
      return [and(['firstName', 'lastName'].map((part) => (values[part] ? compare(c.engine, column(part), '=', values[part], true) : sql`${column(part)} is null`)))];
    }
    case 'email':
    case 'phone': {
      const key = defs.type === 'email' ? 'emailAddress' : 'phoneNumber';
      const addresses = pointValues(values, field, key);
      const attribute = c.meta.attributes.get(field);
      if (addresses.length === 0 || !attribute) return [];
      return [await compileAddressItem({ type: 'in', attribute: field, value: addresses, dateTime: false, date: false, timeZone: null }, attribute, c)];
    }
    case 'varchar':
      return typeof values[field] === 'string' && values[field] !== '' ? [compare(c.engine, column(field), '=', values[field], true)] : [];
    default:
      return [];
  }
}

function pointValues(values: RecordData, field: string, key: string): string[] {
  const data = Array.isArray(values[`${field}Data`]) ? (values[`${field}Data`] as RecordData[]) : [];
  const list = [values[field], ...data.map((item) => item[key])];
  return [...new Set(list.filter((value): value is string => typeof value === 'string' && value !== ''))];
}

/**
 * Lock keys for the values the duplicate check compares (db/locks.ts: creates sharing a key run one after
 * the other). A key must be at least as coarse as the database's comparison, so names are folded further
 * than either engine folds them (accents removed, lower-cased): a shared key only makes two creates wait.
 */
export function duplicateLockKeys(meta: EntityMeta, values: RecordData): string[] {
  const keys: string[] = [];
  const key = (field: string, value: unknown) => keys.push(`duplicate:${meta.entityType}:${field}:${foldForLock(String(value))}`);
  for (const field of meta.duplicateCheckFields ?? []) {
    const type = meta.fields.get(field)?.type;
    if (type === 'personName') {
      if (values.firstName || values.lastName) key(field, `${String(values.firstName ?? '')}\u0001${String(values.lastName ?? '')}`);
    } else if (type === 'email' || type === 'phone') {
      for (const address of pointValues(values, field, type === 'email' ? 'emailAddress' : 'phoneNumber')) key(field, address);
    } else if (typeof values[field] === 'string' && values[field] !== '') {
      key(field, values[field]);
    }
  }
  return keys;
}

function foldForLock(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
