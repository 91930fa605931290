/** Meeting (Crm entityDefs/Meeting.json). Attendee links (users/contacts/leads) are not stored here. */
import { activityParentTypes, createdModifiedFields, createdModifiedLinks, ownershipLinks, parentLink } from './common.js';
import { defineEntity } from './entity.js';

export const meetingStatusOptions = ['Planned', 'Held', 'Not Held'] as const;

export const meeting = defineEntity({
  entityType: 'Meeting',
  table: 'meeting',
  fields: {
    name: { type: 'varchar', required: true, pattern: '$noBadCharacters' },
    status: { type: 'enum', options: meetingStatusOptions, default: 'Planned', audited: true },
    dateStart: { type: 'datetimeOptional', required: true, audited: true },
    dateEnd: { type: 'datetimeOptional', required: true },
    isAllDay: { type: 'bool' },
    description: { type: 'text' },
    parent: { type: 'linkParent', entityList: activityParentTypes },
    account: { type: 'link', readOnly: true, entity: 'Account' },
    uid: { type: 'varchar', maxLength: 255, readOnly: true },
    joinUrl: { type: 'url', maxLength: 320, readOnly: true },
    ...createdModifiedFields,
    assignedUser: { type: 'link', required: true, entity: 'User' },
    teams: { type: 'linkMultiple', entity: 'Team' },
  },
  links: {
    ...createdModifiedLinks(),
    ...ownershipLinks('Meeting'),
    account: { type: 'belongsTo', entity: 'Account', key: 'accountId' },
    parent: parentLink(activityParentTypes),
  },
  collection: { orderBy: 'dateStart', order: 'desc', textFilterFields: ['name'] },
  stream: true,
  boolFilters: ['onlyMy', 'followed', 'shared'],
});
