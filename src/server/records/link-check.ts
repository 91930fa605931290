/**
 * Referenced records must exist (EspoCRM Record\Access\LinkCheck): a missing one is 403 with
 * `cannotRelateNonExisting`, not 400 or 404; one the user may not read is 403 `cannotRelateForbidden`.
 */
import { dynamic, type Db } from '../db/dynamic.js';
import { Forbidden, messageTranslation } from '../core/errors.js';
import { getEntity, hasEntity, type EntityMeta } from '../metadata/index.js';
import type { RequestContext } from '../read/context.js';
import { mayAccessRecords, ownershipColumns } from '../acl/index.js';
import type { RecordData } from '../read/values.js';

interface Reference {
  link: string;
  entityType: string;
  ids: string[];
}

export async function checkReferences(db: Db, meta: EntityMeta, values: RecordData, sentFields: ReadonlySet<string>, ctx: RequestContext) {
  for (const reference of referencesOf(meta, values, sentFields)) {
    const foreign = getEntity(reference.entityType);
    const rows = await dynamic(db)
      .selectFrom(foreign.table)
      .select(ownershipColumns(foreign))
      .where('id', 'in', reference.ids)
      .where('deleted', '=', 0)
      .execute();
    if (rows.length < reference.ids.length) {
      throw new Forbidden(
        `Can't relate with non-existing record. entity type: ${meta.entityType}, link: ${reference.link}.`,
        messageTranslation('cannotRelateNonExisting', { foreignEntityType: reference.entityType }),
      );
    }
    // Assigning users is governed by the assignment permission, not by read access to users.
    if (reference.entityType !== 'User') {
      if (!(await mayAccessRecords(db, foreign, rows, ctx.acl, 'read'))) {
        throw new Forbidden(
          `Can't relate with a forbidden record. entity type: ${meta.entityType}, link: ${reference.link}.`,
          messageTranslation('cannotRelateForbidden', { foreignEntityType: reference.entityType }),
        );
      }
    }
  }
}

function referencesOf(meta: EntityMeta, values: RecordData, sentFields: ReadonlySet<string>): Reference[] {
  const references: Reference[] = [];
  for (const [name, field] of meta.fields) {
    if (!sentFields.has(name) || field.readOnly) continue;
    const link = meta.links[name];
    if ((field.type === 'link' || field.type === 'file') && link?.type === 'belongsTo') {
      references.push({ link: name, entityType: link.entity, ids: idList(values[link.key]) });
    } else if (field.type === 'linkParent') {
      const type = values[`${name}Type`];
      if (typeof type === 'string' && hasEntity(type)) {
        references.push({ link: name, entityType: type, ids: idList(values[`${name}Id`]) });
      }
    } else if (field.type === 'linkMultiple' && link?.type === 'manyMany') {
      references.push({ link: name, entityType: link.entity, ids: idList(values[`${name}Ids`]) });
    }
  }
  return references.filter((reference) => reference.ids.length > 0 && hasEntity(reference.entityType));
}

function idList(value: unknown): string[] {
  if (typeof value === 'string' && value !== '') return [value];
  return Array.isArray(value) ? [...new Set(value.filter((id): id is string => typeof id === 'string'))] : [];
}
