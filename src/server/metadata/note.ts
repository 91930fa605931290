/** Note (entityDefs/Note.json): stream entries, ordered by the autoincrement `number`. */
import { defineEntity } from './entity.js';

export const noteTypeOptions = ['Post', 'Create', 'CreateRelated', 'Update', 'Assign', 'Relate', 'Unrelate', 'EmailReceived', 'EmailSent'] as const;
export const noteTargetTypeOptions = ['self', 'all', 'teams', 'users', 'portals'] as const;
const streamParents = ['Account', 'Contact', 'Opportunity', 'Case', 'Meeting', 'Task'] as const;

export const note = defineEntity({
  entityType: 'Note',
  table: 'note',
  fields: {
    post: { type: 'text' },
    data: { type: 'jsonObject', readOnly: true },
    type: { type: 'enum', options: noteTypeOptions, default: 'Post', readOnly: true, maxLength: 24 },
    targetType: { type: 'enum', options: noteTargetTypeOptions, maxLength: 7 },
    parent: { type: 'linkParent', entityList: streamParents },
    related: { type: 'linkParent', readOnly: true, entityList: [] },
    superParent: { type: 'linkParent', readOnly: true, entityList: streamParents },
    number: { type: 'autoincrement', readOnly: true },
    isGlobal: { type: 'bool' },
    isInternal: { type: 'bool' },
    isPinned: { type: 'bool', readOnly: true },
    createdAt: { type: 'datetime', readOnly: true },
    modifiedAt: { type: 'datetime', readOnly: true },
    createdBy: { type: 'link', readOnly: true, entity: 'User' },
    modifiedBy: { type: 'link', readOnly: true, entity: 'User' },
  },
  links: {
    createdBy: { type: 'belongsTo', entity: 'User', key: 'createdById' },
    modifiedBy: { type: 'belongsTo', entity: 'User', key: 'modifiedById' },
    parent: { type: 'belongsToParent', idKey: 'parentId', typeKey: 'parentType', entityList: streamParents },
    related: { type: 'belongsToParent', idKey: 'relatedId', typeKey: 'relatedType', entityList: [] },
    superParent: { type: 'belongsToParent', idKey: 'superParentId', typeKey: 'superParentType', entityList: streamParents },
  },
  collection: { orderBy: 'number', order: 'desc', textFilterFields: ['post'] },
  nameField: 'post',
});
