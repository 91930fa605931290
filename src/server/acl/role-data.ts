/**
 * Role data as an administrator writes it (`espo-ref role:create --acl '{"Account":{"read":"team"}}'`),
 * checked against the scopes, actions and levels EspoCRM's role editor offers, and completed the way that
 * editor saves it: every action of a mentioned scope gets a level, `no` where none was given.
 */
import type { AclAction } from './policy.js';
import { InvalidValueError } from './errors.js';
import { MANDATORY_ACCESS, ROLE_SCOPES, type RoleLevel } from './scopes.js';

/** Role data as stored in `role.data` (EspoCRM's JSON): per scope `false` or a level per action. */
export type RoleData = Record<string, false | Partial<Record<AclAction, RoleLevel>>>;

/** Invalid role data; the message names the scope, action or level at fault. */
export class RoleDataError extends InvalidValueError {
  override name = 'RoleDataError';
}

const list = (items: Iterable<string>) => [...items].join(', ');

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and checks role data given as JSON text or as a parsed value. */
export function parseRoleData(input: unknown): RoleData {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as unknown;
    } catch (error) {
      throw new RoleDataError(`ACL is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!isPlainObject(value)) {
    throw new RoleDataError('ACL must be a JSON object of scopes, e.g. {"Account":{"read":"team"}}.');
  }
  const data: RoleData = {};
  for (const [scope, access] of Object.entries(value)) {
    data[scope] = scopeAccess(scope, access);
  }
  return data;
}

function scopeAccess(scope: string, access: unknown): RoleData[string] {
  const actions = ROLE_SCOPES.get(scope);
  if (!actions) {
    const fixed = MANDATORY_ACCESS.has(scope) ? ` (access to ${scope} is fixed in EspoCRM and not set by roles)` : '';
    throw new RoleDataError(`Unknown scope '${scope}'${fixed}. Scopes: ${list(ROLE_SCOPES.keys())}.`);
  }
  // `false` is how EspoCRM stores a scope switched off in the role editor.
  if (access === false) return false;
  if (!isPlainObject(access)) {
    throw new RoleDataError(`${scope}: expected an object of actions (or false to disable the scope).`);
  }
  const levels: Partial<Record<AclAction, RoleLevel>> = {};
  for (const [action, level] of Object.entries(access)) {
    const allowed = actions[action as AclAction];
    if (!allowed) {
      throw new RoleDataError(`${scope}: unknown action '${action}'. Actions: ${list(Object.keys(actions))}.`);
    }
    if (typeof level !== 'string' || !allowed.includes(level as RoleLevel)) {
      throw new RoleDataError(`${scope}.${action}: level ${JSON.stringify(level)} is not one of ${list(allowed)}.`);
    }
    levels[action as AclAction] = level as RoleLevel;
  }
  for (const action of Object.keys(actions) as AclAction[]) {
    levels[action] ??= 'no';
  }
  return levels;
}
