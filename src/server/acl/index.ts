/**
 * Access control, as one module: the policy (who may do what), ownership and list filters that apply it
 * to records, the roles it is derived from, and the users and teams it is about. Everything outside
 * `acl/` imports it from here, so this list is the whole seam.
 */
export { allowAll, LevelAccessControl, type AccessControl, type AccessLevel, type AclAction, type Actor, type LevelResolver, type RecordOwnership, type UserType } from './policy.js';
export { loadOwnership, mayAccessRecords, ownershipColumns } from './ownership.js';
export { accessCondition } from './list-filter.js';
export { aclTableFor, createAccessResolver, loadRoleData, type AccessResolver } from './access.js';
export { createRole, createTeam, findRoleId, grantRole, roleIdsByName, teamIdsByName, type NewTeam } from './directory.js';
export { DirectoryError, InvalidValueError } from './errors.js';
export { identityChanged, onIdentityChange } from './identity-changes.js';
export { hashPassword, verifyPassword } from './passwords.js';
export { parseRoleData, RoleDataError, type RoleData } from './role-data.js';
export { fullAccessData, ROLE_SCOPES, type RoleLevel, type ScopeAccess } from './scopes.js';
export { levelOf, mergeRoles, type AclTable } from './table.js';
export { insertTeam, insertUser, type SeedUser } from './user-rows.js';
export { createUser, type NewUser, type NewUserCredentials } from './users.js';
