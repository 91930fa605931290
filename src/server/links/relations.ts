/**
 * The links that the link endpoints (`GET|POST|DELETE /{entityType}/{id}/{link}`) work on: EspoCRM lets
 * them relate only manyMany, hasMany and hasChildren relations (Record\Service::processForbiddenLinkEditCheck);
 * belongsTo/hasOne sides are set through the record's own `…Id` attribute instead.
 */
import { sql, type SqlBool } from 'kysely';
import { Forbidden, NotFound } from '../core/errors.js';
import { getEntity, type EntityMeta, type HasChildrenLink, type HasManyLink, type ManyManyLink } from '../metadata/index.js';
import { and, type Cond } from '../db/sql-conditions.js';

/** A link whose related records form a list. */
export type ListLink = ManyManyLink | HasManyLink | HasChildrenLink;

export interface ResolvedLink {
  readonly name: string;
  readonly defs: ListLink;
  readonly foreign: EntityMeta;
}

function isListLink(defs: EntityMeta['links'][string] | undefined): defs is ListLink {
  return defs?.type === 'manyMany' || defs?.type === 'hasMany' || defs?.type === 'hasChildren';
}

/** For listing: any link of the entity, as EspoCRM's findLinked (404 `Link does not exist.`). */
export function listLink(meta: EntityMeta, name: string): ResolvedLink {
  const defs = meta.links[name];
  if (!isListLink(defs)) throw new NotFound('Link does not exist.');
  return { name, defs, foreign: getEntity(defs.entity) };
}

/** For relating and unrelating: 403 for one-to-one sides, 404 for unknown links (EspoCRM's wording). */
export function editableLink(meta: EntityMeta, name: string): ResolvedLink {
  const defs = meta.links[name];
  if (defs && !isListLink(defs)) throw new Forbidden('Only manyMany, hasMany & hasChildren relations are allowed.');
  if (!defs) throw new NotFound(`Entity ${meta.entityType} does not have link ${name}.`);
  return { name, defs, foreign: getEntity(defs.entity) };
}

/** Rows of the foreign table (aliased `alias`) that are related to record `id` of `meta` through `link`. */
export function relatedCondition(meta: EntityMeta, link: ListLink, id: string, alias: string): Cond {
  const ref = (column: string) => sql.ref(`${alias}.${column}`);
  switch (link.type) {
    case 'hasMany':
      return sql<SqlBool>`${ref(link.foreignKey)} = ${id}`;
    case 'hasChildren':
      return and([sql<SqlBool>`${ref(link.foreignKey)} = ${id}`, sql<SqlBool>`${ref(link.foreignTypeKey)} = ${meta.entityType}`]);
    case 'manyMany': {
      const conditions = Object.entries(link.conditions ?? {}).map(([column, value]) => sql`and ${sql.ref(`m.${column}`)} = ${value}`);
      return sql<SqlBool>`${ref('id')} in (select ${sql.ref(`m.${link.farKey}`)} from ${sql.table(link.middleTable)} as m
        where ${sql.ref(`m.${link.nearKey}`)} = ${id} and ${sql.ref('m.deleted')} = 0 ${sql.join(conditions, sql` `)})`;
    }
  }
}
