/**
 * Text filter (EspoCRM Select\Text\Applier + DefaultFilter): each textFilterFields attribute is
 * matched with LIKE 'value%' (starts with), the matches OR-ed. A `*` in the filter is the `%`
 * wildcard and switches off the automatic wrapping. Text-type attributes use contains ('%value%')
 * from 2 characters on. Email is skipped when the filter has a space; phone only when the filter
 * ends like a number. `ft:` asks for full-text search, which no entity here has: nothing matches.
 */
import { sql } from 'kysely';
import type { EntityMeta } from '../metadata/index.js';
import { scalarExpression } from '../read/expressions.js';
import { compare, FALSE, like, or, type Cond } from '../db/sql-conditions.js';
import type { CompileContext } from './where-item.js';
import { compileAddressItem } from './where-points.js';

const CONTAINS_MIN_LENGTH = 2;

export async function textFilterCondition(filter: string, c: CompileContext): Promise<Cond> {
  if (filter.startsWith('ft:')) {
    return FALSE;
  }
  const skipWildcards = filter.includes('*');
  // EspoCRM addslashes() the expression: backslashes are literal, % and _ stay wildcards.
  const base = filter.replaceAll('*', '%').replaceAll('\\', '\\\\');
  const conditions: Cond[] = [];
  for (const name of c.meta.collection.textFilterFields) {
    conditions.push(...(await fieldCondition(c.meta, name, filter, base, skipWildcards, c)));
  }
  return or(conditions);
}

async function fieldCondition(meta: EntityMeta, name: string, filter: string, base: string, skipWildcards: boolean, c: CompileContext): Promise<Cond[]> {
  const attribute = meta.attributes.get(name);
  if (!attribute) return [];
  if (attribute.valueType === 'int') {
    return /^\s*[+-]?\d+(\.\d+)?\s*$/.test(filter) ? [compare(c.engine, sql.ref(`${c.alias}.${name}`), '=', Math.trunc(Number(filter)), false)] : [];
  }
  const contains = attribute.valueType === 'text' && [...filter].length >= CONTAINS_MIN_LENGTH;
  const pattern = skipWildcards ? base : contains ? `%${base}%` : `${base}%`;
  if (attribute.kind === 'primaryEmail') {
    return filter.includes(' ') ? [] : [await compileAddressItem(likeItem(name, pattern), attribute, c)];
  }
  if (attribute.kind === 'primaryPhone') {
    return /[0-9()\-+% ]+$/.test(filter) ? [await compileAddressItem(likeItem(name, pattern), attribute, c)] : [];
  }
  if (attribute.kind === 'personName') {
    // EspoCRM matches first name, last name and the full name.
    return ['firstName', 'lastName'].map((part) => like(c.engine, sql.ref(`${c.alias}.${part}`), pattern)).concat(personNameLike(meta, pattern, c));
  }
  const expr = scalarExpression(meta, attribute, c.alias);
  return expr ? [like(c.engine, expr, pattern)] : [];
}

function personNameLike(meta: EntityMeta, pattern: string, c: CompileContext): Cond[] {
  const attribute = meta.attributes.get(meta.nameField);
  const expr = attribute ? scalarExpression(meta, attribute, c.alias) : null;
  return expr ? [like(c.engine, expr, pattern)] : [];
}

function likeItem(attribute: string, pattern: string) {
  return { type: 'like', attribute, value: pattern, dateTime: false, date: false, timeZone: null };
}
