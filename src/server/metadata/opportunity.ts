/** Opportunity (Crm entityDefs/Opportunity.json). `contacts` needs a table this server lacks. */
import { createdModifiedFields, createdModifiedLinks, ownershipFields, ownershipLinks } from './common.js';
import { defineEntity } from './entity.js';

export const opportunityStageOptions = ['Prospecting', 'Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'] as const;
/** Lead.source options (Opportunity.leadSource has optionsReference Lead.source). */
export const leadSourceOptions = ['', 'Call', 'Email', 'Existing Customer', 'Partner', 'Public Relations', 'Web Site', 'Campaign', 'Other'] as const;

export const opportunity = defineEntity({
  entityType: 'Opportunity',
  table: 'opportunity',
  fields: {
    name: { type: 'varchar', required: true, pattern: '$noBadCharacters' },
    amount: { type: 'currency', required: true, min: 0, audited: true },
    account: { type: 'link', entity: 'Account', audited: true },
    contact: { type: 'link', entity: 'Contact' },
    stage: { type: 'enum', options: opportunityStageOptions, default: 'Prospecting', audited: true },
    lastStage: { type: 'enum', readOnly: true },
    probability: { type: 'int', min: 0, max: 100 },
    leadSource: { type: 'enum', options: leadSourceOptions, audited: true },
    closeDate: { type: 'date', required: true, audited: true },
    description: { type: 'text' },
    campaign: { type: 'link', entity: 'Campaign', audited: true },
    ...createdModifiedFields,
    ...ownershipFields,
  },
  links: {
    ...createdModifiedLinks(),
    ...ownershipLinks('Opportunity'),
    account: { type: 'belongsTo', entity: 'Account', key: 'accountId' },
    contact: { type: 'belongsTo', entity: 'Contact', key: 'contactId' },
    campaign: { type: 'belongsTo', entity: 'Campaign', key: 'campaignId' },
    meetings: { type: 'hasChildren', entity: 'Meeting', foreignKey: 'parentId', foreignTypeKey: 'parentType' },
    calls: { type: 'hasChildren', entity: 'Call', foreignKey: 'parentId', foreignTypeKey: 'parentType' },
    tasks: { type: 'hasChildren', entity: 'Task', foreignKey: 'parentId', foreignTypeKey: 'parentType' },
    emails: { type: 'hasChildren', entity: 'Email', foreignKey: 'parentId', foreignTypeKey: 'parentType' },
  },
  mandatoryAttributes: ['accountId', 'accountName'],
  collection: { orderBy: 'createdAt', order: 'desc', textFilterFields: ['name'] },
  stream: true,
  optimisticConcurrency: true,
  boolFilters: ['onlyMy', 'followed', 'shared'],
});
