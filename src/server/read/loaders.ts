/**
 * Turns stored rows into API records: converts column values and reads everything that lives elsewhere
 * (names of linked records, email addresses, phone numbers, teams, followers, stars) with one query for
 * the whole page (./record-query.ts), never one per record or per kind.
 */
import { sql } from 'kysely';
import { engineOf } from '../db/dialect.js';
import { dynamic, type Db, type Row } from '../db/dynamic.js';
import { prepareOnPostgres } from '../db/prepared.js';
import { groupLinkedIds, manyManyIdsQuery } from '../db/many-many.js';
import { getEntity, hasEntity, type AttributeDefs, type EntityMeta } from '../metadata/index.js';
import type { ManyManyLink } from '../metadata/types.js';
import type { RequestContext } from './context.js';
import { nameExpression } from './names.js';
import { bindSlots, recordShape, USER_SLOT, type RecordShape } from './record-query.js';
import type { RecordData } from './values.js';

/** Columns a row must contain to produce the given attributes. */
export function requiredColumns(meta: EntityMeta, attributes: Iterable<string>): string[] {
  const columns = new Set<string>(['id']);
  for (const name of attributes) {
    const attribute = meta.attributes.get(name);
    if (!attribute) continue;
    if (attribute.kind === 'column') columns.add(name);
    if (attribute.kind === 'foreignName') columns.add(foreignKeyOf(meta, attribute));
    if (attribute.kind === 'parentName') {
      columns.add(`${attribute.field}Id`);
      columns.add(`${attribute.field}Type`);
    }
    if (attribute.kind === 'personName') {
      columns.add('firstName');
      columns.add('lastName');
    }
  }
  return [...columns];
}

/**
 * Builds records with exactly `attributes` (in metadata order) from rows holding `requiredColumns`: what
 * lives outside the rows is read for the whole page with one query (./record-query.ts).
 */
export async function hydrate(
  db: Db,
  meta: EntityMeta,
  rows: readonly Row[],
  attributes: readonly string[],
  ctx: RequestContext,
): Promise<RecordData[]> {
  const shape = readShape(db, meta, attributes, ctx, MAIN);
  if (shape.computed.length === 0 || rows.length === 0) return rows.map((row) => shape.toRecord(row));
  const query = dynamic(db)
    .selectFrom(`${meta.table} as ${MAIN}`)
    .select([sql.ref<string>(`${MAIN}.id`).as('id'), ...shape.computed.map(({ alias, expr }) => sql`${expr}`.as(alias))])
    .where(`${MAIN}.id`, 'in', rows.map((row) => String(row.id)));
  const compiled = query.compile();
  // One record (update, delete): the text is fixed per shape, so PostgreSQL plans it once per connection
  // instead of on every call (planning the correlated subqueries costs more than running them).
  if (rows.length === 1) prepareOnPostgres(compiled.sql);
  const computed = await db.executeQuery<Row>(bindSlots(compiled, { [USER_SLOT]: ctx.user.id }));
  const byId = new Map(computed.rows.map((row) => [String(row.id), row]));
  return rows.map((row) => shape.toRecord({ ...byId.get(String(row.id)), ...row }));
}

const MAIN = 'main';

/** The record shape for this request's user (followers are shown to users who may read the stream). */
export function readShape(db: Db, meta: EntityMeta, attributes: readonly string[], ctx: RequestContext, alias: string): RecordShape {
  const followersVisible = ctx.acl.checkScope(meta.entityType, 'stream');
  return recordShape(meta, attributes, engineOf(db), alias, followersVisible);
}

function foreignKeyOf(meta: EntityMeta, attribute: AttributeDefs): string {
  const link = meta.links[attribute.link ?? ''];
  return link?.type === 'belongsTo' ? link.key : `${attribute.field}Id`;
}

/** id → name of non-deleted records of one entity type. */
export async function loadNames(db: Db, entityType: string, ids: Iterable<string>): Promise<Map<string, string | null>> {
  const unique = [...new Set(ids)];
  const names = new Map<string, string | null>();
  if (unique.length === 0 || !hasEntity(entityType)) {
    return names;
  }
  const foreign = getEntity(entityType);
  const rows = await dynamic(db)
    .selectFrom(`${foreign.table} as f`)
    .select([sql.ref<string>('f.id').as('id'), nameExpression(foreign, 'f').as('name')])
    .where('f.id', 'in', unique)
    .where('f.deleted', '=', 0)
    .execute();
  for (const row of rows) {
    names.set(String(row.id), (row.name as string | null) ?? null);
  }
  return names;
}

/** Record id → ids of records linked through a many-to-many link, each list ordered by the linked record's name. */
export async function loadManyManyIds(db: Db, link: ManyManyLink, ids: readonly string[]): Promise<Map<string, string[]>> {
  const foreign = getEntity(link.entity);
  return groupLinkedIds(await manyManyIdsQuery(db, link, ids).orderBy(nameExpression(foreign, 'f')).orderBy('f.id').execute());
}
