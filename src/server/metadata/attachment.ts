/** Attachment: metadata only (no file contents); referenced by Document `file`. */
import { defineEntity } from './entity.js';

export const attachment = defineEntity({
  entityType: 'Attachment',
  table: 'attachment',
  fields: {
    name: { type: 'varchar' },
    type: { type: 'varchar', maxLength: 100 },
    size: { type: 'int', min: 0 },
    role: { type: 'varchar', maxLength: 36 },
    parent: { type: 'linkParent', entityList: [] },
    related: { type: 'linkParent', entityList: [] },
    createdAt: { type: 'datetime', readOnly: true },
    createdBy: { type: 'link', readOnly: true, entity: 'User' },
  },
  links: {
    createdBy: { type: 'belongsTo', entity: 'User', key: 'createdById' },
    parent: { type: 'belongsToParent', idKey: 'parentId', typeKey: 'parentType', entityList: [] },
    related: { type: 'belongsToParent', idKey: 'relatedId', typeKey: 'relatedType', entityList: [] },
  },
  collection: { orderBy: 'createdAt', order: 'desc', textFilterFields: ['name'] },
});
