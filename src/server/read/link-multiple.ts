/** Writes `<link>Ids` of a many-to-many link (teamsIds, targetListsIds, …) to its middle table. */
import { dynamic, type Db } from '../db/dynamic.js';
import type { ManyManyLink } from '../metadata/types.js';

/** Makes `ids` the linked set: others are unlinked (soft, `deleted = 1`, as EspoCRM), new ones linked. */
export async function setLinkedIds(db: Db, link: ManyManyLink, id: string, ids: readonly string[]): Promise<void> {
  const conditions = link.conditions ?? {};
  let unlink = dynamic(db).updateTable(link.middleTable).set({ deleted: 1 }).where(link.nearKey, '=', id);
  for (const [column, value] of Object.entries(conditions)) {
    unlink = unlink.where(column, '=', value);
  }
  if (ids.length > 0) {
    unlink = unlink.where(link.farKey, 'not in', ids);
  }
  await unlink.execute();
  for (const farId of ids) {
    await dynamic(db)
      .insertInto(link.middleTable)
      .values({ ...conditions, [link.nearKey]: id, [link.farKey]: farId, deleted: 0 })
      .onConflict((conflict) => conflict.columns([...Object.keys(conditions), link.nearKey, link.farKey]).doUpdateSet({ deleted: 0 }))
      .execute();
  }
}
