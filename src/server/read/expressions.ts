/** SQL expressions for attributes that are not plain columns (names of linked records, person names). */
import { sql } from 'kysely';
import { getEntity, hasEntity, type AttributeDefs, type EntityMeta } from '../metadata/index.js';
import { nameExpression } from './names.js';
import { column, type Expr } from '../db/sql-conditions.js';

/** Null when the attribute has no scalar SQL form (email/phone lists, link-multiple, stream data). */
export function scalarExpression(meta: EntityMeta, attribute: AttributeDefs, alias: string): Expr | null {
  switch (attribute.kind) {
    case 'column':
      return column(alias, attribute.name);
    case 'personName':
      return nameExpression(meta, alias);
    case 'foreignName':
      return foreignNameExpression(meta, attribute, alias);
    case 'parentName':
      return parentNameExpression(meta, attribute, alias);
    default:
      return null;
  }
}

/** `(select name from <foreign> where id = <alias>.<key>)`: a primary-key lookup per row. */
function foreignNameExpression(meta: EntityMeta, attribute: AttributeDefs, alias: string): Expr {
  const link = meta.links[attribute.link ?? ''];
  const key = link?.type === 'belongsTo' ? link.key : `${attribute.field}Id`;
  const entityType = link && link.type !== 'belongsToParent' ? link.entity : meta.fields.get(attribute.field)?.entity;
  return entityType && hasEntity(entityType) ? nameLookup(entityType, column(alias, key)) : sql`null`;
}

function parentNameExpression(meta: EntityMeta, attribute: AttributeDefs, alias: string): Expr {
  const entityList = (meta.fields.get(attribute.field)?.entityList ?? []).filter(hasEntity);
  if (entityList.length === 0) return sql`null`;
  const typeColumn = column(alias, `${attribute.field}Type`);
  const idColumn = column(alias, `${attribute.field}Id`);
  const branches = entityList.map((entityType) => sql`when ${typeColumn} = ${entityType} then ${nameLookup(entityType, idColumn)}`);
  return sql`(case ${sql.join(branches, sql` `)} else null end)`;
}

function nameLookup(entityType: string, id: Expr): Expr {
  const foreign = getEntity(entityType);
  return sql`(select ${nameExpression(foreign, 'fn')} from ${sql.table(foreign.table)} as fn where fn.id = ${id} and fn.deleted = 0)`;
}
