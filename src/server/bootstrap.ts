import type { Kysely } from 'kysely';
import { createRole, findRoleId, fullAccessData, grantRole, hashPassword, identityChanged, insertUser } from './acl/index.js';
import { withExclusiveLock } from './db/locks.js';
import type { Database } from './db/schema.js';

export interface BootstrapUsers {
  apiKey: string;
  apiSecret?: string;
  adminUserName: string;
  adminPassword: string;
}

/** The role that gives the bootstrap API user access to everything, as EspoCRM API users get through roles. */
export const BOOTSTRAP_API_ROLE = 'API full access';

/**
 * Creates the two users a fresh server needs, when missing: an API user (like EspoCRM's API users, not an
 * admin, but holding a role with full access to every scope) for `X-Api-Key` and HMAC, and an admin for
 * `Espo-Authorization`/Basic. Existing users and roles are left as they are, so restarting with other
 * settings never rewrites credentials or permissions silently; the role is granted only when this call
 * creates the API user or the role itself (a database from before roles existed).
 */
export async function ensureBootstrapUsers(db: Kysely<Database>, users: BootstrapUsers): Promise<{ apiUserId: string; adminId: string }> {
  // Both present (every start but the first): nothing to write, no lock taken.
  const present = await findPresent(db, users);
  if (present) return present;
  // Servers starting together on one database check again and create one after the other.
  const ids = await withExclusiveLock(db, 'bootstrap', (connection: Kysely<Database>) => createMissing(connection, users));
  identityChanged();
  return ids;
}

async function findPresent(db: Kysely<Database>, users: BootstrapUsers): Promise<{ apiUserId: string; adminId: string } | undefined> {
  const api = await db.selectFrom('user').select('id').where('apiKey', '=', users.apiKey).where('deleted', '=', 0).executeTakeFirst();
  const admin = await db.selectFrom('user').select('id').where('userName', '=', users.adminUserName).where('deleted', '=', 0).executeTakeFirst();
  return api && admin && (await findRoleId(db, BOOTSTRAP_API_ROLE)) ? { apiUserId: api.id, adminId: admin.id } : undefined;
}

async function createMissing(db: Kysely<Database>, users: BootstrapUsers): Promise<{ apiUserId: string; adminId: string }> {
  const api = await db.selectFrom('user').select('id').where('apiKey', '=', users.apiKey).where('deleted', '=', 0).executeTakeFirst();
  const apiUserId =
    api?.id ??
    (await insertUser(db, { userName: 'api', lastName: 'API', type: 'api', apiKey: users.apiKey, secretKey: users.apiSecret ?? null }));
  const role = await ensureRole(db);
  if (!api || role.created) await grantRole(db, role.id, apiUserId);

  const admin = await db.selectFrom('user').select('id').where('userName', '=', users.adminUserName).where('deleted', '=', 0).executeTakeFirst();
  const adminId =
    admin?.id ??
    (await insertUser(db, {
      userName: users.adminUserName,
      firstName: 'Admin',
      lastName: 'User',
      type: 'admin',
      passwordHash: await hashPassword(users.adminPassword),
    }));
  return { apiUserId, adminId };
}

async function ensureRole(db: Kysely<Database>): Promise<{ id: string; created: boolean }> {
  const id = await findRoleId(db, BOOTSTRAP_API_ROLE);
  return id ? { id, created: false } : { id: await createRole(db, BOOTSTRAP_API_ROLE, fullAccessData()), created: true };
}
