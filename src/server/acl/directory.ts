/**
 * Teams and roles, created and found by name (the command line addresses them by name, so names are kept
 * unique here although EspoCRM does not require it). Names compare case-insensitively, as on EspoCRM's
 * MySQL, on both engines.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { notifyIdentityChange } from '../db/cache-invalidation.js';
import { equalsIgnoringCase, engineOf } from '../db/dialect.js';
import type { Database } from '../db/schema.js';
import { inTransaction, lockKeys } from '../db/locks.js';
import { formatDateTime } from '../core/time.js';
import { generateId } from '../core/ids.js';
import { DirectoryError, InvalidValueError } from './errors.js';
import { identityChanged } from './identity-changes.js';
import type { RoleData } from './role-data.js';

/** EspoCRM's `$noBadCharacters` pattern for names. */
const NO_BAD_CHARACTERS = /^[^<>=]+$/;

function checkName(kind: string, name: string, maxLength: number): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new InvalidValueError(`${kind} name must not be empty.`);
  if (trimmed.length > maxLength) throw new InvalidValueError(`${kind} name is longer than ${maxLength} characters.`);
  if (!NO_BAD_CHARACTERS.test(trimmed)) throw new InvalidValueError(`${kind} name must not contain <, > or =.`);
  return trimmed;
}

type NamedTable = 'team' | 'role';

async function idsByName(db: Kysely<Database>, table: NamedTable, names: readonly string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const name of new Set(names)) {
    const rows = await db
      .selectFrom(table)
      .select('id')
      .where('deleted', '=', 0)
      .where(equalsIgnoringCase(engineOf(db), sql.ref('name'), name))
      .execute();
    found.set(name, rows.map((row) => row.id));
  }
  return found;
}

/** The ids of the named teams or roles, in order; every name must name exactly one. */
async function resolveNames(db: Kysely<Database>, table: NamedTable, names: readonly string[]): Promise<string[]> {
  const kind = table === 'team' ? 'Team' : 'Role';
  const found = await idsByName(db, table, names);
  return names.map((name) => {
    const ids = found.get(name) ?? [];
    if (ids.length === 0) throw new DirectoryError(`${kind} '${name}' does not exist.`);
    if (ids.length > 1) throw new DirectoryError(`${kind} name '${name}' is ambiguous (${ids.length} ${table}s have it).`);
    return ids[0]!;
  });
}

async function assertNameFree(db: Kysely<Database>, table: NamedTable, name: string): Promise<void> {
  const found = await idsByName(db, table, [name]);
  if ((found.get(name) ?? []).length > 0) {
    throw new DirectoryError(`A ${table} named '${name}' already exists.`);
  }
}

export function teamIdsByName(db: Kysely<Database>, names: readonly string[]): Promise<string[]> {
  return resolveNames(db, 'team', names);
}

/** The id of the role with this name, if there is one. */
export async function findRoleId(db: Kysely<Database>, name: string): Promise<string | undefined> {
  return (await idsByName(db, 'role', [name])).get(name)?.[0];
}

export function roleIdsByName(db: Kysely<Database>, names: readonly string[]): Promise<string[]> {
  return resolveNames(db, 'role', names);
}

export interface NewTeam {
  name: string;
  /** Role ids given to every member of the team. */
  roleIds?: readonly string[];
}

export async function createTeam(db: Kysely<Database>, team: NewTeam, now = new Date()): Promise<string> {
  const name = checkName('Team', team.name, 100);
  return changingIdentities(db, async (trx) => {
    await lockKeys(trx, [`team-name:${name.toLowerCase()}`]);
    await assertNameFree(trx, 'team', name);
    const id = generateId(now.getTime());
    const at = formatDateTime(now);
    // positionList: EspoCRM's array-field default is [] (fields/array.json).
    await trx.insertInto('team').values({ id, name, description: null, positionList: '[]', createdAt: at, modifiedAt: at }).execute();
    for (const roleId of new Set(team.roleIds ?? [])) {
      await trx.insertInto('role_team').values({ roleId, teamId: id }).execute();
    }
    return id;
  });
}

/** The permission columns of a role (assignment, export, …), which this server does not apply. */
const PERMISSIONS = [
  'assignmentPermission',
  'userPermission',
  'messagePermission',
  'portalPermission',
  'groupEmailAccountPermission',
  'exportPermission',
  'massUpdatePermission',
  'dataPrivacyPermission',
  'followerManagementPermission',
  'auditPermission',
  'mentionPermission',
  'userCalendarPermission',
  'lockPermission',
] as const;

export async function createRole(db: Kysely<Database>, name: string, data: RoleData, now = new Date()): Promise<string> {
  const checked = checkName('Role', name, 150);
  return changingIdentities(db, async (trx) => {
    await lockKeys(trx, [`role-name:${checked.toLowerCase()}`]);
    await assertNameFree(trx, 'role', checked);
    const id = generateId(now.getTime());
    const at = formatDateTime(now);
    await trx
      .insertInto('role')
      .values({
        id,
        name: checked,
        data: JSON.stringify(data),
        fieldData: '{}',
        // EspoCRM's role editor saves "not-set" for permissions left alone; merging then uses the defaults.
        ...Object.fromEntries(PERMISSIONS.map((permission) => [permission, 'not-set'])),
        createdAt: at,
        modifiedAt: at,
      })
      .execute();
    return id;
  });
}

/** Gives a user a role unless it has it already (one statement: concurrent grants cannot collide). */
export async function grantRole(db: Kysely<Database>, roleId: string, userId: string): Promise<void> {
  await db
    .insertInto('role_user')
    .values({ roleId, userId })
    .onConflict((conflict) => conflict.columns(['roleId', 'userId']).doUpdateSet({ deleted: 0 }))
    .execute();
  // Other processes hear of it through the database (PostgreSQL), this one at once.
  await notifyIdentityChange(db);
  if (!db.isTransaction) identityChanged();
}

/** A change of users, teams or roles: in one transaction, then this process's caches are told. */
export async function changingIdentities<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  const result = await inTransaction(db, work);
  if (!db.isTransaction) identityChanged();
  return result;
}
