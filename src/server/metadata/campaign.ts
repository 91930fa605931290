/** Campaign: stored only so Account/Contact/Opportunity `campaignId` can reference and name it. */
import { createdModifiedFields, createdModifiedLinks } from './common.js';
import { defineEntity } from './entity.js';

export const campaign = defineEntity({
  entityType: 'Campaign',
  table: 'campaign',
  fields: {
    name: { type: 'varchar', required: true },
    status: { type: 'enum', options: ['Planning', 'Active', 'Inactive', 'Complete'], default: 'Planning' },
    type: { type: 'enum', options: ['Email', 'Newsletter', 'Web', 'Television', 'Radio', 'Mail', 'Informational Email'] },
    ...createdModifiedFields,
    assignedUser: { type: 'link', entity: 'User' },
  },
  links: {
    ...createdModifiedLinks(),
    assignedUser: { type: 'belongsTo', entity: 'User', key: 'assignedUserId' },
  },
  collection: { orderBy: 'createdAt', order: 'desc', textFilterFields: ['name'] },
});
