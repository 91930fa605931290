/** The middle-table query of a many-to-many link, shared by the read model (names, order) and ownership (teams). */
import { sql } from 'kysely';
import { getEntity } from '../metadata/index.js';
import type { ManyManyLink } from '../metadata/types.js';
import { dynamic, type Db, type Row } from './dynamic.js';

/** `nearId`/`farId` pairs of non-deleted links whose far record is not deleted; unordered. */
export function manyManyIdsQuery(db: Db, link: ManyManyLink, ids: readonly string[]) {
  const foreign = getEntity(link.entity);
  let query = dynamic(db)
    .selectFrom(`${link.middleTable} as m`)
    .innerJoin(`${foreign.table} as f`, 'f.id', `m.${link.farKey}`)
    .select([sql.ref<string>(`m.${link.nearKey}`).as('nearId'), sql.ref<string>('f.id').as('farId')])
    .where(`m.${link.nearKey}`, 'in', ids)
    .where('m.deleted', '=', 0)
    .where('f.deleted', '=', 0);
  for (const [column, value] of Object.entries(link.conditions ?? {})) {
    query = query.where(`m.${column}`, '=', value);
  }
  return query;
}

/** Record id → linked ids, in the order of `rows`. */
export function groupLinkedIds(rows: readonly Row[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const row of rows) {
    const nearId = String(row.nearId);
    result.set(nearId, [...(result.get(nearId) ?? []), String(row.farId)]);
  }
  return result;
}
