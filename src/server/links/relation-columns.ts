/**
 * Middle-table columns on records listed through a many-to-many link (EspoCRM's `columnAttributeMap`):
 * `GET /Account/{id}/contacts` gives each contact `accountRole` and `accountIsInactive`,
 * `GET /Account/{id}/targetLists` each list `isOptedOut`.
 */
import { sql } from 'kysely';
import { dynamic, type Db } from '../db/dynamic.js';
import type { ManyManyLink, RelationColumnDefs } from '../metadata/index.js';
import type { RecordData } from '../read/values.js';

/**
 * The columns a list shows: with a `select`, the selected ones and the link's mandatory attributes
 * (EspoCRM mandatoryAttributeList); without one, all of them. (Without `select` EspoCRM returns only a few
 * attributes per record, a defect this server does not copy: docs/deviations.md.)
 */
export function shownColumns(link: ManyManyLink, select: readonly string[] | null): RelationColumnDefs[] {
  const all = link.columns ?? [];
  if (select === null || select.length === 0 || (select.length === 1 && select[0] === '*')) return [...all];
  const wanted = new Set([...select, ...(link.mandatoryAttributes ?? [])]);
  return all.filter((column) => wanted.has(column.attribute));
}

/** Adds the relation columns to the records (one query for the page). */
export async function addRelationColumns(db: Db, link: ManyManyLink, id: string, records: RecordData[], columns: readonly RelationColumnDefs[]): Promise<void> {
  if (columns.length === 0 || records.length === 0) return;
  let query = dynamic(db)
    .selectFrom(link.middleTable)
    .select([sql.ref<string>(link.farKey).as('farId'), ...columns.map((column) => sql.ref(column.column).as(column.attribute))])
    .where(link.nearKey, '=', id)
    .where(link.farKey, 'in', records.map((record) => String(record.id)))
    .where('deleted', '=', 0);
  for (const [column, value] of Object.entries(link.conditions ?? {})) query = query.where(column, '=', value);
  const rows = new Map((await query.execute()).map((row) => [String(row.farId), row]));
  for (const record of records) {
    const row = rows.get(String(record.id));
    for (const column of columns) {
      const value = row?.[column.attribute] ?? null;
      record[column.attribute] = column.type === 'bool' ? (value === null ? null : Number(value) === 1) : value;
    }
  }
}
