/** TargetList (Crm entityDefs/TargetList.json). Categories and entry counts are not stored here. */
import { createdModifiedFields, createdModifiedLinks, ownershipLinks } from './common.js';
import { defineEntity } from './entity.js';

export const targetList = defineEntity({
  entityType: 'TargetList',
  table: 'target_list',
  fields: {
    name: { type: 'varchar', required: true, pattern: '$noBadCharacters' },
    description: { type: 'text' },
    ...createdModifiedFields,
    assignedUser: { type: 'link', audited: true, entity: 'User' },
    teams: { type: 'linkMultiple', entity: 'Team' },
    // Relation column of account_target_list, set on target lists listed through Account `targetLists`.
    isOptedOut: { type: 'bool', notStorable: true, utility: true, orderDisabled: true, readOnly: true },
  },
  links: {
    ...createdModifiedLinks(),
    ...ownershipLinks('TargetList'),
    accounts: {
      type: 'manyMany',
      entity: 'Account',
      middleTable: 'account_target_list',
      nearKey: 'targetListId',
      farKey: 'accountId',
      columns: [{ column: 'optedOut', attribute: 'targetListIsOptedOut', type: 'bool' }],
    },
  },
  collection: { orderBy: 'createdAt', order: 'desc', textFilterFields: ['name'] },
  boolFilters: ['onlyMy', 'shared'],
});
