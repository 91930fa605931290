/**
 * `Services.accessFor`: the access control of an authenticated user, from its roles and its teams' roles.
 * One indexed query for non-admins (per request, or per user and cache period when the server caches);
 * admins need none.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { LevelAccessControl, type AccessControl, type Actor } from './policy.js';
import type { CacheInvalidation } from '../db/cache-invalidation.js';
import { TtlCache } from '../core/ttl-cache.js';
import { levelOf, mergeRoles, type AclTable } from './table.js';

/** The stored data of every role that applies to the user: its own and those of its teams. */
export async function loadRoleData(db: Kysely<Database>, userId: string, teamIds: readonly string[]): Promise<unknown[]> {
  const rows = await db
    .selectFrom('role')
    .select('data')
    .where('deleted', '=', 0)
    .where((eb) =>
      eb.or([
        eb('id', 'in', eb.selectFrom('role_user').select('roleId').where('userId', '=', userId).where('deleted', '=', 0)),
        ...(teamIds.length > 0
          ? [eb('id', 'in', eb.selectFrom('role_team').select('roleId').where('teamId', 'in', [...teamIds]).where('deleted', '=', 0))]
          : []),
      ]),
    )
    .execute();
  return rows.map((row) => parseStored(row.data));
}

/** Stored role data that is not valid JSON counts as an empty role (EspoCRM reads it as null). */
function parseStored(text: string | null): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

export async function aclTableFor(db: Kysely<Database>, actor: Actor): Promise<AclTable> {
  return mergeRoles(await loadRoleData(db, actor.id, actor.teamIds));
}

/**
 * Builds `accessFor(actor)` over a database. With `cacheMs` > 0 each user's merged table is kept that long
 * (as EspoCRM caches ACL tables per user); `invalidation` clears it when roles or memberships change.
 */
export function createAccessResolver(db: Kysely<Database>, cacheMs = 0, invalidation?: CacheInvalidation): AccessResolver {
  const tables = new TtlCache<AclTable>(cacheMs);
  invalidation?.register(tables);
  const resolve = async (actor: Actor) => {
    if (actor.isAdmin) return new LevelAccessControl(actor, () => 'all');
    const key = `${actor.id}\0${actor.teamIds.join(',')}`;
    const table = (await tables.getOrLoad(key, () => aclTableFor(db, actor)))!;
    return new LevelAccessControl(actor, (scope, action) => levelOf(table, scope, action));
  };
  return Object.assign(resolve, { clear: () => tables.clear() });
}

/** `accessFor(actor)`; `clear()` forgets the cached tables. */
export type AccessResolver = ((actor: Actor) => Promise<AccessControl>) & { clear(): void };
