/**
 * A user's access table from its roles, merged as EspoCRM's Acl\Table\DefaultTable does:
 * - per scope and action the most permissive level of all roles wins (order yes > all > team > own > no);
 * - a scope one role disables (`false`) stays enabled if another role grants it;
 * - scopes no role mentions get EspoCRM's strict defaults (User: read own; Team: read team), every other
 *   scope none at all;
 * - mandatory scopes (Note, Attachment, Role) are fixed whatever the roles say.
 * Admins do not get a table: they bypass access control.
 */
import type { AccessLevel, AclAction } from './policy.js';
import { ACTION_ORDER, DEFAULT_ACCESS, LEVEL_ORDER, MANDATORY_ACCESS, ROLE_SCOPES, type RoleLevel, type ScopeAccess } from './scopes.js';

export type AclTable = ReadonlyMap<string, ScopeAccess>;

type MergedLevels = Partial<Record<AclAction, RoleLevel>>;

function isRoleLevel(value: unknown): value is RoleLevel {
  return typeof value === 'string' && (LEVEL_ORDER as readonly string[]).includes(value);
}

function morePermissive(a: RoleLevel, b: RoleLevel): RoleLevel {
  return LEVEL_ORDER.indexOf(a) <= LEVEL_ORDER.indexOf(b) ? a : b;
}

/**
 * Merges stored role data (`role.data` values, already parsed; anything malformed is ignored rather than
 * locking users out, as EspoCRM ignores what it does not understand).
 */
export function mergeRoles(roles: readonly unknown[]): AclTable {
  const table = new Map<string, ScopeAccess>();
  for (const role of roles) {
    if (typeof role !== 'object' || role === null || Array.isArray(role)) continue;
    for (const [scope, row] of Object.entries(role as Record<string, unknown>)) {
      if (ROLE_SCOPES.has(scope)) mergeRow(table, scope, row);
    }
  }
  for (const scope of ROLE_SCOPES.keys()) {
    if (!table.has(scope)) table.set(scope, DEFAULT_ACCESS.get(scope) ?? false);
  }
  for (const [scope, access] of MANDATORY_ACCESS) table.set(scope, access);
  return table;
}

/** EspoCRM DefaultTable::mergeTableListItem. */
function mergeRow(table: Map<string, ScopeAccess>, scope: string, row: unknown): void {
  const current = table.get(scope);
  if (row === false || row === null) {
    if (current === undefined) table.set(scope, false);
    return;
  }
  if (row === true) {
    table.set(scope, true);
    return;
  }
  if (current === true || typeof row !== 'object' || Array.isArray(row)) return;
  const merged: MergedLevels = current === undefined || current === false ? {} : { ...current };
  const levels = row as Record<string, unknown>;
  const actions = Object.keys(ROLE_SCOPES.get(scope)!) as AclAction[];
  for (const action of ACTION_ORDER.filter((a) => actions.includes(a))) {
    const level = levels[action];
    if (isRoleLevel(level)) {
      merged[action] = merged[action] === undefined ? level : morePermissive(merged[action], level);
    } else if (action === 'create') {
      // EspoCRM's legacy fallback for rows saved before `create` existed (its editor always saves it).
      merged.create = 'yes';
    } else if (action === 'stream' && merged.read !== undefined) {
      // Same legacy fallback: a row without `stream` streams as far as it reads.
      merged.stream = merged.read;
    }
  }
  table.set(scope, merged);
}

/** The level the table gives `action` on `scope`, in the terms of the access-control seam. */
export function levelOf(table: AclTable, scope: string, action: AclAction): AccessLevel {
  const access = table.get(scope);
  if (access === undefined || access === false) return 'no';
  if (access === true) return 'all';
  const level = access[action] ?? 'no';
  return level === 'yes' ? 'all' : level;
}
