/** Call (Crm entityDefs/Call.json). Attendee links (users/contacts/leads) are not stored here. */
import { activityParentTypes, createdModifiedFields, createdModifiedLinks, ownershipLinks, parentLink } from './common.js';
import { defineEntity } from './entity.js';

export const callStatusOptions = ['Planned', 'Held', 'Not Held'] as const;
export const callDirectionOptions = ['Outbound', 'Inbound'] as const;

export const call = defineEntity({
  entityType: 'Call',
  table: 'call',
  fields: {
    name: { type: 'varchar', required: true, pattern: '$noBadCharacters' },
    status: { type: 'enum', options: callStatusOptions, default: 'Planned', audited: true },
    dateStart: { type: 'datetime', required: true, audited: true },
    dateEnd: { type: 'datetime', required: true },
    direction: { type: 'enum', options: callDirectionOptions, default: 'Outbound' },
    description: { type: 'text' },
    parent: { type: 'linkParent', entityList: activityParentTypes },
    account: { type: 'link', readOnly: true, entity: 'Account' },
    uid: { type: 'varchar', maxLength: 255, readOnly: true },
    ...createdModifiedFields,
    assignedUser: { type: 'link', required: true, entity: 'User' },
    teams: { type: 'linkMultiple', entity: 'Team' },
  },
  links: {
    ...createdModifiedLinks(),
    ...ownershipLinks('Call'),
    account: { type: 'belongsTo', entity: 'Account', key: 'accountId' },
    parent: parentLink(activityParentTypes),
  },
  collection: { orderBy: 'dateStart', order: 'desc', textFilterFields: ['name'] },
  boolFilters: ['onlyMy', 'shared'],
});
