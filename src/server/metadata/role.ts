/** Role (entityDefs/Role.json): permission levels read by access control. */
import { defineEntity } from './entity.js';

const levels = ['not-set', 'all', 'team', 'no'] as const;
const yesNo = ['not-set', 'yes', 'no'] as const;
const permission = (options: readonly string[]) => ({ type: 'enum', options, default: 'not-set', audited: true }) as const;

export const role = defineEntity({
  entityType: 'Role',
  table: 'role',
  fields: {
    name: { type: 'varchar', maxLength: 150, required: true, pattern: '$noBadCharacters' },
    assignmentPermission: permission(levels),
    userPermission: permission(levels),
    messagePermission: permission(levels),
    portalPermission: permission(yesNo),
    groupEmailAccountPermission: permission(levels),
    exportPermission: permission(yesNo),
    massUpdatePermission: permission(yesNo),
    dataPrivacyPermission: permission(yesNo),
    followerManagementPermission: permission(levels),
    auditPermission: permission(yesNo),
    mentionPermission: permission(levels),
    userCalendarPermission: permission(levels),
    lockPermission: permission(yesNo),
    data: { type: 'jsonObject', audited: true },
    fieldData: { type: 'jsonObject', audited: true },
    createdAt: { type: 'datetime', readOnly: true },
    modifiedAt: { type: 'datetime', readOnly: true },
  },
  links: {
    users: { type: 'manyMany', entity: 'User', middleTable: 'role_user', nearKey: 'roleId', farKey: 'userId' },
    teams: { type: 'manyMany', entity: 'Team', middleTable: 'role_team', nearKey: 'roleId', farKey: 'teamId' },
  },
  collection: { orderBy: 'name', order: 'asc', textFilterFields: ['name'] },
});
