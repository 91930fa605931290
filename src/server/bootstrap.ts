import type { Kysely } from 'kysely';
import { hashPassword } from './auth/passwords.js';
import { insertUser } from './db/seed.js';
import type { Database } from './db/schema.js';

export interface BootstrapUsers {
  apiKey: string;
  apiSecret?: string;
  adminUserName: string;
  adminPassword: string;
}

/**
 * Creates the two users a fresh server needs, when missing: an API user (like EspoCRM's API users, not an
 * admin) for `X-Api-Key` and HMAC, and an admin for `Espo-Authorization`/Basic. Existing users are left
 * as they are, so restarting with other settings never rewrites credentials silently.
 */
export async function ensureBootstrapUsers(db: Kysely<Database>, users: BootstrapUsers): Promise<{ apiUserId: string; adminId: string }> {
  const api = await db.selectFrom('user').select('id').where('apiKey', '=', users.apiKey).where('deleted', '=', 0).executeTakeFirst();
  const apiUserId =
    api?.id ??
    (await insertUser(db, { userName: 'api', lastName: 'API', type: 'api', apiKey: users.apiKey, secretKey: users.apiSecret ?? null }));
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
