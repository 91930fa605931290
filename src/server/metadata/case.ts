/** Case (Crm entityDefs/Case.json). Lead, contacts, collaborators and attachments are not stored here. */
import { createdModifiedFields, createdModifiedLinks, ownershipFields, ownershipLinks } from './common.js';
import { defineEntity } from './entity.js';

export const caseStatusOptions = ['New', 'Assigned', 'Pending', 'Closed', 'Rejected', 'Duplicate'] as const;
export const casePriorityOptions = ['Low', 'Normal', 'High', 'Urgent'] as const;
export const caseTypeOptions = ['', 'Question', 'Incident', 'Problem'] as const;

export const caseEntity = defineEntity({
  entityType: 'Case',
  table: 'case',
  fields: {
    name: { type: 'varchar', required: true, pattern: '$noBadCharacters', audited: true },
    number: { type: 'autoincrement', readOnly: true },
    status: { type: 'enum', options: caseStatusOptions, default: 'New', audited: true },
    priority: { type: 'enum', options: casePriorityOptions, default: 'Normal', audited: true },
    type: { type: 'enum', options: caseTypeOptions, audited: true },
    description: { type: 'text' },
    account: { type: 'link', entity: 'Account', audited: true },
    contact: { type: 'link', entity: 'Contact' },
    isInternal: { type: 'bool', audited: true },
    ...createdModifiedFields,
    ...ownershipFields,
  },
  links: {
    ...createdModifiedLinks(),
    ...ownershipLinks('Case'),
    account: { type: 'belongsTo', entity: 'Account', key: 'accountId' },
    contact: { type: 'belongsTo', entity: 'Contact', key: 'contactId' },
    meetings: { type: 'hasChildren', entity: 'Meeting', foreignKey: 'parentId', foreignTypeKey: 'parentType' },
    calls: { type: 'hasChildren', entity: 'Call', foreignKey: 'parentId', foreignTypeKey: 'parentType' },
    tasks: { type: 'hasChildren', entity: 'Task', foreignKey: 'parentId', foreignTypeKey: 'parentType' },
    emails: { type: 'hasChildren', entity: 'Email', foreignKey: 'parentId', foreignTypeKey: 'parentType' },
  },
  // EspoCRM also text-searches `number` and full-text `description`; name is what is stored for search here.
  collection: { orderBy: 'number', order: 'desc', textFilterFields: ['name'] },
  stream: true,
  optimisticConcurrency: true,
  boolFilters: ['onlyMy', 'followed', 'shared'],
});
