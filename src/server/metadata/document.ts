/** Document (Crm entityDefs/Document.json). Folders are not stored here. */
import { createdModifiedFields, createdModifiedLinks, ownershipLinks } from './common.js';
import { defineEntity } from './entity.js';

export const documentStatusOptions = ['Draft', 'Active', 'Canceled', 'Expired'] as const;
export const documentTypeOptions = ['', 'Contract', 'NDA', 'EULA', 'License Agreement'] as const;

export const document = defineEntity({
  entityType: 'Document',
  table: 'document',
  fields: {
    name: { type: 'varchar', required: true, pattern: '$noBadCharacters' },
    // Required in EspoCRM; optional here, as this server has no upload (docs/deviations.md).
    file: { type: 'file', audited: true, entity: 'Attachment' },
    status: { type: 'enum', options: documentStatusOptions, default: 'Active', audited: true },
    type: { type: 'enum', options: documentTypeOptions, audited: true },
    // EspoCRM's default (today) is applied by its web client only, so the API requires it.
    publishDate: { type: 'date', required: true, audited: true },
    expirationDate: { type: 'date', audited: true },
    description: { type: 'text' },
    ...createdModifiedFields,
    assignedUser: { type: 'link', audited: true, entity: 'User' },
    teams: { type: 'linkMultiple', entity: 'Team' },
    accounts: { type: 'linkMultiple', noLoad: true, entity: 'Account' },
  },
  links: {
    ...createdModifiedLinks(),
    ...ownershipLinks('Document'),
    file: { type: 'belongsTo', entity: 'Attachment', key: 'fileId' },
    accounts: { type: 'manyMany', entity: 'Account', middleTable: 'account_document', nearKey: 'documentId', farKey: 'accountId' },
  },
  collection: { orderBy: 'createdAt', order: 'desc', textFilterFields: ['name'] },
  boolFilters: ['onlyMy', 'shared'],
});
