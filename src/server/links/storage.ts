/**
 * Writing one relation, as EspoCRM's ORM mapper does (BaseMapper::addRelation/removeRelation):
 * - manyMany: a middle-table row, revived when it was soft-deleted (its columns keep their values);
 * - hasMany: the foreign record's key, overwritten, so relating *moves* it from its previous record;
 * - hasChildren: the foreign record's `parentId`/`parentType`, likewise moved.
 * Direct updates, as in EspoCRM: no save hooks run, so the foreign record's modifiedAt and versionNumber do
 * not change, and neither do the links an activity derives from its parent on save (`accountId`, a task's
 * `contactId`: Crm\Hooks\Meeting|Call|Task\ParentLink::beforeSave); they keep their old values until the
 * activity is saved again.
 * Each function answers whether anything changed.
 */
import { dynamic, type Db } from '../db/dynamic.js';
import type { EntityMeta } from '../metadata/index.js';
import type { ResolvedLink } from './relations.js';

export async function relateStored(db: Db, meta: EntityMeta, link: ResolvedLink, id: string, foreignId: string): Promise<boolean> {
  const { defs, foreign } = link;
  const table = dynamic(db);
  switch (defs.type) {
    case 'manyMany': {
      const keys = { ...defs.conditions, [defs.nearKey]: id, [defs.farKey]: foreignId };
      // Insert-or-revive without a read first, so concurrent requests cannot collide on the key.
      const inserted = await table
        .insertInto(defs.middleTable)
        .values({ ...keys, deleted: 0 })
        .onConflict((conflict) => conflict.columns(Object.keys(keys)).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return true;
      let revive = table.updateTable(defs.middleTable).set({ deleted: 0 }).where('deleted', '=', 1);
      for (const [column, value] of Object.entries(keys)) revive = revive.where(column, '=', value);
      return Number((await revive.executeTakeFirst()).numUpdatedRows) > 0;
    }
    case 'hasMany': {
      const result = await table
        .updateTable(foreign.table)
        .set({ [defs.foreignKey]: id })
        .where('id', '=', foreignId)
        .where('deleted', '=', 0)
        .where((eb) => eb.or([eb(defs.foreignKey, 'is', null), eb(defs.foreignKey, '!=', id)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    }
    case 'hasChildren': {
      const result = await table
        .updateTable(foreign.table)
        .set({ [defs.foreignKey]: id, [defs.foreignTypeKey]: meta.entityType })
        .where('id', '=', foreignId)
        .where('deleted', '=', 0)
        .where((eb) =>
          eb.or([eb(defs.foreignKey, 'is', null), eb(defs.foreignKey, '!=', id), eb(defs.foreignTypeKey, 'is', null), eb(defs.foreignTypeKey, '!=', meta.entityType)]),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    }
  }
}

export async function unrelateStored(db: Db, meta: EntityMeta, link: ResolvedLink, id: string, foreignId: string): Promise<boolean> {
  const { defs, foreign } = link;
  const table = dynamic(db);
  switch (defs.type) {
    case 'manyMany': {
      let query = table.updateTable(defs.middleTable).set({ deleted: 1 }).where(defs.nearKey, '=', id).where(defs.farKey, '=', foreignId).where('deleted', '=', 0);
      for (const [column, value] of Object.entries(defs.conditions ?? {})) query = query.where(column, '=', value);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    }
    case 'hasMany': {
      const result = await table
        .updateTable(foreign.table)
        .set({ [defs.foreignKey]: null })
        .where('id', '=', foreignId)
        .where('deleted', '=', 0)
        .where(defs.foreignKey, '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    }
    case 'hasChildren': {
      const result = await table
        .updateTable(foreign.table)
        .set({ [defs.foreignKey]: null, [defs.foreignTypeKey]: null })
        .where('id', '=', foreignId)
        .where('deleted', '=', 0)
        .where(defs.foreignKey, '=', id)
        .where(defs.foreignTypeKey, '=', meta.entityType)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    }
  }
}
