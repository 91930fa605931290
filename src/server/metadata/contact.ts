/** Contact (Crm entityDefs/Contact.json). Fields needing tables this server lacks are left out. */
import { createdModifiedFields, createdModifiedLinks, ownershipFields, ownershipLinks } from './common.js';
import { defineEntity } from './entity.js';

export const salutationOptions = ['', 'Mr.', 'Ms.', 'Mrs.', 'Dr.'] as const;

export const contact = defineEntity({
  entityType: 'Contact',
  table: 'contact',
  nameField: 'name',
  fields: {
    name: { type: 'personName' },
    salutationName: { type: 'enum', options: salutationOptions },
    firstName: { type: 'varchar', maxLength: 100 },
    lastName: { type: 'varchar', maxLength: 100, required: true },
    description: { type: 'text' },
    emailAddress: { type: 'email' },
    phoneNumber: { type: 'phone', typeList: ['Mobile', 'Office', 'Home', 'Fax', 'Other'], defaultType: 'Mobile' },
    doNotCall: { type: 'bool' },
    address: { type: 'address' },
    account: { type: 'link', entity: 'Account' },
    accounts: { type: 'linkMultiple', entity: 'Account' },
    // Relation columns of account_contact, set on contacts listed through Account `contacts`.
    accountRole: { type: 'varchar', notStorable: true, utility: true, orderDisabled: true, maxLength: 100 },
    accountIsInactive: { type: 'bool', notStorable: true, utility: true, orderDisabled: true },
    campaign: { type: 'link', entity: 'Campaign' },
    ...createdModifiedFields,
    ...ownershipFields,
  },
  links: {
    ...createdModifiedLinks(),
    ...ownershipLinks('Contact'),
    account: { type: 'belongsTo', entity: 'Account', key: 'accountId' },
    accounts: {
      type: 'manyMany',
      entity: 'Account',
      middleTable: 'account_contact',
      nearKey: 'contactId',
      farKey: 'accountId',
      columns: [
        { column: 'role', attribute: 'contactRole', type: 'varchar', maxLength: 100 },
        { column: 'isInactive', attribute: 'contactIsInactive', type: 'bool' },
      ],
    },
    campaign: { type: 'belongsTo', entity: 'Campaign', key: 'campaignId' },
    opportunitiesPrimary: { type: 'hasMany', entity: 'Opportunity', foreignKey: 'contactId' },
    casesPrimary: { type: 'hasMany', entity: 'Case', foreignKey: 'contactId' },
    tasksPrimary: { type: 'hasMany', entity: 'Task', foreignKey: 'contactId' },
    meetingsChildren: { type: 'hasChildren', entity: 'Meeting', foreignKey: 'parentId', foreignTypeKey: 'parentType' },
    callsChildren: { type: 'hasChildren', entity: 'Call', foreignKey: 'parentId', foreignTypeKey: 'parentType' },
    tasks: { type: 'hasChildren', entity: 'Task', foreignKey: 'parentId', foreignTypeKey: 'parentType' },
    emails: { type: 'hasChildren', entity: 'Email', foreignKey: 'parentId', foreignTypeKey: 'parentType' },
  },
  mandatoryAttributes: ['accountId', 'accountName'],
  collection: { orderBy: 'createdAt', order: 'desc', textFilterFields: ['name', 'emailAddress'] },
  duplicateCheckFields: ['name', 'emailAddress'],
  stream: true,
  stars: true,
  boolFilters: ['onlyMy', 'followed', 'shared'],
});
