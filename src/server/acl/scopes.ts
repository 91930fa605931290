/**
 * Which scopes roles can grant, which actions each has and which levels each action takes, as in EspoCRM's
 * metadata (`scopes.*.acl`, `aclActionList`, `aclLevelList`, `aclActionLevelListMap`, `stream`) and its
 * role editor. Also the levels EspoCRM applies when no role says anything (`app/acl.json` strictDefault)
 * and the ones no role can change (`mandatory`).
 */
import { getEntity } from '../metadata/index.js';
import type { AclAction } from './policy.js';

/** A level as stored in role data: `yes` for `create`, the others for record actions. */
export type RoleLevel = 'yes' | 'all' | 'team' | 'own' | 'no';

/** A scope's entry in role data: `false` = disabled, `true` = everything (boolean scopes), or levels. */
export type ScopeAccess = boolean | Partial<Record<AclAction, RoleLevel>>;

/** EspoCRM `Table::$levelList`: earlier is more permissive; merging keeps the earliest. */
export const LEVEL_ORDER: readonly RoleLevel[] = ['yes', 'all', 'team', 'own', 'no'];

/** EspoCRM `Table::$actionList`, in its order (the legacy merge fallback depends on it). */
export const ACTION_ORDER: readonly AclAction[] = ['read', 'stream', 'edit', 'delete', 'create'];

const RECORD_LEVELS: readonly RoleLevel[] = ['all', 'team', 'own', 'no'];
const YES_NO: readonly RoleLevel[] = ['yes', 'no'];

/** Actions of a scope with the levels each may take, most permissive first. */
export type ScopeActions = Readonly<Partial<Record<AclAction, readonly RoleLevel[]>>>;

function recordScope(entityType: string): ScopeActions {
  // The role editor offers `stream` only where the entity has a stream.
  const stream = getEntity(entityType).stream ? { stream: RECORD_LEVELS } : {};
  return { create: YES_NO, read: RECORD_LEVELS, edit: RECORD_LEVELS, delete: RECORD_LEVELS, ...stream };
}

/** Scopes a role can set (EspoCRM scopes with `acl: true` that this server knows). */
export const ROLE_SCOPES: ReadonlyMap<string, ScopeActions> = new Map<string, ScopeActions>([
  ...['Account', 'Contact', 'Opportunity', 'Case', 'Call', 'Meeting', 'Task', 'Document', 'Email', 'TargetList', 'Campaign'].map(
    (scope): [string, ScopeActions] => [scope, recordScope(scope)],
  ),
  // scopes/Team.json: aclActionList [read], aclLevelList [all, team, no].
  ['Team', { read: ['all', 'team', 'no'] }],
  // scopes/User.json: aclActionList [read, edit], aclActionLevelListMap.edit [own, no].
  ['User', { read: RECORD_LEVELS, edit: ['own', 'no'] }],
]);

/**
 * Scopes whose access is fixed whatever the roles say (acl.json `mandatory.scopeLevel`). Notes are not
 * configurable in EspoCRM: every user may create them and read/edit/delete their own.
 */
export const MANDATORY_ACCESS: ReadonlyMap<string, ScopeAccess> = new Map<string, ScopeAccess>([
  ['Note', { read: 'own', edit: 'own', delete: 'own', create: 'yes' }],
  ['Attachment', { read: 'own', edit: 'own', delete: 'own', create: 'yes' }],
  ['Role', false],
]);

/** What a regular user gets for a scope no role mentions (acl.json `strictDefault.scopeLevel`); others: none. */
export const DEFAULT_ACCESS: ReadonlyMap<string, ScopeAccess> = new Map<string, ScopeAccess>([
  ['User', { read: 'own', edit: 'no' }],
  ['Team', { read: 'team' }],
]);

/** Every action of every role scope at its most permissive level (the bootstrap API user's role). */
export function fullAccessData(): Record<string, Partial<Record<AclAction, RoleLevel>>> {
  return Object.fromEntries(
    [...ROLE_SCOPES].map(([scope, actions]) => [
      scope,
      Object.fromEntries(Object.entries(actions).map(([action, levels]) => [action, levels[0]!])),
    ]),
  );
}
