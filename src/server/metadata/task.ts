/** Task (Crm entityDefs/Task.json). Collaborators and attachments are not stored here. */
import { activityParentTypes, createdModifiedFields, createdModifiedLinks, ownershipLinks, parentLink } from './common.js';
import { defineEntity } from './entity.js';

export const taskStatusOptions = ['Not Started', 'Started', 'Completed', 'Canceled', 'Deferred'] as const;
export const taskPriorityOptions = ['Low', 'Normal', 'High', 'Urgent'] as const;

export const task = defineEntity({
  entityType: 'Task',
  table: 'task',
  fields: {
    name: { type: 'varchar', required: true, pattern: '$noBadCharacters' },
    status: { type: 'enum', options: taskStatusOptions, default: 'Not Started', audited: true },
    priority: { type: 'enum', options: taskPriorityOptions, default: 'Normal', audited: true },
    dateStart: { type: 'datetimeOptional' },
    dateEnd: { type: 'datetimeOptional', audited: true },
    dateCompleted: { type: 'datetime', readOnly: true },
    description: { type: 'text' },
    parent: { type: 'linkParent', entityList: activityParentTypes },
    account: { type: 'link', readOnly: true, entity: 'Account' },
    contact: { type: 'link', readOnly: true, entity: 'Contact' },
    ...createdModifiedFields,
    assignedUser: { type: 'link', required: true, entity: 'User' },
    teams: { type: 'linkMultiple', entity: 'Team' },
  },
  links: {
    ...createdModifiedLinks(),
    ...ownershipLinks('Task'),
    account: { type: 'belongsTo', entity: 'Account', key: 'accountId' },
    contact: { type: 'belongsTo', entity: 'Contact', key: 'contactId' },
    parent: parentLink(activityParentTypes),
  },
  collection: { orderBy: 'createdAt', order: 'desc', textFilterFields: ['name'] },
  stream: true,
  optimisticConcurrency: true,
  boolFilters: ['onlyMy', 'followed', 'shared'],
});
