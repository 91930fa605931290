/** User (entityDefs/User.json): people and API clients; credentials are internal. */
import { defineEntity } from './entity.js';

export const userTypeOptions = ['regular', 'admin', 'portal', 'system', 'super-admin', 'api'] as const;

export const user = defineEntity({
  entityType: 'User',
  table: 'user',
  fields: {
    userName: { type: 'varchar', maxLength: 50, required: true },
    name: { type: 'personName' },
    type: { type: 'enum', options: userTypeOptions, default: 'regular', maxLength: 24 },
    salutationName: { type: 'enum', options: ['', 'Mr.', 'Ms.', 'Mrs.', 'Dr.'] },
    firstName: { type: 'varchar', maxLength: 100 },
    lastName: { type: 'varchar', maxLength: 100, required: true },
    isActive: { type: 'bool', default: true, audited: true },
    title: { type: 'varchar', maxLength: 100, pattern: '$noBadCharacters' },
    emailAddress: { type: 'email' },
    phoneNumber: { type: 'phone', typeList: ['Mobile', 'Office', 'Home', 'Fax', 'Other'], defaultType: 'Mobile' },
    gender: { type: 'enum', options: ['', 'Male', 'Female', 'Neutral'] },
    authMethod: { type: 'enum', options: ['', 'ApiKey', 'Hmac'], maxLength: 24 },
    // Credentials are never returned (EspoCRM shows the key only to admins in the UI).
    apiKey: { type: 'varchar', maxLength: 100, readOnly: true, internal: true },
    secretKey: { type: 'varchar', maxLength: 100, readOnly: true, internal: true },
    passwordHash: { type: 'varchar', maxLength: 150, readOnly: true, internal: true },
    defaultTeam: { type: 'link', entity: 'Team' },
    teams: { type: 'linkMultiple', audited: true, entity: 'Team' },
    roles: { type: 'linkMultiple', audited: true, entity: 'Role' },
    accounts: { type: 'linkMultiple', audited: true, entity: 'Account' },
    createdAt: { type: 'datetime', readOnly: true },
    modifiedAt: { type: 'datetime', readOnly: true },
    createdBy: { type: 'link', readOnly: true, entity: 'User' },
  },
  links: {
    defaultTeam: { type: 'belongsTo', entity: 'Team', key: 'defaultTeamId' },
    createdBy: { type: 'belongsTo', entity: 'User', key: 'createdById' },
    teams: { type: 'manyMany', entity: 'Team', middleTable: 'team_user', nearKey: 'userId', farKey: 'teamId' },
    roles: { type: 'manyMany', entity: 'Role', middleTable: 'role_user', nearKey: 'userId', farKey: 'roleId' },
    accounts: { type: 'manyMany', entity: 'Account', middleTable: 'account_portal_user', nearKey: 'userId', farKey: 'accountId' },
  },
  mandatoryAttributes: ['isActive', 'userName', 'type'],
  collection: { orderBy: 'userName', order: 'asc', textFilterFields: ['name', 'userName', 'emailAddress'] },
});
