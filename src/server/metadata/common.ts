/** Field and link definitions shared by most entities (EspoCRM entityDefs repeat them per entity). */
import type { FieldDefs, LinkDefs, ManyManyLink } from './types.js';

export const createdModifiedFields = {
  createdAt: { type: 'datetime', readOnly: true },
  modifiedAt: { type: 'datetime', readOnly: true },
  createdBy: { type: 'link', readOnly: true, entity: 'User' },
  modifiedBy: { type: 'link', readOnly: true, entity: 'User' },
} as const satisfies Record<string, FieldDefs>;

export const ownershipFields = {
  assignedUser: { type: 'link', entity: 'User' },
  teams: { type: 'linkMultiple', entity: 'Team' },
} as const satisfies Record<string, FieldDefs>;

export function createdModifiedLinks(): Record<string, LinkDefs> {
  return {
    createdBy: { type: 'belongsTo', entity: 'User', key: 'createdById' },
    modifiedBy: { type: 'belongsTo', entity: 'User', key: 'modifiedById' },
  };
}

/** Teams of any record live in entity_team (EspoCRM relationName `entityTeam`). */
export function teamsLink(entityType: string): ManyManyLink {
  return {
    type: 'manyMany',
    entity: 'Team',
    middleTable: 'entity_team',
    nearKey: 'entityId',
    farKey: 'teamId',
    conditions: { entityType },
  };
}

export function ownershipLinks(entityType: string): Record<string, LinkDefs> {
  return {
    assignedUser: { type: 'belongsTo', entity: 'User', key: 'assignedUserId' },
    teams: teamsLink(entityType),
  };
}

/** Parent entity types of activities (Call, Meeting, Task). */
export const activityParentTypes = ['Account', 'Contact', 'Opportunity', 'Case'] as const;

export function parentLink(entityList: readonly string[]): LinkDefs {
  return { type: 'belongsToParent', idKey: 'parentId', typeKey: 'parentType', entityList };
}
