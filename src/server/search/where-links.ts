/**
 * linkedWith / notLinkedWith / linkedWithAll / isLinked / isNotLinked on link names
 * (ItemGeneralConverter::processLinkedWith & co.), with the Where\Checker's existence and access
 * checks on the given ids. EspoCRM raises those as 403 and the list action re-throws them as 400.
 */
import { sql } from 'kysely';
import { dynamic } from '../db/dynamic.js';
import { BadRequest } from '../core/errors.js';
import { getEntity, hasEntity, type EntityMeta, type LinkDefs } from '../metadata/index.js';
import { loadOwnership, ownershipColumns } from '../acl/index.js';
import { and, FALSE, idIn, isNull, or, TRUE, type Cond, type Expr } from '../db/sql-conditions.js';
import { assertListLength, type CompileContext, type WhereItem } from './where-item.js';
import { listOf } from './search-params.js';

export const LINK_TYPES = new Set(['linkedWith', 'notLinkedWith', 'linkedWithAll', 'isLinked', 'isNotLinked']);
const ID_TYPES = new Set(['linkedWith', 'notLinkedWith', 'linkedWithAll']);

type ForeignLink = Exclude<LinkDefs, { type: 'belongsToParent' }>;

export async function compileLinkItem(item: WhereItem, c: CompileContext): Promise<Cond> {
  const name = item.attribute ?? '';
  const link = c.meta.links[name];
  if (!link) {
    throw new BadRequest(`Not existing relation '${name}' in where.`);
  }
  if (link.type === 'belongsToParent' || link.type === 'hasOne' || !hasEntity(link.entity)) {
    throw new BadRequest(`Bad where item. Not supported relation type of '${name}'.`);
  }
  if (!c.ctx.acl.checkScope(link.entity, 'read')) {
    throw new BadRequest(`Forbidden link '${name}' in where.`);
  }
  if (!ID_TYPES.has(item.type)) {
    return linkedCondition(c, link, null, item.type === 'isNotLinked');
  }
  const ids = idsOf(item);
  await assertReadable(c, link.entity, ids);
  switch (item.type) {
    case 'linkedWith':
      return linkedCondition(c, link, ids, false);
    case 'notLinkedWith':
      return linkedCondition(c, link, ids, true);
    default:
      if (link.type === 'belongsTo') throw new BadRequest('Bad where item. Not supported relation type.');
      return and(ids.map((id) => linkedCondition(c, link, [id], false)));
  }
}

function idsOf(item: WhereItem): string[] {
  const list = listOf(item.value) ?? [item.value];
  assertListLength(list);
  if (item.type === 'linkedWithAll' && list.length === 0) {
    throw new BadRequest('Bad where item. Empty value.');
  }
  if (!list.every((id) => typeof id === 'string')) {
    throw new BadRequest('Bad where item. Non-string ID.');
  }
  return [...new Set(list as string[])];
}

async function assertReadable(c: CompileContext, entityType: string, ids: string[]) {
  if (ids.length === 0) return;
  const foreign = getEntity(entityType);
  const rows = await dynamic(c.db).selectFrom(foreign.table).select(ownershipColumns(foreign)).where('id', 'in', ids).where('deleted', '=', 0).execute();
  const found = new Set(rows.map((row) => String(row.id)));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) {
    throw new BadRequest(`Record '${entityType}' \`${missing}\` not found.`);
  }
  const ownership = await loadOwnership(c.db, foreign, rows);
  const forbidden = rows.findIndex((_row, index) => !c.ctx.acl.checkRecord(entityType, 'read', ownership[index]!));
  if (forbidden >= 0) {
    throw new BadRequest(`No access to '${entityType}' \`${String(rows[forbidden]!.id)}\`.`);
  }
}

/** Records linked (through `link`) to any of `ids`, or to anything when `ids` is null. */
function linkedCondition(c: CompileContext, link: ForeignLink, ids: string[] | null, negate: boolean): Cond {
  if (ids !== null && ids.length === 0) return negate ? TRUE : FALSE;
  const id = sql.ref(`${c.alias}.id`);
  if (link.type === 'belongsTo') {
    return belongsToCondition(c, link, ids, negate);
  }
  return idIn(id, linkedIdsQuery(c.meta, link, ids), negate);
}

function belongsToCondition(c: CompileContext, link: Extract<LinkDefs, { type: 'belongsTo' }>, ids: string[] | null, negate: boolean): Cond {
  const key = sql.ref(`${c.alias}.${link.key}`);
  if (ids !== null) {
    return negate ? sql`${key} not in (${sql.join(ids)})` : sql`${key} in (${sql.join(ids)})`;
  }
  const existing = sql`select ${sql.ref('f.id')} from ${sql.table(getEntity(link.entity).table)} as f where ${sql.ref('f.deleted')} = 0`;
  return negate ? or([isNull(key), sql`${key} not in (${existing})`]) : sql`${key} in (${existing})`;
}

/** Ids of this entity's records that have a related record (among `ids` when given). */
function linkedIdsQuery(meta: EntityMeta, link: Exclude<ForeignLink, { type: 'belongsTo' }>, ids: string[] | null): Expr {
  if (link.type === 'manyMany') {
    const conditions = Object.entries(link.conditions ?? {}).map(([column, value]) => sql`and ${sql.ref(`m.${column}`)} = ${value}`);
    const restriction = ids ? sql`and ${sql.ref(`m.${link.farKey}`)} in (${sql.join(ids)})` : sql``;
    return sql`select ${sql.ref(`m.${link.nearKey}`)} from ${sql.table(link.middleTable)} as m
      where ${sql.ref('m.deleted')} = 0 ${sql.join(conditions, sql` `)} ${restriction}`;
  }
  const foreign = getEntity(link.entity);
  const restriction = ids ? sql`and ${sql.ref('f.id')} in (${sql.join(ids)})` : sql``;
  const typeCondition =
    link.type === 'hasChildren' ? sql`and ${sql.ref(`f.${link.foreignTypeKey}`)} = ${sql.lit(meta.entityType)}` : sql``;
  return sql`select ${sql.ref(`f.${link.foreignKey}`)} from ${sql.table(foreign.table)} as f
    where ${sql.ref('f.deleted')} = 0 and ${sql.ref(`f.${link.foreignKey}`)} is not null ${typeCondition} ${restriction}`;
}
