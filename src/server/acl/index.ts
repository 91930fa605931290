/** Roles, teams and users, and the access control EspoCRM derives from them. */
export { aclTableFor, createAccessResolver, loadRoleData } from './access.js';
export { createRole, createTeam, findRoleId, grantRole, roleIdsByName, teamIdsByName, type NewTeam } from './directory.js';
export { DirectoryError, InvalidValueError } from './errors.js';
export { parseRoleData, RoleDataError, type RoleData } from './role-data.js';
export { fullAccessData, ROLE_SCOPES, type RoleLevel, type ScopeAccess } from './scopes.js';
export { levelOf, mergeRoles, type AclTable } from './table.js';
export { createUser, type NewUser, type NewUserCredentials } from './users.js';
