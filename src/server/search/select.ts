/**
 * Which attributes a list returns (EspoCRM Select\Applier + the IsStarred applier):
 * without `select`, the list shape (every attribute with output `list`); with one, the selected
 * attributes plus `id`, the ACL attributes (assignedUserId, createdById), the entity's mandatory
 * attributes (recordDefs mandatoryAttributeList), the order-by field's attributes and `isStarred`. Unknown names are ignored silently.
 */
import type { EntityMeta } from '../metadata/index.js';
import { effectiveOrderBy } from './order.js';

const ACL_ATTRIBUTES = ['assignedUserId', 'createdById'];

export function listAttributes(meta: EntityMeta): string[] {
  return [...meta.attributes.values()].filter((attribute) => attribute.output === 'list').map((attribute) => attribute.name);
}

export function selectAttributes(meta: EntityMeta, select: readonly string[] | null, orderBy: string | null): string[] {
  if (select === null || select.length === 0 || (select.length === 1 && select[0] === '*')) {
    return listAttributes(meta);
  }
  const orderField = effectiveOrderBy(meta, orderBy);
  const wanted = new Set<string>([
    'id',
    ...ACL_ATTRIBUTES,
    ...select,
    ...(meta.mandatoryAttributes ?? []),
    ...(meta.fieldAttributeNames.get(orderField) ?? [orderField]),
    'isStarred',
  ]);
  return [...wanted].filter((name) => {
    const attribute = meta.attributes.get(name);
    return attribute !== undefined && attribute.output !== 'none';
  });
}
