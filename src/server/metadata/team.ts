/** Team (entityDefs/Team.json). */
import { defineEntity } from './entity.js';

export const team = defineEntity({
  entityType: 'Team',
  table: 'team',
  fields: {
    name: { type: 'varchar', maxLength: 100, pattern: '$noBadCharacters', audited: true },
    roles: { type: 'linkMultiple', audited: true, entity: 'Role' },
    positionList: { type: 'array', audited: true },
    description: { type: 'text' },
    createdAt: { type: 'datetime', readOnly: true },
    modifiedAt: { type: 'datetime', readOnly: true },
  },
  links: {
    roles: { type: 'manyMany', entity: 'Role', middleTable: 'role_team', nearKey: 'teamId', farKey: 'roleId' },
    users: { type: 'manyMany', entity: 'User', middleTable: 'team_user', nearKey: 'teamId', farKey: 'userId' },
  },
  collection: { orderBy: 'name', order: 'asc', textFilterFields: ['name'] },
});
